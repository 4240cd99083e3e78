/**
 * The timeline of a state config resolved against its sources: which source
 * each event is about, which sources are added and removed when, and the
 * events that concern the whole daemon. `normalizeState` calls it so that an
 * event naming no source is a `ChronyConfigError` at construction, not at
 * `advance()`.
 */
import type { LeapStatus } from "@chrony/fields";
import type { SourceConfig, SourceRef, TimelineEventConfig, TimelineEventKeys } from "./config.js";
import { ChronyConfigError } from "./errors.js";

/** An event that concerns one source. */
interface Timed {
  readonly at: number;
}

/** A source over the simulated time: configured at the start, or added by an event. */
export interface SourcePlan {
  /** Its config as written (`sources[i]` or the `add` of an event). */
  readonly config: SourceConfig;
  /** Where the config is written, for errors: `sources[2]` or `timeline[4].add`. */
  readonly path: string;
  /** 0 for a configured source, else the time of its `add`. */
  readonly addedAt: number;
  /** The time of its `remove`, else `Infinity`. */
  readonly removedAt: number;
  /** Its `answers` events, in time order. */
  readonly answers: readonly (Timed & { readonly answers: boolean })[];
  /** Its `set` events, in time order, with where each is written (`timeline[3].set`). */
  readonly sets: readonly (Timed & { readonly set: SourceConfig; readonly path: string })[];
}

/** The timeline, resolved. */
export interface Plan {
  /** The configured sources (first, in order), then the added ones, in time order. */
  readonly sources: readonly SourcePlan[];
  readonly leaps: readonly (Timed & { readonly leap: LeapStatus })[];
  readonly steps: readonly (Timed & { readonly step: number })[];
  readonly restarts: readonly number[];
}

/** Keys a `set` may not change: they name the source or are what the simulation moves. */
const MOVED_KEYS = ["address", "mode", "poll", "reachability", "lastSampleAgo"] as const;

interface MutablePlan {
  config: SourceConfig;
  path: string;
  addedAt: number;
  removedAt: number;
  answers: (Timed & { answers: boolean })[];
  sets: (Timed & { set: SourceConfig; path: string })[];
}

/**
 * Resolves a validated timeline (each event has `at` and one action) against
 * the configured sources. Events at the same time apply in the order written.
 *
 * @throws {@link ChronyConfigError} at `timeline[i]…` for an event naming no
 * source present at its time, a `set` of a key the simulation moves, or a
 * `remove` / `restart` that is not `true`.
 */
export function resolveTimeline(timeline: readonly TimelineEventConfig[] | undefined, configured: readonly SourceConfig[], addressOf: (source: SourceConfig) => string): Plan {
  const sources: MutablePlan[] = configured.map((config, i) => ({ config, path: `sources[${i}]`, addedAt: 0, removedAt: Infinity, answers: [], sets: [] }));
  const plan = { sources, leaps: [] as (Timed & { leap: LeapStatus })[], steps: [] as (Timed & { step: number })[], restarts: [] as number[] };
  if (timeline === undefined) return plan;
  // Array.prototype.sort is stable: same-time events keep their order.
  const ordered = timeline.map((event, i) => ({ event: event as TimelineEventKeys, path: `timeline[${i}]` })).sort((a, b) => a.event.at - b.event.at);
  for (const { event, path } of ordered) {
    const { at } = event;
    if (event.add !== undefined) {
      sources.push({ config: event.add, path: `${path}.add`, addedAt: at, removedAt: Infinity, answers: [], sets: [] });
    } else if (event.leap !== undefined) {
      plan.leaps.push({ at, leap: event.leap });
    } else if (event.step !== undefined) {
      plan.steps.push({ at, step: event.step });
    } else if (event.restart !== undefined) {
      if (event.restart !== true) throw new ChronyConfigError(`${path}.restart`, "true (chronyd restarts)", event.restart);
      plan.restarts.push(at);
    } else {
      const source = find(sources, configured.length, event.source!, at, path, addressOf);
      if (event.answers !== undefined) source.answers.push({ at, answers: event.answers });
      else if (event.set !== undefined) {
        for (const key of MOVED_KEYS) {
          if (event.set[key] !== undefined) {
            throw new ChronyConfigError(`${path}.set.${key}`, "no value: a source keeps its address and mode, and the simulation moves its poll, reachability and lastSampleAgo", event.set[key]);
          }
        }
        source.sets.push({ at, set: event.set, path: `${path}.set` });
      } else {
        if (event.remove !== true) throw new ChronyConfigError(`${path}.remove`, "true (the source is removed)", event.remove);
        source.removedAt = at;
      }
    }
  }
  return plan;
}

/** The source an event names: present at `at` (configured or added by then, not removed). */
function find(sources: readonly MutablePlan[], configured: number, ref: SourceRef, at: number, path: string, addressOf: (source: SourceConfig) => string): MutablePlan {
  const present = (s: MutablePlan): boolean => s.addedAt <= at && at < s.removedAt;
  const source = typeof ref === "number" ? sources.slice(0, configured)[ref] : sources.find((s) => present(s) && addressOf(s.config) === ref);
  if (source === undefined || !present(source)) {
    const indices = sources.slice(0, configured).flatMap((s, i) => (present(s) ? [i] : []));
    const addresses = sources.filter(present).map((s) => JSON.stringify(addressOf(s.config)));
    throw new ChronyConfigError(
      `${path}.source`,
      addresses.length === 0
        ? "a source present at that time (there is none)"
        : `a source present at that time: ${indices.length > 0 ? `the index of a configured source (${indices.join(", ")}) or ` : ""}one of the addresses ${addresses.join(", ")}`,
      ref,
    );
  }
  return source;
}
