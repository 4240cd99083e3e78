/**
 * Simulated time: the state a config describes, `elapsed` seconds after the
 * start, moved as chronyd 4.3 moves it (see the README's "Simulated time").
 * The state is a pure function of the config and the time, so
 * `advance(a); advance(b)` is `advance(a + b)` whenever `a + b` is the same
 * number either way.
 *
 * What moves, after chronyd's sources.c, ntp_core.c and reference.c:
 *
 * - every source polls every 2^poll s, the first poll `2^poll − lastSampleAgo
 *   mod 2^poll` s after the start (so a sample is 2^poll s apart);
 * - the reachability register shifts in a 1 when a poll is answered (at once)
 *   and a 0 at the next poll when it was not (`SRC_UpdateReachability()`
 *   from `transmit_timeout()`); `answers: true` also answers the request
 *   still pending, as a server resumed after SIGSTOP does;
 * - an NTP source polling below 1 s polls every 1 s while its register is 0
 *   (`MIN_NONLAN_POLL` in `adjust_poll()`), and at its poll again once it
 *   answers;
 * - `lastSampleAgo` counts whole seconds since the last answer;
 * - a source that had samples and whose register reaches 0 becomes
 *   unselectable (`?`, selectdata `S`, stale); it takes its state back when it
 *   answers again;
 * - tracking keeps its reference, stratum and leap status (chronyd does not
 *   reselect without a selectable source), and its root dispersion grows
 *   from the last answer of the selected source at `skew + |residual
 *   frequency| + maxclockerror` (1 ppm, chronyd's default) per second, as
 *   `get_root_dispersion()`; `refTime` is the time of that answer.
 */
import { SelectState, SourceState } from "@chrony/fields";
import type { WireTime } from "@chrony/protocol";
import type { ChronyStateConfig, ExactTimeConfig, SourceConfig } from "./config.js";
import { normalizeState, type ServerState, type Source } from "./normalize.js";
import { resolveTimeline, type ResolvedEvent } from "./timeline.js";
import { validateConfig } from "./schema.js";
import { FLOAT_MAX } from "./spec.js";

/** chronyd's default `maxclockerror`: 1 ppm. */
export const MAX_CLOCK_ERROR_PPM = 1;
/** `MIN_NONLAN_POLL` (ntp_core.c): the shortest poll of an unreachable NTP source. */
const MIN_NONLAN_POLL = 0;
const NEVER = 0xffffffff;
const REACH_MASK = 0xff;
/** The shortest poll simulated: chronyd's minimum `minpoll`, −6 (1/64 s). A shorter configured poll is reported as configured. */
const MIN_SIMULATED_POLL = -6;
/** The longest simulated time: lastSampleAgo's range (2^32 − 1 s, about 136 years). */
export const MAX_ELAPSED = NEVER;

/** How one source moved. */
interface SourceMotion {
  readonly reachability: number;
  readonly poll: number;
  /** Time (seconds since the start; negative before it) of the last answer, `null` for never. */
  readonly lastAnswer: number | null;
}

/** Where a source's events say whether it answers at time `t`. */
function answersAt(events: readonly ResolvedEvent[], initial: boolean, t: number): boolean {
  let answers = initial;
  for (const event of events) {
    if (event.at > t) break;
    answers = event.answers;
  }
  return answers;
}

/** The polls of one source up to `elapsed`, with the events that concern it. */
function moveSource(source: Source, events: readonly ResolvedEvent[], elapsed: number): SourceMotion {
  const initial = source.reachability !== 0;
  const basePoll = source.poll;
  const pollOf = (reach: number): number => (!source.isReferenceClock && reach === 0 && basePoll < MIN_NONLAN_POLL ? MIN_NONLAN_POLL : basePoll);
  let reach = source.reachability;
  let lastAnswer: number | null = source.lastSampleAgo === NEVER ? null : -source.lastSampleAgo;
  // Whether the request sent at the last poll was answered (before the start: as the register says).
  let pendingAnswered = initial;
  const intervalOf = (reach: number): number => 2 ** Math.max(pollOf(reach), MIN_SIMULATED_POLL);
  let interval = intervalOf(reach);
  // Poll times are segmentStart + n * interval with an integer n, so that no rounding accumulates.
  let segmentStart = source.lastSampleAgo === NEVER ? 0 : -(source.lastSampleAgo % interval);
  let n = 1;
  // Answering events ("answers again") in time order, each consumed once.
  const resumes = events.filter((e) => e.answers);
  let nextResume = 0;
  for (;;) {
    const tick = segmentStart + n * interval;
    // A resume before the next poll answers the pending request.
    while (nextResume < resumes.length && resumes[nextResume]!.at < tick && resumes[nextResume]!.at <= elapsed) {
      const at = resumes[nextResume++]!.at;
      if (!pendingAnswered && at > 0 && answersAt(events, initial, at)) {
        reach = ((reach << 1) | 1) & REACH_MASK;
        lastAnswer = at;
        pendingAnswered = true;
        // Back at its own poll: the next one an interval after the answer.
        interval = intervalOf(reach);
        segmentStart = at;
        n = 1;
      }
    }
    if (segmentStart + n * interval !== tick) continue;
    if (tick > elapsed) break;
    const answers = answersAt(events, initial, tick);
    // Steady state until the next event or the end: skip the polls that change nothing but the time.
    const nextEvent = events.find((e) => e.at > tick)?.at ?? Infinity;
    const until = Math.min(nextEvent, elapsed);
    const steady = answers ? pendingAnswered && reach === REACH_MASK : !pendingAnswered && reach === 0;
    if (steady && until - tick >= 2 * interval) {
      const skip = Math.floor((until - tick) / interval) - 1;
      if (skip > 0) {
        n += skip;
        if (answers) lastAnswer = segmentStart + (n - 1) * interval;
        continue;
      }
    }
    if (!pendingAnswered) reach = (reach << 1) & REACH_MASK;
    if (answers) {
      reach = ((reach << 1) | 1) & REACH_MASK;
      lastAnswer = tick;
    }
    pendingAnswered = answers;
    const next = intervalOf(reach);
    if (next !== interval) {
      interval = next;
      segmentStart = tick;
      n = 1;
    } else {
      n++;
    }
  }
  return { reachability: reach, poll: pollOf(reach), lastAnswer };
}

function exactTime(time: WireTime): ExactTimeConfig {
  return { sec: time.seconds, nsec: time.nanoseconds };
}

/** `time` plus `seconds` (≥ 0), to the nanosecond. */
function later(time: WireTime, seconds: number): ExactTimeConfig {
  const total = time.seconds * 1_000_000_000n + BigInt(time.nanoseconds) + BigInt(Math.round(seconds * 1e9));
  return { sec: total / 1_000_000_000n, nsec: Number(total % 1_000_000_000n) };
}

/** A normalized source as a config that normalizes back to it, with its motion applied. */
function sourceConfig(source: Source, motion: SourceMotion, elapsed: number): SourceConfig {
  const { isReferenceClock, ntpdata, authdata, ...rest } = source;
  const lost = motion.reachability === 0 && source.reachability !== 0;
  const agoSeconds = motion.lastAnswer === null ? NEVER : Math.min(Math.floor(elapsed - motion.lastAnswer), NEVER - 1);
  return {
    ...rest,
    poll: motion.poll,
    reachability: motion.reachability,
    lastSampleAgo: agoSeconds,
    // Stale: chronyd does not select a source without reach whose samples are older than the reachable ones'.
    state: lost ? SourceState.NONSELECTABLE : source.state,
    selectdata: { ...source.selectdata, state: lost ? SelectState.STALE : source.selectdata.state },
    // A reference clock takes no ntpdata or authdata (its defaults are what it had).
    ...(isReferenceClock || ntpdata === null ? {} : { ntpdata: { ...ntpdata, refTime: exactTime(ntpdata.refTime) }, authdata }),
  };
}

/**
 * The config of the state `elapsed` seconds after the start: every value
 * explicit (so no default re-derives from the moved values), no timeline.
 */
export function configAt(input: ChronyStateConfig, elapsed: number): ChronyStateConfig {
  if (!(typeof elapsed === "number" && elapsed >= 0 && elapsed <= MAX_ELAPSED)) {
    throw new RangeError(`simulated time must be a number of seconds from 0 to ${MAX_ELAPSED}, got ${String(elapsed)}`);
  }
  const config = validateConfig(input);
  const base = normalizeState(config);
  const events = resolveTimeline(config.timeline, base.sources.map((s) => s.address));
  const motions = base.sources.map((source, i) => moveSource(source, events.filter((e) => e.source === i), elapsed));
  const selected = base.sources.findIndex((s) => s.state === SourceState.SELECTED);
  // The last update of the reference: the selected source's last answer since the start, else the start.
  const lastAnswer = selected >= 0 ? motions[selected]!.lastAnswer : null;
  const lastUpdate = lastAnswer !== null && lastAnswer > 0 ? lastAnswer : 0;
  const tracking = base.tracking;
  const rate = (tracking.skew + Math.abs(tracking.residualFreq) + MAX_CLOCK_ERROR_PPM) * 1e-6;
  // The wire float saturates at FLOAT_MAX; so does the state.
  const grown = selected >= 0 ? Math.min(tracking.rootDispersion + (elapsed - lastUpdate) * rate, FLOAT_MAX) : tracking.rootDispersion;
  const { rtc, smoothing } = base;
  return {
    ...(config.serverVersion !== undefined ? { serverVersion: config.serverVersion } : {}),
    tracking: {
      ...tracking,
      refTime: later(tracking.refTime, lastUpdate),
      rootDispersion: grown,
    },
    sources: base.sources.map((source, i) => sourceConfig(source, motions[i]!, elapsed)),
    rtc: rtc === null ? null : { ...rtc, refTime: exactTime(rtc.refTime) },
    smoothing,
    activity: base.activity,
    serverstats: base.serverstats,
  };
}

/** The state served `elapsed` seconds after the start. */
export function stateAt(config: ChronyStateConfig, elapsed: number): ServerState {
  return elapsed === 0 ? normalizeState(config) : normalizeState(configAt(config, elapsed));
}
