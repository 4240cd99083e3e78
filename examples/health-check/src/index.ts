/**
 * A chrony health check, as an operator would write it on `@chrony/bindings`:
 * is chronyd synchronized, is a leap second pending, are there enough
 * reachable and selectable sources, are offset and root distance within
 * bounds, is the RTC drifting? One verdict (`ok` / `warn` / `critical`, as
 * monitoring systems want) with the reasons and the values behind it.
 *
 * @packageDocumentation
 */
import {
  ChronyConnection,
  ChronyConnectionError,
  ChronyDataError,
  ChronyError,
  ChronyLibraryError,
  ChronyPermissionError,
  ChronyTimeoutError,
  type ChronyConnectionOptions,
  type RTCData,
  type Source,
  type TrackingStatus,
} from "@chrony/bindings";
import { LEAP_STATUS, LeapStatus, SourceState } from "@chrony/fields";

/** `ok`: nothing to do; `warn`: look at it soon; `critical`: time is wrong or unknown. */
export type Verdict = "ok" | "warn" | "critical";

/** Limits of the check; every one has a default ({@link DEFAULT_THRESHOLDS}). */
export interface HealthThresholds {
  /** |offset| above this (seconds) warns. */
  readonly offsetWarn: number;
  /** |offset| above this (seconds) is critical. */
  readonly offsetCritical: number;
  /** Root distance (rootDelay/2 + rootDispersion + |offset|) above this (seconds) warns. */
  readonly rootDistanceWarn: number;
  /** Root distance above this (seconds) is critical. */
  readonly rootDistanceCritical: number;
  /** Fewer selectable sources than this is critical (unless the host serves a local reference). */
  readonly minSelectableSources: number;
  /** Frequency skew above this (ppm) warns: an unstable oscillator. */
  readonly skewWarnPpm: number;
  /** RTC drift (|freqOffset|) above this (ppm) warns. */
  readonly rtcDriftWarnPpm: number;
}

/** The default limits. */
export const DEFAULT_THRESHOLDS: HealthThresholds = Object.freeze({
  offsetWarn: 0.05,
  offsetCritical: 1,
  rootDistanceWarn: 0.1,
  rootDistanceCritical: 1,
  minSelectableSources: 1,
  skewWarnPpm: 2,
  rtcDriftWarnPpm: 100,
});

/** What the check measured (`null` where it could not read it). */
export interface HealthValues {
  readonly synchronized: boolean | null;
  readonly reference: string | null;
  readonly stratum: number | null;
  /** Leap status by name: `"normal"`, `"insert second"`, … */
  readonly leap: string | null;
  readonly offset: number | null;
  readonly rootDelay: number | null;
  readonly rootDispersion: number | null;
  /** rootDelay/2 + rootDispersion + |offset|: the bound on the clock's error, seconds. */
  readonly rootDistance: number | null;
  readonly skewPpm: number | null;
  readonly sources: number | null;
  readonly reachableSources: number | null;
  readonly selectableSources: number | null;
  readonly falsetickers: number | null;
  readonly jitterySources: number | null;
  /** RTC drift in ppm, `null` when chronyd does not track the RTC. */
  readonly rtcDriftPpm: number | null;
  /** The error that stopped the check, by class name (`ChronyPermissionError`, …). */
  readonly error: string | null;
}

/** The outcome of a check. */
export interface HealthReport {
  readonly verdict: Verdict;
  /** Why it is not `ok` (empty when it is), most severe first. */
  readonly reasons: readonly string[];
  readonly values: HealthValues;
}

/** What {@link checkHealth} reads from chronyd. */
export interface HealthSnapshot {
  readonly tracking: TrackingStatus;
  readonly sources: readonly Source[];
  readonly rtc: RTCData | null;
}

/** Options of {@link checkHealth}: how to connect, and the limits. */
export interface HealthCheckOptions extends ChronyConnectionOptions {
  readonly thresholds?: Partial<HealthThresholds>;
}

const NO_VALUES: HealthValues = Object.freeze({
  synchronized: null,
  reference: null,
  stratum: null,
  leap: null,
  offset: null,
  rootDelay: null,
  rootDispersion: null,
  rootDistance: null,
  skewPpm: null,
  sources: null,
  reachableSources: null,
  selectableSources: null,
  falsetickers: null,
  jitterySources: null,
  rtcDriftPpm: null,
  error: null,
});

/** Source states chronyd would use or has used: `*`, `+` and `-`. */
const SELECTABLE = new Set<number>([SourceState.SELECTED, SourceState.SELECTABLE, SourceState.UNSELECTED]);
/** chronyd's reference ID when it serves its own clock (`local` directive): "LOCL" as 127.127.1.1. */
const LOCAL_REFERENCE_ID = 0x7f7f0101;

const fmt = (seconds: number) => (Math.abs(seconds) >= 0.1 ? `${seconds.toFixed(3)} s` : `${(seconds * 1000).toFixed(3)} ms`);

/**
 * Checks chronyd's health. Opens its own `ChronyConnection` (with
 * `options`) unless given one, which it then leaves open. Never throws for
 * chronyd's failures: an unreachable chronyd, a refused request, a timeout or
 * invalid data is a `critical` verdict whose reason says what happened (and,
 * for permissions, how to fix it).
 */
export async function checkHealth(target: ChronyConnection | HealthCheckOptions = {}): Promise<HealthReport> {
  const thresholds = { ...DEFAULT_THRESHOLDS, ...(target instanceof ChronyConnection ? {} : target.thresholds) };
  try {
    if (target instanceof ChronyConnection) return evaluateHealth(await readSnapshot(target), thresholds);
    const { thresholds: _ignored, ...options } = target;
    await using connection = await ChronyConnection.open(options);
    return evaluateHealth(await readSnapshot(connection), thresholds);
  } catch (error) {
    if (!(error instanceof ChronyError)) throw error;
    return { verdict: "critical", reasons: [describeFailure(error)], values: { ...NO_VALUES, error: error.name } };
  }
}

/** Reads what the check needs: tracking, sources and the RTC (null when not tracked). */
export async function readSnapshot(connection: ChronyConnection): Promise<HealthSnapshot> {
  const tracking = await connection.getTracking();
  const sources = await connection.getSources();
  const rtc = await connection.getRtcData();
  return { tracking, sources, rtc };
}

/** A reason for a failure to read chronyd at all. */
export function describeFailure(error: ChronyError): string {
  if (error instanceof ChronyPermissionError) return `not allowed to talk to chronyd: ${error.message}`;
  if (error instanceof ChronyTimeoutError) return `chronyd did not answer (${error.attempts} attempt(s) of ${error.timeoutMs} ms)`;
  if (error instanceof ChronyLibraryError) return `libchrony is not installed: ${error.message}`;
  if (error instanceof ChronyConnectionError) return `cannot reach chronyd (is it running?): ${error.message}`;
  if (error instanceof ChronyDataError) return `chronyd sent invalid data${error.field ? ` in ${error.field}` : ""}: ${error.message}`;
  return `chronyd answered with an error${error.codeName ? ` (${error.codeName})` : ""}: ${error.message}`;
}

/** The verdict for a snapshot: pure, so it can be tested with made-up reports. */
export function evaluateHealth(snapshot: HealthSnapshot, limits: Partial<HealthThresholds> = {}): HealthReport {
  const t = { ...DEFAULT_THRESHOLDS, ...limits };
  const { tracking, sources, rtc } = snapshot;
  const critical: string[] = [];
  const warn: string[] = [];

  const synchronized = tracking.isSynchronized() && tracking.leapStatus !== LeapStatus.NOT_SYNCHRONIZED;
  const absOffset = Math.abs(tracking.offset);
  const rootDistance = tracking.rootDelay / 2 + tracking.rootDispersion + absOffset;
  const reachable = sources.filter((s) => s.isReachable()).length;
  const selectable = sources.filter((s) => SELECTABLE.has(s.state)).length;
  const falsetickers = sources.filter((s) => s.state === SourceState.FALSETICKER).length;
  const jittery = sources.filter((s) => s.state === SourceState.JITTERY).length;
  const localOnly = sources.length === 0 && tracking.referenceId === LOCAL_REFERENCE_ID;

  if (!synchronized) critical.push("not synchronized to any source");
  if (tracking.isLeapPending()) warn.push(`leap second pending: ${LEAP_STATUS.nameOf(tracking.leapStatus)} at the end of the day`);
  if (synchronized && tracking.stratum >= 15) warn.push(`stratum ${tracking.stratum}: clients of this host cannot synchronize to it`);

  if (localOnly) warn.push("no time sources: serving the local clock only (`local` reference)");
  else if (sources.length === 0) critical.push("no time sources configured");
  else {
    if (reachable === 0) critical.push(`none of the ${sources.length} source(s) is reachable`);
    else if (reachable < sources.length) warn.push(`${sources.length - reachable} of ${sources.length} source(s) unreachable`);
    if (selectable < t.minSelectableSources) critical.push(`${selectable} selectable source(s), need ${t.minSelectableSources}`);
    if (falsetickers > 0) warn.push(`${falsetickers} falseticker(s)`);
    if (jittery > 0) warn.push(`${jittery} source(s) too jittery`);
  }

  if (absOffset > t.offsetCritical) critical.push(`offset ${fmt(tracking.offset)} beyond ${fmt(t.offsetCritical)}`);
  else if (absOffset > t.offsetWarn) warn.push(`offset ${fmt(tracking.offset)} beyond ${fmt(t.offsetWarn)}`);
  if (synchronized) {
    if (rootDistance > t.rootDistanceCritical) critical.push(`root distance ${fmt(rootDistance)} beyond ${fmt(t.rootDistanceCritical)}`);
    else if (rootDistance > t.rootDistanceWarn) warn.push(`root distance ${fmt(rootDistance)} beyond ${fmt(t.rootDistanceWarn)}`);
    if (tracking.skew > t.skewWarnPpm) warn.push(`frequency unstable: skew ${tracking.skew.toFixed(3)} ppm beyond ${t.skewWarnPpm} ppm`);
  }
  if (rtc && Math.abs(rtc.freqOffset) > t.rtcDriftWarnPpm) {
    warn.push(`RTC drifting ${rtc.freqOffset.toFixed(3)} ppm (beyond ${t.rtcDriftWarnPpm} ppm)`);
  }

  const verdict: Verdict = critical.length ? "critical" : warn.length ? "warn" : "ok";
  return {
    verdict,
    reasons: [...critical, ...warn],
    values: {
      synchronized,
      reference: tracking.referenceIp || tracking.referenceIdName,
      stratum: tracking.stratum,
      leap: LEAP_STATUS.nameOf(tracking.leapStatus),
      offset: tracking.offset,
      rootDelay: tracking.rootDelay,
      rootDispersion: tracking.rootDispersion,
      rootDistance,
      skewPpm: tracking.skew,
      sources: sources.length,
      reachableSources: reachable,
      selectableSources: selectable,
      falsetickers,
      jitterySources: jittery,
      rtcDriftPpm: rtc ? rtc.freqOffset : null,
      error: null,
    },
  };
}
