/**
 * The timeline of a state config resolved against its sources: which source
 * each event is about. `normalizeState` calls it so that an event naming no
 * configured source is a `ChronyConfigError` at construction, not at
 * `advance()`.
 */
import type { TimelineEventConfig } from "./config.js";
import { ChronyConfigError } from "./errors.js";

/** A timeline event with its source as an index of `sources`. */
export interface ResolvedEvent {
  readonly at: number;
  readonly source: number;
  readonly answers: boolean;
}

/**
 * The events sorted by time (events at the same time keep their order),
 * each source as its index.
 *
 * @throws {@link ChronyConfigError} at `timeline[i].source` for an index past
 * the sources or an address no source has.
 */
export function resolveTimeline(timeline: readonly TimelineEventConfig[] | undefined, addresses: readonly string[]): ResolvedEvent[] {
  if (timeline === undefined) return [];
  const resolved = timeline.map((event, i): ResolvedEvent => {
    const source = typeof event.source === "number" ? event.source : addresses.indexOf(event.source);
    if (source < 0 || source >= addresses.length) {
      throw new ChronyConfigError(
        `timeline[${i}].source`,
        addresses.length === 0
          ? "a configured source (sources is empty)"
          : `the index (0 to ${addresses.length - 1}) or address of a configured source (${addresses.map((a) => JSON.stringify(a)).join(", ")})`,
        event.source,
      );
    }
    return { at: event.at, source, answers: event.answers };
  });
  // Array.prototype.sort is stable: same-time events keep their order.
  return resolved.sort((a, b) => a.at - b.at);
}
