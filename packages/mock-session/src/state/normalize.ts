/**
 * Fills every default of a validated config, deriving what a real chronyd
 * would keep consistent: tracking follows the selected source, selectdata's
 * state follows the source's, reference IDs follow addresses.
 */
import {
  AuthMode,
  LeapStatus,
  NtpFlag,
  NtpMode,
  NtpTimestamping,
  SelectOption,
  SelectState,
  SourceMode,
  SourceState,
} from "@chrony/fields";
import { isIP, isIPv4 } from "node:net";
import type {
  ActivityConfig,
  AuthDataConfig,
  ChronyStateConfig,
  NtpDataConfig,
  RTCConfig,
  SelectDataConfig,
  ServerStatsConfig,
  SmoothingConfig,
  SourceConfig,
  SourceStatsConfig,
  TimeValue,
  TrackingConfig,
} from "./config.js";
import { ChronyConfigError } from "./errors.js";
import { validateConfig } from "./schema.js";
import { mergeSource } from "./merge.js";
import { resolveTimeline, type Plan } from "./timeline.js";
import { referenceIdOf, type WireTime } from "@chrony/protocol";

type Full<T> = { readonly [K in keyof T]-?: Exclude<T[K], undefined> };


export type Tracking = Full<Omit<TrackingConfig, "refTime">> & { readonly refTime: WireTime };
export type SourceStats = Full<SourceStatsConfig>;
export type SelectData = Full<SelectDataConfig>;
export type NtpData = Full<Omit<NtpDataConfig, "refTime">> & { readonly refTime: WireTime };
export type AuthData = Full<AuthDataConfig>;
export interface Source extends Full<Omit<SourceConfig, "sourcestats" | "selectdata" | "ntpdata" | "authdata">> {
  readonly isReferenceClock: boolean;
  readonly sourcestats: SourceStats;
  readonly selectdata: SelectData;
  /** `null` for reference clocks, which have no NTP data. */
  readonly ntpdata: NtpData | null;
  readonly authdata: AuthData;
}
export type Rtc = Full<Omit<RTCConfig, "available" | "refTime">> & { readonly refTime: WireTime };
export type Smoothing = Full<SmoothingConfig>;
export type Activity = Full<ActivityConfig>;
export type ServerStats = { readonly [K in keyof ServerStatsConfig]-?: bigint };

/** A chronyd version as a comparable number: "4.3" → 4.03. */
export type Version = number;

/** Everything the simulated chronyd serves, with every default resolved. */
export interface ServerState {
  readonly version: Version;
  readonly tracking: Tracking;
  readonly sources: readonly Source[];
  readonly rtc: Rtc | null;
  readonly smoothing: Smoothing | null;
  readonly activity: Activity;
  readonly serverstats: ServerStats;
}

/** What `{}` and absent keys mean. */
export const DEFAULTS = Object.freeze({
  serverVersion: "4.3",
  refTime: { sec: 1705320000, nsec: 123456789 },
  source: { address: "192.168.1.100", poll: 6, referenceClockPoll: 4, stratum: 2 },
});

export function parseVersion(text: string): Version {
  const [major, minor] = text.split(".").map(Number) as [number, number];
  return major + minor / 100;
}

export function toTime(value: TimeValue): WireTime {
  if (typeof value !== "number") return { seconds: BigInt(value.sec), nanoseconds: value.nsec };
  const seconds = Math.floor(value);
  // Rounding can carry a whole second (x.9999999999).
  const nanoseconds = Math.round((value - seconds) * 1e9);
  return nanoseconds >= 1e9 ? { seconds: BigInt(seconds + 1), nanoseconds: 0 } : { seconds: BigInt(seconds), nanoseconds };
}

const NEVER = 0xffffffff;

/** pychrony's sourcestats defaults for a source with samples. */
const HEARD_STATS: SourceStats = { samples: 8, runs: 3, span: 512, stdDev: 0.0001, residFreq: 0.001, skew: 0.005, offset: 0.000123456, offsetErr: 0.00001 };
/** What chronyd 4.3 reports for a source without samples (lab trace): maximal skew and deviation. */
const EMPTY_STATS: SourceStats = { samples: 0, runs: 0, span: 0, stdDev: 4, residFreq: 0, skew: 2000, offset: 0, offsetErr: 0 };

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/**
 * The selectdata state chronyd reports alongside each sources-report state.
 * A source without samples is `M` (missing samples) except in chronyd 4.3
 * and 4.4, which checked synchronisation first and said `s` (sources.c; 4.6
 * moved the check back after the samples').
 */
function defaultSelectState(state: SourceState, configuredOptions: number, heard: boolean, version: Version): SelectState {
  switch (state) {
    case SourceState.SELECTED:
      return SelectState.BEST;
    case SourceState.UNSELECTED:
      return SelectState.COMBINED;
    case SourceState.SELECTABLE:
      return SelectState.LARGE_DISTANCE;
    case SourceState.FALSETICKER:
      return SelectState.FALSETICKER;
    case SourceState.JITTERY:
      return SelectState.JITTERY;
    default:
      if (configuredOptions & SelectOption.NOSELECT) return SelectState.IGNORED;
      // There is no `s` before 4.3.
      if (version < 4.03 || (!heard && version >= 4.06)) return SelectState.MISSING_SAMPLES;
      return SelectState.NOT_SYNCHRONIZED;
  }
}

/** The sources-report state chronyd derives from a selectdata state (sources.c `SRC_ReportSource`). */
export function sourceStateOf(selectState: number): SourceState {
  switch (String.fromCharCode(selectState)) {
    case "x":
      return SourceState.FALSETICKER;
    case "~":
      return SourceState.JITTERY;
    case "W":
    case "P":
    case "U":
    case "D":
    case "L":
      return SourceState.SELECTABLE;
    case "+":
      return SourceState.UNSELECTED;
    case "*":
      return SourceState.SELECTED;
    default:
      return SourceState.NONSELECTABLE;
  }
}

/** What a source's defaults depend on besides its own config. */
export interface SourceContext {
  readonly leapStatus: LeapStatus;
  readonly refTime: WireTime;
  readonly version: Version;
}

/** Resolves every default of one source; `path` (`sources[2]`) prefixes its errors. */
export function normalizeSource(config: SourceConfig, path: string, tracking: SourceContext): Source {
  const address = config.address ?? DEFAULTS.source.address;
  const isIpAddress = isIP(address) !== 0;
  const mode = config.mode ?? (isIpAddress ? SourceMode.CLIENT : SourceMode.REFERENCE_CLOCK);
  const isReferenceClock = mode === SourceMode.REFERENCE_CLOCK;
  if (isReferenceClock === isIpAddress) {
    throw new ChronyConfigError(
      `${path}.address`,
      isReferenceClock ? "a reference clock name (not an IP address) for mode REFERENCE_CLOCK" : "an IP address for an NTP client or peer source",
      address,
    );
  }
  if (isReferenceClock) {
    // A reference clock's name is its reference ID (chronyd sends it in the address): they cannot differ.
    const named = referenceIdOf(address);
    if (config.referenceId !== undefined && config.referenceId !== named) {
      throw new ChronyConfigError(
        `${path}.referenceId`,
        `the reference ID of the reference clock's name "${address}" (${named}, or no referenceId)`,
        config.referenceId,
      );
    }
    // chronyd keeps no NTP or authentication data for a reference clock: such records would never reach a client.
    for (const key of ["ntpdata", "authdata"] as const) {
      if (config[key] !== undefined) throw new ChronyConfigError(`${path}.${key}`, `no ${key} for a reference clock (an NTP source only)`, config[key]);
    }
  }
  const reachability = config.reachability ?? 255;
  // A source with an empty reachability register is taken as never heard from: chronyd 4.3 reports it with no sample at all.
  const heard = reachability !== 0;
  const selectConfig = config.selectdata ?? {};
  const state =
    config.state ??
    (selectConfig.state !== undefined ? sourceStateOf(selectConfig.state) : heard ? SourceState.SELECTED : SourceState.NONSELECTABLE);
  const configuredOptions = selectConfig.configuredOptions ?? 0;
  const selectState = selectConfig.state ?? defaultSelectState(state, configuredOptions, heard, tracking.version);
  if (sourceStateOf(selectState) !== state) {
    throw new ChronyConfigError(
      `${path}.selectdata.state`,
      `a selection state that chronyd reports as source state ${state}`,
      String.fromCharCode(selectState),
    );
  }
  const latestMeas = config.latestMeas ?? (heard ? 0.000123456 : 0);
  const latestMeasErr = config.latestMeasErr ?? (heard ? 0.00001 : 0);
  const lastSampleAgo = config.lastSampleAgo ?? (heard ? 32 : NEVER);
  const poll = config.poll ?? (isReferenceClock ? DEFAULTS.source.referenceClockPoll : DEFAULTS.source.poll);
  const stratum = config.stratum ?? (isReferenceClock || !heard ? 0 : DEFAULTS.source.stratum);
  // Without samples, or not synchronised: chronyd reports no leap status and no limits for it.
  const unsynchronized = selectState === SelectState.NOT_SYNCHRONIZED || selectState === SelectState.MISSING_SAMPLES;
  // chronyd computes selection limits only for sources it considered.
  const noLimits = unsynchronized || selectState === SelectState.IGNORED;
  const authConfig = config.authdata ?? {};
  const authMode = authConfig.mode ?? AuthMode.NONE;
  const authdata: AuthData = {
    mode: authMode,
    keyType: authConfig.keyType ?? (authMode === AuthMode.NTS ? 15 : authMode === AuthMode.SYMMETRIC_KEY ? 3 : 0),
    keyId: authConfig.keyId ?? (authMode === AuthMode.SYMMETRIC_KEY ? 1 : 0),
    keyLength: authConfig.keyLength ?? (authMode === AuthMode.NONE ? 0 : authMode === AuthMode.NTS ? 256 : 160),
    keyEstablishmentAttempts: authConfig.keyEstablishmentAttempts ?? (authMode === AuthMode.NTS ? 1 : 0),
    lastKeyEstablishmentAgo: authConfig.lastKeyEstablishmentAgo ?? (authMode === AuthMode.NTS ? 3600 : NEVER),
    cookies: authConfig.cookies ?? (authMode === AuthMode.NTS ? 8 : 0),
    cookieLength: authConfig.cookieLength ?? (authMode === AuthMode.NTS ? 100 : 0),
    nak: authConfig.nak ?? false,
  };
  const leapStatus =
    selectConfig.leapStatus ??
    (unsynchronized ? LeapStatus.NOT_SYNCHRONIZED : tracking.leapStatus === LeapStatus.NOT_SYNCHRONIZED ? LeapStatus.NORMAL : tracking.leapStatus);
  const selectdata: SelectData = {
    state: selectState,
    authenticated: selectConfig.authenticated ?? authMode !== AuthMode.NONE,
    leapStatus,
    configuredOptions,
    effectiveOptions: selectConfig.effectiveOptions ?? configuredOptions,
    // A source never sampled shows 0 here although the sources report shows "never" (lab trace, chronyd 4.3).
    lastSampleAgo: selectConfig.lastSampleAgo ?? (heard ? lastSampleAgo : 0),
    score: selectConfig.score ?? 1,
    lowLimit: selectConfig.lowLimit ?? (noLimits ? 0 : latestMeas - latestMeasErr),
    highLimit: selectConfig.highLimit ?? (noLimits ? 0 : latestMeas + latestMeasErr),
  };
  const statsConfig = config.sourcestats ?? {};
  const statsDefaults = heard ? HEARD_STATS : EMPTY_STATS;
  const sourcestats: SourceStats = { ...statsDefaults, ...definedOnly(statsConfig) };
  const ntpdata = isReferenceClock
    ? null
    : normalizeNtpData(config.ntpdata ?? {}, { address, mode, poll, stratum, reachability, latestMeas, authMode, leapStatus, tracking });
  return {
    address,
    mode,
    poll,
    stratum,
    state,
    flags: config.flags ?? 0,
    reachability,
    lastSampleAgo,
    origLatestMeas: config.origLatestMeas ?? latestMeas,
    latestMeas,
    latestMeasErr,
    referenceId: config.referenceId ?? referenceIdOf(address),
    isReferenceClock,
    sourcestats,
    selectdata,
    ntpdata,
    authdata,
  };
}

interface NtpContext {
  address: string;
  mode: SourceMode;
  poll: number;
  stratum: number;
  reachability: number;
  latestMeas: number;
  authMode: AuthMode;
  leapStatus: LeapStatus;
  tracking: { refTime: WireTime; version: Version };
}

/** A source never heard from has an all-zero NTP record, as chronyd sends for it. */
function normalizeNtpData(config: NtpDataConfig, source: NtpContext): NtpData {
  const heard = source.reachability !== 0;
  const allTests = NtpFlag.TEST1 | NtpFlag.TEST2 | NtpFlag.TEST3 | NtpFlag.TEST5 | NtpFlag.TEST6 | NtpFlag.TEST7 |
    NtpFlag.TESTA | NtpFlag.TESTB | NtpFlag.TESTC | NtpFlag.TESTD;
  const authenticated = source.authMode !== AuthMode.NONE ? NtpFlag.AUTHENTICATED : 0;
  const packets = heard ? 64 : 0;
  return {
    localAddress: config.localAddress !== undefined ? config.localAddress : heard ? (isIPv4(source.address) ? "192.0.2.2" : "2001:db8::2") : null,
    // Before 4.3 chronyd filled in the remote port (and address) only on the first valid response (ntp_core.c).
    remotePort: config.remotePort ?? (heard || source.tracking.version >= 4.03 ? 123 : 0),
    leapStatus: config.leapStatus ?? (heard ? source.leapStatus : LeapStatus.NORMAL),
    version: config.version ?? (heard ? 4 : 0),
    mode: config.mode ?? (heard ? (source.mode === SourceMode.PEER ? NtpMode.ACTIVE_SYMMETRIC : NtpMode.SERVER) : 0),
    stratum: config.stratum ?? (heard ? source.stratum : 0),
    poll: config.poll ?? (heard ? source.poll : 0),
    precision: config.precision ?? (heard ? -25 : 0),
    rootDelay: config.rootDelay ?? (heard ? 0.000976 : 0),
    rootDispersion: config.rootDispersion ?? (heard ? 0.000488 : 0),
    // The server's own reference: a clock for stratum 1 ("GPS"), another server (192.0.2.1) above.
    referenceId: config.referenceId ?? (heard ? (source.stratum <= 1 ? 0x47505300 : 0xc0000201) : 0),
    refTime: config.refTime !== undefined ? toTime(config.refTime) : heard ? source.tracking.refTime : { seconds: 0n, nanoseconds: 0 },
    offset: config.offset ?? (heard ? source.latestMeas : 0),
    peerDelay: config.peerDelay ?? (heard ? 0.000245 : 0),
    peerDispersion: config.peerDispersion ?? (heard ? 0.0000012 : 0),
    responseTime: config.responseTime ?? (heard ? 0.000031 : 0),
    jitterAsymmetry: config.jitterAsymmetry ?? 0,
    flags: config.flags ?? (heard ? allTests | authenticated : 0),
    transmitTimestamping: config.transmitTimestamping ?? (heard ? NtpTimestamping.KERNEL : 0),
    receiveTimestamping: config.receiveTimestamping ?? (heard ? NtpTimestamping.KERNEL : 0),
    transmittedMessages: config.transmittedMessages ?? (heard ? packets : 14),
    receivedMessages: config.receivedMessages ?? packets,
    receivedValidMessages: config.receivedValidMessages ?? packets,
    receivedGoodMessages: config.receivedGoodMessages ?? packets,
    kernelTransmitTimestamps: config.kernelTransmitTimestamps ?? packets,
    kernelReceiveTimestamps: config.kernelReceiveTimestamps ?? packets,
    hardwareTransmitTimestamps: config.hardwareTransmitTimestamps ?? 0,
    hardwareReceiveTimestamps: config.hardwareReceiveTimestamps ?? 0,
  };
}

/**
 * Resolves every default of a config. The config is validated first (a
 * snapshot `validateConfig` returned is not checked again), so any input
 * gives a state or a `ChronyConfigError`.
 */
export function normalizeState(input: ChronyStateConfig): ServerState {
  const config = validateConfig(input);
  const trackingConfig = config.tracking ?? {};
  const leapStatus = trackingConfig.leapStatus ?? LeapStatus.NORMAL;
  const refTime = toTime(trackingConfig.refTime ?? DEFAULTS.refTime);
  const version = parseVersion(config.serverVersion ?? DEFAULTS.serverVersion);
  const context: SourceContext = { leapStatus, refTime, version };
  const sources = (config.sources ?? []).map((source, i) => normalizeSource(source, `sources[${i}]`, context));
  // Cross-field: every event names a source present at its time, and every source the timeline adds or changes is one.
  const plan = resolveTimeline(config.timeline, config.sources ?? [], sourceAddress);
  for (const added of plan.sources.slice(sources.length)) normalizeSource(added.config, added.path, context);
  checkSets(plan, context);
  const selected = sources.find((s) => s.state === SourceState.SELECTED);
  const tracking: Tracking = {
    referenceId: trackingConfig.referenceId ?? selected?.referenceId ?? 0x7f000001,
    referenceIp:
      trackingConfig.referenceIp !== undefined ? trackingConfig.referenceIp : selected ? (selected.isReferenceClock ? null : selected.address) : "127.0.0.1",
    stratum: trackingConfig.stratum ?? (selected ? Math.min(selected.stratum + 1, 15) : 2),
    leapStatus,
    refTime,
    offset: trackingConfig.offset ?? 0.000123456,
    lastOffset: trackingConfig.lastOffset ?? 0.000111222,
    rmsOffset: trackingConfig.rmsOffset ?? 0.0001,
    frequency: trackingConfig.frequency ?? 1.234,
    residualFreq: trackingConfig.residualFreq ?? 0.001,
    skew: trackingConfig.skew ?? 0.005,
    rootDelay: trackingConfig.rootDelay ?? 0.001234,
    rootDispersion: trackingConfig.rootDispersion ?? 0.002345,
    updateInterval: trackingConfig.updateInterval ?? 64,
  };
  const rtcConfig = config.rtc ?? null;
  const rtc: Rtc | null =
    rtcConfig === null || rtcConfig.available === false
      ? null
      : {
          refTime: toTime(rtcConfig.refTime ?? DEFAULTS.refTime),
          samples: rtcConfig.samples ?? 10,
          runs: rtcConfig.runs ?? 4,
          span: rtcConfig.span ?? 86400,
          offset: rtcConfig.offset ?? 0.123456,
          freqOffset: rtcConfig.freqOffset ?? -1.234,
        };
  const smoothingConfig = config.smoothing ?? null;
  const smoothing: Smoothing | null =
    smoothingConfig === null
      ? null
      : {
          active: smoothingConfig.active ?? true,
          leapOnly: smoothingConfig.leapOnly ?? false,
          offset: smoothingConfig.offset ?? 0.000155,
          freqOffset: smoothingConfig.freqOffset ?? 0.00493,
          wander: smoothingConfig.wander ?? 0.001,
          lastUpdateAgo: smoothingConfig.lastUpdateAgo ?? 0.3,
          remainingTime: smoothingConfig.remainingTime ?? 20.9,
        };
  const ntpSources = sources.filter((s) => !s.isReferenceClock).length;
  const activityConfig = config.activity ?? {};
  const activity: Activity = {
    onlineSources: activityConfig.onlineSources ?? ntpSources,
    offlineSources: activityConfig.offlineSources ?? 0,
    burstOnlineReturnSources: activityConfig.burstOnlineReturnSources ?? 0,
    burstOfflineReturnSources: activityConfig.burstOfflineReturnSources ?? 0,
    unresolvedSources: activityConfig.unresolvedSources ?? 0,
  };
  const statsConfig = config.serverstats ?? {};
  const serverstats = Object.fromEntries(
    SERVER_STATS_KEYS.map((key) => [key, BigInt(statsConfig[key] ?? 0)]),
  ) as unknown as ServerStats;
  return {
    version,
    tracking,
    sources,
    rtc,
    smoothing,
    activity,
    serverstats,
  };
}

/** The address a source config names (the default one when it names none). */
export function sourceAddress(config: SourceConfig): string {
  return config.address ?? DEFAULTS.source.address;
}

/** Every `set` of the timeline gives a source (merged in order into its config). */
function checkSets(plan: Plan, context: SourceContext): void {
  for (const source of plan.sources) {
    let merged = source.config;
    for (const { set, path } of source.sets) {
      merged = mergeSource(merged, set);
      normalizeSource(merged, path, context);
    }
  }
}

const SERVER_STATS_KEYS = [
  "receivedNtpRequests",
  "acceptedNtsKeConnections",
  "receivedCommandRequests",
  "droppedNtpRequests",
  "droppedNtsKeConnections",
  "droppedCommandRequests",
  "droppedClientLogRecords",
  "receivedAuthenticatedNtpRequests",
  "receivedInterleavedNtpRequests",
  "heldNtpTimestamps",
  "ntpTimestampSpan",
  "servedDaemonRxTimestamps",
  "servedDaemonTxTimestamps",
  "servedKernelRxTimestamps",
  "servedKernelTxTimestamps",
  "servedHardwareRxTimestamps",
  "servedHardwareTxTimestamps",
] as const satisfies readonly (keyof ServerStatsConfig)[];
