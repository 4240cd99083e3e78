/**
 * Simulated time: the state a config describes, `elapsed` seconds after the
 * start, moved as chronyd 4.3 moves it (see the README's "Simulated time").
 * The state is a pure function of the config and the time, so
 * `advance(a); advance(b)` is `advance(a + b)` whenever `a + b` is the same
 * number either way.
 *
 * Two passes, after chronyd's ntp_core.c, sources.c and reference.c:
 *
 * 1. each source on its own (`moveSource`): its polls, reachability register,
 *    last answer and message counters, epoch by epoch (an epoch starts when
 *    the source is configured or added, and at each restart of chronyd);
 * 2. selection over all of them (`select`), run whenever an input of
 *    chronyd's selection changes: a source becomes reachable or unreachable,
 *    gets its third sample, goes stale, is changed, added or removed, or
 *    chronyd restarts. Between those moments the states hold, so a config's
 *    own states are served until something moves them.
 */
import { LeapStatus, SelectOption, SelectState, SourceState } from "@chrony/fields";
import type { WireTime } from "@chrony/protocol";
import type { ChronyStateConfig, ExactTimeConfig, SourceConfig, TrackingConfig } from "./config.js";
import { mergeSource } from "./merge.js";
import { normalizeSource, normalizeState, sourceAddress, type ServerState, type Source, type SourceContext } from "./normalize.js";
import { resolveTimeline, type Plan, type SourcePlan } from "./timeline.js";
import { validateConfig } from "./schema.js";
import { FLOAT_MAX } from "./spec.js";

/** chronyd's default `maxclockerror`: 1 ppm. */
export const MAX_CLOCK_ERROR_PPM = 1;
/** chronyd's default `maxslewrate`: 83333.333 ppm, the fastest it slews the clock. */
export const MAX_SLEW_RATE = 83333.333e-6;
/** `MIN_NONLAN_POLL` (ntp_core.c): the shortest poll of an unreachable NTP source. */
const MIN_NONLAN_POLL = 0;
/** `INITIAL_DELAY` (ntp_core.c): a source added or restarted sends its first request this long after. */
const INITIAL_DELAY = 0.2;
/** `DISTANT_PENALTY` (sources.c): updates of the reference a source that was not selectable waits before it is combined again. */
const DISTANT_PENALTY = 32;
/** `MIN_SAMPLES_FOR_REGRESS` (sourcestats.c): a source needs this many samples to be selectable. */
const MIN_SAMPLES = 3;
const NEVER = 0xffffffff;
const REACH_MASK = 0xff;
/** The shortest poll simulated: chronyd's minimum `minpoll`, −6 (1/64 s). A shorter configured poll is reported as configured. */
const MIN_SIMULATED_POLL = -6;
/** The longest simulated time: lastSampleAgo's range (2^32 − 1 s, about 136 years). */
export const MAX_ELAPSED = NEVER;
/** chronyd's tracking when it has no reference (reference.c `REF_GetReferenceParams()`). */
const UNSYNCHRONISED: TrackingConfig = {
  referenceId: 0,
  referenceIp: null,
  stratum: 0,
  leapStatus: LeapStatus.NOT_SYNCHRONIZED,
  refTime: 0,
  rootDelay: 1,
  rootDispersion: 1,
  residualFreq: 0,
  skew: 0,
};

// ---------------------------------------------------------------------------
// One source
// ---------------------------------------------------------------------------

/** Where a source stands at a moment. */
interface SourceStatus {
  readonly at: number;
  readonly reachability: number;
  /** Time of the last answer in this epoch (negative: before the start), `null` for none. */
  readonly lastAnswer: number | null;
  /** Answers since the epoch began, counted up to {@link MIN_SAMPLES} in the recorded changes. */
  readonly answers: number;
  /** Whether the epoch began with nothing heard (added, restarted, or configured never heard from). */
  readonly fresh: boolean;
  readonly epochStart: number;
}

/** How one source moved up to the end, and each moment its selection inputs changed. */
interface SourceMotion {
  readonly final: SourceStatus & { readonly poll: number; readonly polls: number; readonly totalAnswers: number; readonly nextPoll: number };
  readonly changes: readonly SourceStatus[];
}

/**
 * When a source's answer counts: `answers` from `at` on. `resumes: false`
 * marks a change that does not answer a request already pending (a server
 * that kept replying, only with its leap indicator saying unsynchronised).
 */
interface AnswerEvent {
  readonly at: number;
  readonly answers: boolean;
  readonly resumes?: false;
  /** The server still replies, but its replies do not count (they fail a test). */
  readonly replies?: true;
}

/** Whether the server still replies at `t` without its replies counting. */
function repliesUncountedAt(events: readonly AnswerEvent[], t: number): boolean {
  let replies = false;
  for (const event of events) {
    if (event.at > t) break;
    replies = event.replies === true;
  }
  return replies;
}

/** Whether a source answers at `t`, from its events (`initial` before the first). */
function answersAt(events: readonly AnswerEvent[], initial: boolean, t: number): boolean {
  let answers = initial;
  for (const event of events) {
    if (event.at > t) break;
    answers = event.answers;
  }
  return answers;
}

/** The polls of one source from `start` to `end`, from a reachability register and last answer. */
function moveEpoch(
  source: Source,
  events: readonly AnswerEvent[],
  initiallyAnswers: boolean,
  start: number,
  end: number,
  from: { reachability: number; lastAnswer: number | null; fresh: boolean; firstPoll?: number },
  record: (status: SourceStatus) => void,
): SourceMotion["final"] {
  const basePoll = source.poll;
  const pollOf = (reach: number): number => (!source.isReferenceClock && reach === 0 && basePoll < MIN_NONLAN_POLL ? MIN_NONLAN_POLL : basePoll);
  const intervalOf = (reach: number): number => 2 ** Math.max(pollOf(reach), MIN_SIMULATED_POLL);
  let reach = from.reachability;
  let lastAnswer = from.lastAnswer;
  let answered = 0;
  let polls = 0;
  const status = (at: number): SourceStatus => ({ at, reachability: reach, lastAnswer, answers: answered, fresh: from.fresh, epochStart: start });
  record(status(start));
  const answer = (at: number): void => {
    const wasReachable = reach !== 0;
    reach = ((reach << 1) | 1) & REACH_MASK;
    lastAnswer = at;
    answered++;
    if (!wasReachable || answered <= MIN_SAMPLES) record(status(at));
  };
  // Whether the request sent at the last poll was answered (at the start: as the register says).
  let pendingAnswered = reach !== 0 || from.fresh;
  let interval = intervalOf(reach);
  // The poll reported: the one of the interval in force (chronyd changes it when it schedules the next poll).
  let poll = pollOf(reach);
  // Poll times are segmentStart + n * interval with an integer n, so that no rounding accumulates.
  let segmentStart =
    from.firstPoll !== undefined ? start + from.firstPoll - interval : lastAnswer === null || from.fresh ? start : start - ((start - lastAnswer) % interval);
  let n = 1;
  const resumes = events.filter((e) => e.answers && e.resumes !== false && e.at > start);
  let nextResume = 0;
  for (;;) {
    const tick = segmentStart + n * interval;
    // A resume before the next poll answers the pending request.
    while (nextResume < resumes.length && resumes[nextResume]!.at < tick && resumes[nextResume]!.at <= end) {
      const at = resumes[nextResume++]!.at;
      if (!pendingAnswered && answersAt(events, initiallyAnswers, at)) {
        answer(at);
        pendingAnswered = true;
        // Back at its own poll: the next one an interval after the answer.
        interval = intervalOf(reach);
        poll = pollOf(reach);
        segmentStart = at;
        n = 1;
      }
    }
    if (segmentStart + n * interval !== tick) continue;
    if (tick > end) break;
    const answers = answersAt(events, initiallyAnswers, tick);
    // Steady state until the next event or the end: skip the polls that change nothing but the time and the counters.
    const nextEvent = events.find((e) => e.at > tick)?.at ?? Infinity;
    const until = Math.min(nextEvent, end);
    const steady =
      interval === intervalOf(reach) && (answers ? pendingAnswered && reach === REACH_MASK && answered > MIN_SAMPLES : !pendingAnswered && reach === 0);
    if (steady && until - tick >= 2 * interval) {
      const skip = Math.floor((until - tick) / interval) - 1;
      if (skip > 0) {
        n += skip;
        polls += skip;
        if (answers) {
          answered += skip;
          lastAnswer = segmentStart + (n - 1) * interval;
        }
        continue;
      }
    }
    polls++;
    const before = reach;
    if (!pendingAnswered) {
      reach = (reach << 1) & REACH_MASK;
      if (reach === 0 && !answers) record(status(tick));
    }
    if (answers) answer(tick);
    pendingAnswered = answers;
    // An answer brings the source's own poll back at once. A register just emptied slows the polls
    // from the next one (transmit_timeout() adjusts the poll before the shift), or at once when
    // the server's uncounted reply comes in (the receive path adjusts it again).
    const pollReach = answers || repliesUncountedAt(events, tick) ? reach : before;
    poll = pollOf(pollReach);
    const next = intervalOf(pollReach);
    if (next !== interval) {
      interval = next;
      segmentStart = tick;
      n = 1;
    } else {
      n++;
    }
  }
  return { ...status(end), poll, polls, totalAnswers: answered, nextPoll: segmentStart + n * interval };
}

/**
 * A source's answer events with its server's leap indicator folded in: a
 * reply saying "unsynchronised" (leap 3) fails NTP test 6 and counts as no
 * answer, so the reachability register drains as for a silent server.
 */
function countedAnswers(plan: SourcePlan, leaps: Plan["leaps"], initial: boolean, isReferenceClock: boolean): AnswerEvent[] {
  if (isReferenceClock || leaps.length === 0) return [...plan.answers];
  const unsynchronisedAt = (t: number): boolean => {
    let unsynchronised = false;
    for (const { at, leap } of leaps) {
      if (at > t) break;
      unsynchronised = leap === LeapStatus.NOT_SYNCHRONIZED;
    }
    return unsynchronised;
  };
  const times = [...new Set([...plan.answers.map((e) => e.at), ...leaps.map((e) => e.at)])].sort((a, b) => a - b);
  return times.map((at) => {
    const own = answersAt(plan.answers, initial, at);
    // Only the server's own answering again answers a pending request; its leap indicator changing does not.
    const resumes = plan.answers.some((e) => e.at === at && e.answers) && !unsynchronisedAt(at);
    const unsynchronised = unsynchronisedAt(at);
    return { at, answers: own && !unsynchronised, ...(resumes ? {} : { resumes: false as const }), ...(own && unsynchronised ? { replies: true as const } : {}) };
  });
}

/** A source from its start to `end`, epoch by epoch. */
function moveSource(plan: SourcePlan, source: Source, whole: Plan, end: number): SourceMotion {
  const restarts = whole.restarts;
  const changes: SourceStatus[] = [];
  const record = (status: SourceStatus): void => void changes.push(status);
  const last = Math.min(end, plan.removedAt);
  const configured = plan.addedAt === 0 && plan.path.startsWith("sources");
  // A configured source answers as its register says; an added one answers until told otherwise.
  const initiallyAnswers = configured ? source.reachability !== 0 : true;
  const answers = countedAnswers(plan, whole.leaps, initiallyAnswers, source.isReferenceClock);
  const starts = [plan.addedAt, ...restarts.filter((t) => t > plan.addedAt && t <= last)];
  let final: SourceMotion["final"] | undefined;
  starts.forEach((start, i) => {
    const epochEnd = i + 1 < starts.length ? starts[i + 1]! : last;
    const heardBefore = configured && i === 0 && source.lastSampleAgo !== NEVER;
    const from = heardBefore
      ? { reachability: source.reachability, lastAnswer: -source.lastSampleAgo, fresh: false }
      : { reachability: 0, lastAnswer: null, fresh: true, ...(configured && i === 0 ? {} : { firstPoll: INITIAL_DELAY }) };
    final = moveEpoch(source, answers, initiallyAnswers, start, epochEnd, from, record);
  });
  return { final: final!, changes };
}

/** The status recorded last at or before `t`. */
function statusAt(motion: SourceMotion, t: number): SourceStatus | null {
  let found: SourceStatus | null = null;
  for (const change of motion.changes) {
    if (change.at > t) break;
    found = change;
  }
  return found;
}

// ---------------------------------------------------------------------------
// Selection
// ---------------------------------------------------------------------------

/** A source's selection state: the sources report's and the selectdata report's. */
interface Selection {
  readonly state: SourceState;
  readonly selectState: SelectState;
}

/** The outcome of selection over time. */
interface SelectionHistory {
  /** Each source's state at the end (`undefined`: the configured state holds). */
  readonly states: readonly (Selection | undefined)[];
  /** The source chronyd last took as its reference; `-1` for the configured tracking. */
  readonly reference: number;
  /** Whether chronyd is synchronised at the end. */
  readonly synchronised: boolean;
  /** Whether it lost its synchronisation on the way (a restart, or no majority) and has not got it back. */
  readonly lostSync: boolean;
  /** Whether a restart happened (the configured tracking values no longer hold). */
  readonly restarted: boolean;
}

const NOT_SYNCHRONIZED_YET = (version: number): SelectState =>
  // chronyd 4.3 and 4.4 checked synchronisation before samples (see normalize.ts).
  version >= 4.03 && version < 4.06 ? SelectState.NOT_SYNCHRONIZED : SelectState.MISSING_SAMPLES;

/** A source's config at `t`: as written, with the `set` events up to `t`. */
function sourceConfigAt(plan: SourcePlan, t: number): SourceConfig {
  let config = plan.config;
  for (const { at, set } of plan.sets) {
    if (at > t) break;
    config = mergeSource(config, set);
  }
  return config;
}

/** How many of a source's `set` events apply at `t`: its config changes only there. */
function setsAt(plan: SourcePlan, t: number): number {
  let count = 0;
  while (count < plan.sets.length && plan.sets[count]!.at <= t) count++;
  return count;
}

/** Normalizes each source's config once per `set` it has reached (selection asks at every moment). */
function normalizedSources(plan: Plan, context: SourceContext): (i: number, t: number) => Source {
  const cache = new Map<string, Source>();
  return (i, t) => {
    const source = plan.sources[i]!;
    const key = `${i}:${setsAt(source, t)}`;
    let normalized = cache.get(key);
    if (normalized === undefined) {
      normalized = normalizeSource(sourceConfigAt(source, t), source.path, context);
      cache.set(key, normalized);
    }
    return normalized;
  };
}

/** The NTP sources' leap indicator at `t`: `null` when no `leap` event has said. */
interface LeapState {
  readonly leap: LeapStatus | null;
}

/** A source that passed the checks before the vote: its interval and what decides between it and others. */
interface Candidate {
  readonly index: number;
  readonly low: number;
  readonly high: number;
  readonly stratum: number;
  readonly lastAnswer: number;
  readonly reachable: boolean;
  /** The span its samples reach once enough are in (sourcestats' span). */
  readonly span: number;
  /** Since when it has samples: its epoch's start when it started afresh, else long before. */
  readonly sampledSince: number;
}

/**
 * chronyd's selection (sources.c `SRC_SelectSource()`) at each moment an
 * input changes, from the configured states at 0.
 */
function select(plan: Plan, heard: readonly Source[], motions: readonly SourceMotion[], context: SourceContext, end: number, initial: { selected: number; synchronised: boolean }): SelectionHistory {
  const configured = normalizedSources(plan, context);
  const moments = new Set<number>();
  const add = (t: number): void => {
    if (t > 0 && t <= end) moments.add(t);
  };
  plan.sources.forEach((source, i) => {
    add(source.addedAt);
    add(source.removedAt);
    for (const { at } of source.sets) add(at);
    for (const change of motions[i]!.changes) add(change.at);
  });
  for (const t of plan.restarts) add(t);
  const states: (Selection | undefined)[] = plan.sources.map(() => undefined);
  let selected = initial.selected;
  let reference = -1;
  let synchronised = initial.synchronised;
  let restarted = false;
  let lostSync = false;
  const queue = [...moments].sort((a, b) => a - b);
  // Moments added while going (when a source would go stale, when a distant one is combined again).
  const revisits = new Set<number>();
  const revisit = (at: number, q: number): void => {
    if (at > end || revisits.has(at)) return;
    revisits.add(at);
    const k = queue.findIndex((m, j) => j > q && m > at);
    queue.splice(k < 0 ? queue.length : k, 0, at);
  };
  // Sources that were not selectable since the reference was last chosen, and until when one that is again stays distant.
  const wasOut = new Set<number>();
  const distantUntil = new Map<number, number>();
  for (let q = 0; q < queue.length; q++) {
    const t = queue[q]!;
    if (plan.restarts.includes(t)) {
      selected = -1;
      synchronised = false;
      lostSync = true;
      restarted = true;
    }
    // chronyd selects whenever a source has a new sample: after a restart, every source is `M` until one has.
    const selectionRan =
      !plan.restarts.some((r) => r <= t) ||
      plan.sources.some((source, i) => t >= source.addedAt && t < source.removedAt && (statusAt(motions[i]!, t)?.reachability ?? 0) !== 0);
    const candidates: Candidate[] = [];
    plan.sources.forEach((source, i) => {
      if (t < source.addedAt || t >= source.removedAt) {
        states[i] = undefined;
        return;
      }
      const status = statusAt(motions[i]!, t);
      const config = configured(i, t);
      if (config.selectdata.configuredOptions & SelectOption.NOSELECT) {
        states[i] = { state: SourceState.NONSELECTABLE, selectState: SelectState.IGNORED };
        return;
      }
      if ((config.state === SourceState.NONSELECTABLE && !status?.fresh) || config.state === SourceState.JITTERY) {
        states[i] = { state: config.state, selectState: config.selectdata.state };
        return;
      }
      if (status === null) return;
      if (status.fresh && status.answers === 0) {
        states[i] = { state: SourceState.NONSELECTABLE, selectState: selectionRan ? NOT_SYNCHRONIZED_YET(context.version) : SelectState.MISSING_SAMPLES };
        return;
      }
      if (status.fresh && status.answers < MIN_SAMPLES) {
        states[i] = { state: SourceState.NONSELECTABLE, selectState: SelectState.MISSING_SAMPLES };
        return;
      }
      const span = heard[i]!.sourcestats.span;
      candidates.push({
        index: i,
        low: config.selectdata.lowLimit,
        high: config.selectdata.highLimit,
        stratum: config.stratum,
        lastAnswer: status.lastAnswer ?? -Infinity,
        reachable: status.reachability !== 0,
        span,
        sampledSince: status.fresh ? status.epochStart : -Infinity,
      });
    });
    // An unreachable source stays selectable while its last sample is no older than the oldest
    // sample of the reachable ones (approximated by their span, which grows from a fresh start).
    const reachable = candidates.filter((c) => c.reachable);
    const oldestReachable = Math.max(0, ...reachable.map((c) => Math.min(c.span, t - c.sampledSince)));
    const selectable = candidates.filter((c) => {
      if (c.reachable) return true;
      if (t - c.lastAnswer > oldestReachable || !Number.isFinite(c.lastAnswer)) {
        states[c.index] = { state: SourceState.NONSELECTABLE, selectState: SelectState.STALE };
        return false;
      }
      // Look again once it is stale. A reachable source whose samples began after this one's last
      // never holds it (its oldest sample is newer); one whose began before holds it for its full span.
      const holding = reachable.filter((r) => r.sampledSince <= c.lastAnswer).map((r) => r.span);
      revisit(c.lastAnswer + Math.max(0, ...holding) + 1e-9, q);
      return true;
    });
    // Every source not selectable now is penalised once it is again (`distant`).
    const markOut = (ok: readonly { index: number }[]): void =>
      plan.sources.forEach((_, i) => {
        if (!ok.some((c) => c.index === i)) wasOut.add(i);
      });
    if (selectable.length === 0) {
      // "Can't synchronise: no selectable sources": the reference is kept.
      selected = -1;
      markOut([]);
      continue;
    }
    // The interval most sources agree on (Marzullo's algorithm, as chronyd's).
    const endpoints = selectable.flatMap((c) => [{ at: c.low, low: true }, { at: c.high, low: false }]).sort((a, b) => a.at - b.at || (a.low ? -1 : 1));
    let depth = 0;
    let best = 0;
    let bestLow = 0;
    let bestHigh = 0;
    for (const point of endpoints) {
      if (point.low) {
        depth++;
        if (depth > best) {
          best = depth;
          bestLow = point.at;
        }
      } else {
        if (depth === best) bestHigh = point.at;
        depth--;
      }
    }
    if (best <= Math.floor(selectable.length / 2)) {
      // "Can't synchronise: no majority": every candidate is a falseticker and chronyd is unsynchronised.
      for (const c of selectable) states[c.index] = { state: SourceState.FALSETICKER, selectState: SelectState.FALSETICKER };
      if (selected >= 0) {
        synchronised = false;
        lostSync = true;
      }
      selected = -1;
      markOut([]);
      continue;
    }
    const truechimers = selectable.filter((c) => {
      const agrees = c.low <= bestHigh && c.high >= bestLow;
      if (!agrees) states[c.index] = { state: SourceState.FALSETICKER, selectState: SelectState.FALSETICKER };
      return agrees;
    });
    const kept = truechimers.find((c) => c.index === selected);
    const chosen =
      kept ??
      // With no reference to keep, chronyd takes the first source with a new sample: the lowest stratum, then the first listed.
      [...truechimers].sort((a, b) => a.stratum - b.stratum || a.index - b.index)[0]!;
    if (!kept) {
      // A new reference: every penalty is forgiven.
      wasOut.clear();
      distantUntil.clear();
    }
    const referenceInterval = 2 ** Math.max(heard[chosen.index]!.poll, MIN_SIMULATED_POLL);
    for (const c of truechimers) {
      if (c !== chosen && wasOut.delete(c.index)) {
        distantUntil.set(c.index, t + DISTANT_PENALTY * referenceInterval);
        revisit(t + DISTANT_PENALTY * referenceInterval + 1e-9, q);
      }
      const config = configured(c.index, t);
      states[c.index] =
        c === chosen
          ? { state: SourceState.SELECTED, selectState: SelectState.BEST }
          : (distantUntil.get(c.index) ?? -Infinity) >= t
            ? { state: SourceState.SELECTABLE, selectState: SelectState.LARGE_DISTANCE }
            : config.state === SourceState.UNSELECTED || config.state === SourceState.SELECTABLE
              ? { state: config.state, selectState: config.selectdata.state }
              : { state: SourceState.UNSELECTED, selectState: SelectState.COMBINED };
    }
    markOut(truechimers);
    if (chosen.index !== initial.selected || restarted || reference >= 0) reference = chosen.index;
    selected = chosen.index;
    synchronised = true;
    lostSync = false;
  }
  return { states, reference, synchronised, lostSync, restarted };
}

// ---------------------------------------------------------------------------
// The state at a time
// ---------------------------------------------------------------------------

const wrap32 = (count: number): number => count % 2 ** 32;

function exactTime(time: WireTime): ExactTimeConfig {
  return { sec: time.seconds, nsec: time.nanoseconds };
}

/** `time` plus `seconds`, to the nanosecond (never before the epoch). */
function later(time: WireTime, seconds: number): ExactTimeConfig {
  let total = time.seconds * 1_000_000_000n + BigInt(time.nanoseconds) + BigInt(Math.round(seconds * 1e9));
  if (total < 0n) total = 0n;
  return { sec: total / 1_000_000_000n, nsec: Number(total % 1_000_000_000n) };
}

/** Whether a UTC day may end with a leap second: 30 June and 31 December (reference.c `is_leap_second_day()`). */
function isLeapSecondDay(seconds: number): boolean {
  const day = new Date(Math.floor(seconds) * 1000);
  return (day.getUTCMonth() === 5 && day.getUTCDate() === 30) || (day.getUTCMonth() === 11 && day.getUTCDate() === 31);
}

/** The first midnight (UTC) after `seconds` that ends a leap-second day: 1 July or 1 January. */
function nextLeapMidnight(seconds: number): number {
  const year = new Date(Math.floor(seconds) * 1000).getUTCFullYear();
  const july = Date.UTC(year, 6, 1) / 1000;
  return july > seconds ? july : Date.UTC(year + 1, 0, 1) / 1000;
}

/** The clock error of the `step` events at `t`, and what chronyd has measured of it. */
function clockAt(plan: Plan, t: number, noticedAt: (at: number) => number): { error: number; measured: number } {
  let error = 0;
  let measured = 0;
  for (const { at, step } of plan.steps) {
    if (at > t) break;
    const noticed = noticedAt(at);
    if (t < noticed) {
      error += step;
      continue;
    }
    const left = Math.sign(step) * Math.max(0, Math.abs(step) - MAX_SLEW_RATE * (t - noticed));
    error += left;
    measured += left;
  }
  return { error, measured };
}

/** A normalized source as a config that normalizes back to it: every value explicit, so that no default re-derives. */
function explicit(source: Source): SourceConfig {
  const { isReferenceClock, ntpdata, authdata, ...rest } = source;
  return {
    ...rest,
    // A reference clock takes no ntpdata or authdata (its defaults are what it had).
    ...(isReferenceClock || ntpdata === null ? {} : { ntpdata: { ...ntpdata, refTime: exactTime(ntpdata.refTime) }, authdata }),
  };
}

/**
 * The config of the state `elapsed` seconds after the start: every moved
 * value explicit (so no default re-derives from them), no timeline.
 */
export function configAt(input: ChronyStateConfig, elapsed: number): ChronyStateConfig {
  if (!(typeof elapsed === "number" && elapsed >= 0 && elapsed <= MAX_ELAPSED)) {
    throw new RangeError(`simulated time must be a number of seconds from 0 to ${MAX_ELAPSED}, got ${String(elapsed)}`);
  }
  const config = validateConfig(input);
  const base = normalizeState(config);
  const context: SourceContext = { leapStatus: base.tracking.leapStatus, refTime: base.tracking.refTime, version: base.version };
  const plan = resolveTimeline(config.timeline, config.sources ?? [], sourceAddress);
  // Each source as once heard from (for one configured never heard from: as it would be).
  const heardAt = (i: number, t: number): Source => {
    const source = plan.sources[i]!;
    const merged = sourceConfigAt(source, t);
    return i < base.sources.length && merged === source.config && base.sources[i]!.reachability !== 0
      ? base.sources[i]!
      : normalizeSource({ ...merged, reachability: merged.reachability || REACH_MASK, lastSampleAgo: merged.lastSampleAgo === NEVER || merged.reachability === 0 ? 0 : merged.lastSampleAgo }, source.path, context);
  };
  const atStart = plan.sources.map((source, i) => (i < base.sources.length ? base.sources[i]! : normalizeSource(source.config, source.path, context)));
  const motions = plan.sources.map((source, i) => moveSource(source, atStart[i]!, plan, elapsed));

  const startWall = Number(base.tracking.refTime.seconds) + base.tracking.refTime.nanoseconds / 1e9;
  // When each announcement is over: the midnight the leap second passes at.
  const leapEnds = plan.leaps.map(({ at, leap }) =>
    leap === LeapStatus.INSERT_SECOND || leap === LeapStatus.DELETE_SECOND ? nextLeapMidnight(startWall + at) - startWall : Infinity,
  );
  const leapAt = (t: number): LeapState => {
    let k = -1;
    while (k + 1 < plan.leaps.length && plan.leaps[k + 1]!.at <= t) k++;
    if (k < 0) return { leap: null };
    // Once the leap second has passed, the servers announce nothing.
    return { leap: t >= leapEnds[k]! ? LeapStatus.NORMAL : plan.leaps[k]!.leap };
  };

  const configuredSelected = base.sources.findIndex((s) => s.state === SourceState.SELECTED);
  const heard = plan.sources.map((_, i) => heardAt(i, elapsed));
  const history = select(plan, heard, motions, context, elapsed, {
    selected: configuredSelected,
    synchronised: base.tracking.leapStatus !== LeapStatus.NOT_SYNCHRONIZED,
  });
  const referenceIndex = history.reference >= 0 ? history.reference : configuredSelected;
  const referenceMotion = referenceIndex >= 0 ? motions[referenceIndex]!.final : null;
  // The last update of the reference: its last answer since the start, else the start.
  const lastAnswer = referenceMotion?.lastAnswer ?? null;
  const lastUpdate = lastAnswer !== null && lastAnswer > 0 ? lastAnswer : 0;
  // chronyd measures a step at the reference's next poll.
  const noticed = new Map<number, number>();
  const noticedAt = (at: number): number => {
    let time = noticed.get(at);
    if (time === undefined) {
      time = referenceIndex >= 0 ? moveSource(plan.sources[referenceIndex]!, atStart[referenceIndex]!, plan, at).final.nextPoll : at;
      noticed.set(at, time);
    }
    return time;
  };
  const clock = clockAt(plan, elapsed, noticedAt);
  const leap = leapAt(elapsed).leap;

  const tracking = { ...base.tracking, refTime: exactTime(base.tracking.refTime) };
  const rate = (tracking.skew + Math.abs(tracking.residualFreq) + MAX_CLOCK_ERROR_PPM) * 1e-6;
  let trackingConfig: TrackingConfig;
  if (history.lostSync) {
    trackingConfig = {
      ...tracking,
      ...UNSYNCHRONISED,
      offset: (history.restarted ? 0 : tracking.offset) - clock.measured,
      ...(history.restarted ? { lastOffset: 0, rmsOffset: 0, updateInterval: 0 } : {}),
    };
  } else if (!history.synchronised || referenceIndex < 0) {
    // Unsynchronised or without a selected source from the start: as configured.
    trackingConfig = { ...tracking, offset: tracking.offset - clock.measured };
  } else {
    const reference = history.reference >= 0 ? heard[history.reference]! : null;
    const announced = leap === LeapStatus.INSERT_SECOND || leap === LeapStatus.DELETE_SECOND;
    trackingConfig = {
      ...tracking,
      ...(reference
        ? { referenceId: reference.referenceId, referenceIp: reference.isReferenceClock ? null : reference.address, stratum: Math.min(reference.stratum + 1, 15) }
        : {}),
      // chronyd passes a leap second on only on the day it may happen.
      leapStatus:
        announced && isLeapSecondDay(startWall + elapsed)
          ? leap
          : leap !== null || tracking.leapStatus === LeapStatus.NOT_SYNCHRONIZED ? LeapStatus.NORMAL : tracking.leapStatus,
      refTime: later(base.tracking.refTime, lastUpdate),
      // The wire float saturates at FLOAT_MAX; so does the state.
      rootDispersion: Math.min(tracking.rootDispersion + (elapsed - lastUpdate) * rate, FLOAT_MAX),
      offset: tracking.offset - clock.measured,
      // The update that measured a step says so; later ones measure against the corrected time.
      lastOffset: tracking.lastOffset + plan.steps.filter(({ at }) => Math.abs(noticedAt(at) - lastUpdate) < 1e-9).reduce((sum, { step }) => sum + step, 0),
    };
  }

  const sources: SourceConfig[] = [];
  plan.sources.forEach((source, i) => {
    if (elapsed < source.addedAt || elapsed >= source.removedAt) return;
    const motion = motions[i]!.final;
    const selection = history.states[i];
    const neverHeard = motion.lastAnswer === null;
    if (neverHeard) {
      const { address, mode, referenceId, selectdata, authdata } = sourceConfigAt(source, elapsed);
      sources.push({
        ...(address !== undefined ? { address } : {}),
        ...(mode !== undefined ? { mode } : {}),
        ...(referenceId !== undefined ? { referenceId } : {}),
        poll: motion.poll,
        reachability: 0,
        lastSampleAgo: NEVER,
        state: SourceState.NONSELECTABLE,
        selectdata: { ...(selectdata?.configuredOptions !== undefined ? { configuredOptions: selectdata.configuredOptions } : {}), ...(selection ? { state: selection.selectState } : {}) },
        ...(atStart[i]!.isReferenceClock ? {} : { authdata: authdata ?? {}, ntpdata: { transmittedMessages: wrap32(motion.polls) } }),
      });
      return;
    }
    const once = heard[i]!;
    const ago = Math.min(Math.floor(elapsed - motion.lastAnswer!), NEVER - 1);
    const counted = motion.fresh ? motion.totalAnswers : null;
    // What its last sample measured of the clock's error: chronyd measures against its corrected
    // time, so only a step it has not yet taken into account shows.
    const atAnswer = clockAt(plan, motion.lastAnswer!, noticedAt);
    const measuredError = atAnswer.error - atAnswer.measured;
    const config = explicit(once);
    const ntpdata = config.ntpdata;
    const sourceLeap = leap ?? undefined;
    sources.push({
      ...config,
      poll: motion.poll,
      reachability: motion.reachability,
      lastSampleAgo: ago,
      origLatestMeas: once.origLatestMeas + measuredError,
      latestMeas: once.latestMeas + measuredError,
      state: selection?.state ?? once.state,
      sourcestats: counted === null ? once.sourcestats : { ...once.sourcestats, samples: Math.min(counted, once.sourcestats.samples), span: Math.min(once.sourcestats.span, Math.max(0, Math.floor(motion.lastAnswer! - motion.epochStart))) },
      selectdata: {
        ...once.selectdata,
        state: selection?.selectState ?? once.selectdata.state,
        lastSampleAgo: ago,
        // Selectdata keeps the leap status of the last synchronised reply.
        ...(sourceLeap !== undefined && sourceLeap !== LeapStatus.NOT_SYNCHRONIZED && !once.isReferenceClock ? { leapStatus: sourceLeap } : {}),
      },
      ...(ntpdata
        ? {
            ntpdata: {
              ...ntpdata,
              offset: once.ntpdata!.offset + measuredError,
              ...(sourceLeap !== undefined ? { leapStatus: sourceLeap } : {}),
              // chronyd's counters are 32-bit and wrap.
              transmittedMessages: wrap32((counted === null ? once.ntpdata!.transmittedMessages : 0) + motion.polls),
              receivedMessages: wrap32((counted === null ? once.ntpdata!.receivedMessages : 0) + motion.totalAnswers),
              receivedValidMessages: wrap32((counted === null ? once.ntpdata!.receivedValidMessages : 0) + motion.totalAnswers),
              receivedGoodMessages: wrap32((counted === null ? once.ntpdata!.receivedGoodMessages : 0) + motion.totalAnswers),
            },
          }
        : {}),
    });
  });

  const { rtc, smoothing } = base;
  return {
    ...(config.serverVersion !== undefined ? { serverVersion: config.serverVersion } : {}),
    tracking: trackingConfig,
    sources,
    rtc: rtc === null ? null : { ...rtc, refTime: exactTime(rtc.refTime) },
    smoothing,
    // Counts of sources re-derive from the sources present, unless configured.
    ...(config.activity !== undefined ? { activity: config.activity } : {}),
    ...(history.restarted ? {} : { serverstats: base.serverstats }),
  };
}

/** The state served `elapsed` seconds after the start. */
export function stateAt(config: ChronyStateConfig, elapsed: number): ServerState {
  return elapsed === 0 ? normalizeState(config) : normalizeState(configAt(config, elapsed));
}
