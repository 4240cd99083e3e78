/**
 * Internal builders of complete, self-consistent records. Every preset states
 * every value (nothing is left to mock-session's defaults) so that its JSON is
 * a complete description another tool can serve as is.
 *
 * @internal
 * @module
 */
import { AuthKeyType, AuthMode, LeapStatus, NtpFlag, NtpMode, NtpTimestamping, SelectState, SourceMode, SourceState } from "@chrony/fields";
import {
  referenceIdOf,
  sourceStateOf,
  type AuthDataConfig,
  type ChronyStateConfig,
  type NtpDataConfig,
  type ServerStatsConfig,
  type SourceConfig,
  type SourceStatsConfig,
  type TrackingConfig,
} from "@chrony/mock-session";
import { isIPv4 } from "node:net";

/** chronyd's "never" for seconds-ago fields. */
export const NEVER = 0xffffffff;

/** A time as exact seconds and nanoseconds: `ExactTimeConfig` (the models' `refTimeExact` shape) with `sec` a number. */
export interface ExactTime {
  readonly sec: number;
  readonly nsec: number;
}

/** 2024-01-15T12:00:00.123456789Z: the presets' "now" (the last clock update), as in pychrony's mock. */
export const REF_TIME: ExactTime = { sec: 1705320000, nsec: 123456789 };

/** `time` minus `seconds` (whole seconds). */
export const before = (time: ExactTime, seconds: number): ExactTime => ({ sec: time.sec - seconds, nsec: time.nsec });

/** Rounds away binary noise so that the JSON reads like chronyc's output. */
const r = (value: number): number => Number(value.toPrecision(6));

/** The host chronyd runs on. */
export const LOCAL_IPV4 = "192.168.1.10";
/** The host chronyd runs on, over IPv6. */
export const LOCAL_IPV6 = "2001:db8:1::10";

/** Every NTP test passed (`ntpdata` flags "111 111 1111"). */
export const ALL_TESTS =
  NtpFlag.TEST1 | NtpFlag.TEST2 | NtpFlag.TEST3 | NtpFlag.TEST5 | NtpFlag.TEST6 | NtpFlag.TEST7 | NtpFlag.TESTA | NtpFlag.TESTB | NtpFlag.TESTC | NtpFlag.TESTD;

/** authdata of a source without authentication, as chronyd 4.3 reports it. */
export const NO_AUTH: AuthDataConfig = {
  mode: AuthMode.NONE,
  keyType: 0,
  keyId: 0,
  keyLength: 0,
  keyEstablishmentAttempts: 0,
  lastKeyEstablishmentAgo: NEVER,
  cookies: 0,
  cookieLength: 0,
  nak: false,
};

/** authdata of an NTS source with a fresh set of cookies (chronyc authdata: `NTS 1 15 256 33m 0 0 8 100`). */
export const NTS_AUTH: AuthDataConfig = {
  mode: AuthMode.NTS,
  keyType: AuthKeyType.AEAD_AES_SIV_CMAC_256,
  keyId: 1,
  keyLength: 256,
  keyEstablishmentAttempts: 0,
  lastKeyEstablishmentAgo: 1980,
  cookies: 8,
  cookieLength: 100,
  nak: false,
};

/** sourcestats of a source without samples: chronyd's initial skew 2000 ppm and standard deviation 4 s. */
export const NO_SAMPLES: SourceStatsConfig = { samples: 0, runs: 0, span: 0, stdDev: 4, residFreq: 0, skew: 2000, offset: 0, offsetErr: 0 };

/** Select states for which chronyd has no selection interval (limits stay 0). */
const NO_INTERVAL: readonly number[] = [SelectState.NOT_SYNCHRONIZED, SelectState.IGNORED, SelectState.MISSING_SAMPLES, SelectState.WAITING_FOR_OTHERS];

/** What varies between heard sources; everything else is derived. */
export interface HeardSource {
  readonly address: string;
  readonly select: SelectState;
  readonly stratum: number;
  readonly poll: number;
  /** Adjusted offset of the last sample, seconds (positive: local clock ahead). */
  readonly offset: number;
  /** Error bound of the last sample, seconds. */
  readonly error: number;
  readonly lastSampleAgo: number;
  readonly reachability?: number;
  readonly leap?: LeapStatus;
  readonly options?: number;
  readonly mode?: SourceMode;
  readonly samples?: number;
  readonly runs?: number;
  readonly stdDev?: number;
  readonly residFreq?: number;
  readonly skew?: number;
  /** Only NTP sources: the upstream's reference ID (its own reference). */
  readonly upstreamRefId?: number;
  readonly rootDelay?: number;
  readonly rootDispersion?: number;
  readonly peerDelay?: number;
  readonly auth?: AuthDataConfig;
  readonly packets?: number;
  readonly localAddress?: string;
  readonly refTime?: ExactTime;
}

function stats(s: HeardSource): SourceStatsConfig {
  const samples = s.samples ?? 12;
  return {
    samples,
    runs: s.runs ?? Math.max(1, Math.ceil(samples * 0.6)),
    span: Math.max(0, samples - 1) * 2 ** Math.max(s.poll, 0),
    stdDev: r(s.stdDev ?? s.error / 25),
    residFreq: r(s.residFreq ?? 0.003),
    skew: r(s.skew ?? 0.045),
    offset: r(s.offset * 0.9),
    offsetErr: r((s.stdDev ?? s.error / 25) / 2),
  };
}

function selectdata(s: HeardSource) {
  const noInterval = NO_INTERVAL.includes(s.select);
  const options = s.options ?? 0;
  return {
    state: s.select,
    authenticated: (s.auth ?? NO_AUTH).mode !== AuthMode.NONE,
    leapStatus: s.select === SelectState.NOT_SYNCHRONIZED ? LeapStatus.NOT_SYNCHRONIZED : (s.leap ?? LeapStatus.NORMAL),
    configuredOptions: options,
    effectiveOptions: options,
    lastSampleAgo: noInterval ? 0 : s.lastSampleAgo,
    score: 1,
    lowLimit: noInterval ? 0 : r(s.offset - s.error),
    highLimit: noInterval ? 0 : r(s.offset + s.error),
  };
}

/** A reachable NTP server or peer, every record filled consistently. */
export function ntpSource(s: HeardSource): SourceConfig {
  const mode = s.mode ?? SourceMode.CLIENT;
  const auth = s.auth ?? NO_AUTH;
  const packets = s.packets ?? 412;
  const rootDelay = s.rootDelay ?? 0.010742;
  const ntpdata: NtpDataConfig = {
    localAddress: s.localAddress ?? (isIPv4(s.address) ? LOCAL_IPV4 : LOCAL_IPV6),
    remotePort: 123,
    leapStatus: s.leap ?? LeapStatus.NORMAL,
    version: 4,
    mode: mode === SourceMode.PEER ? NtpMode.ACTIVE_SYMMETRIC : NtpMode.SERVER,
    stratum: s.stratum,
    poll: s.poll,
    precision: -24,
    rootDelay: r(rootDelay),
    rootDispersion: r(s.rootDispersion ?? 0.000503),
    referenceId: s.upstreamRefId ?? 0x47505300,
    refTime: s.refTime ?? before(REF_TIME, 2 ** Math.max(s.poll, 0) / 2),
    offset: r(s.offset * 1.05),
    peerDelay: r(s.peerDelay ?? s.error * 0.3),
    peerDispersion: 0.0000012,
    responseTime: 0.000027,
    jitterAsymmetry: 0,
    flags: ALL_TESTS | (auth.mode !== AuthMode.NONE ? NtpFlag.AUTHENTICATED : 0),
    transmitTimestamping: NtpTimestamping.KERNEL,
    receiveTimestamping: NtpTimestamping.KERNEL,
    transmittedMessages: packets,
    receivedMessages: packets,
    receivedValidMessages: packets,
    receivedGoodMessages: packets > 10 ? packets - 3 : packets,
    kernelTransmitTimestamps: packets,
    kernelReceiveTimestamps: packets,
    hardwareTransmitTimestamps: 0,
    hardwareReceiveTimestamps: 0,
  };
  return { ...heardRecords(s, mode), ntpdata, authdata: auth };
}

/** What every heard source (NTP or reference clock) reports in sources, sourcestats and selectdata. */
function heardRecords(s: Omit<HeardSource, "mode" | "auth" | "upstreamRefId">, mode: SourceMode): SourceConfig {
  return {
    address: s.address,
    mode,
    poll: s.poll,
    stratum: s.stratum,
    state: sourceStateOf(s.select),
    flags: 0,
    reachability: s.reachability ?? 255,
    lastSampleAgo: s.lastSampleAgo,
    origLatestMeas: r(s.offset * 1.05),
    latestMeas: r(s.offset),
    latestMeasErr: r(s.error),
    referenceId: referenceIdOf(s.address),
    sourcestats: stats(s),
    selectdata: selectdata(s),
  };
}

/** A reference clock (refclock SHM/PPS/PHC), which has no ntpdata or authdata. */
export function refclockSource(s: Omit<HeardSource, "stratum" | "mode" | "auth" | "upstreamRefId">): SourceConfig {
  return heardRecords({ ...s, stratum: 0 }, SourceMode.REFERENCE_CLOCK);
}

/**
 * An NTP source never heard from, as chronyd 4.3 reports it (lab trace):
 * reachability 0, last sample never, stratum 0, select state 's' with leap
 * "not synchronised", no samples, an all-zero ntpdata record (version 0,
 * mode and timestamping 0 "Invalid", root dispersion 0) but for the packets
 * sent.
 */
export function unreachableSource(address: string, poll = 6, transmitted = 14): SourceConfig {
  return {
    address,
    mode: SourceMode.CLIENT,
    poll,
    stratum: 0,
    state: SourceState.NONSELECTABLE,
    flags: 0,
    reachability: 0,
    lastSampleAgo: NEVER,
    origLatestMeas: 0,
    latestMeas: 0,
    latestMeasErr: 0,
    referenceId: referenceIdOf(address),
    sourcestats: NO_SAMPLES,
    selectdata: {
      state: SelectState.NOT_SYNCHRONIZED,
      authenticated: false,
      leapStatus: LeapStatus.NOT_SYNCHRONIZED,
      configuredOptions: 0,
      effectiveOptions: 0,
      lastSampleAgo: 0,
      score: 1,
      lowLimit: 0,
      highLimit: 0,
    },
    ntpdata: {
      localAddress: null,
      remotePort: 123,
      leapStatus: LeapStatus.NORMAL,
      version: 0,
      mode: 0,
      stratum: 0,
      poll: 0,
      precision: 0,
      rootDelay: 0,
      rootDispersion: 0,
      referenceId: 0,
      refTime: { sec: 0, nsec: 0 },
      offset: 0,
      peerDelay: 0,
      peerDispersion: 0,
      responseTime: 0,
      jitterAsymmetry: 0,
      flags: 0,
      transmitTimestamping: 0,
      receiveTimestamping: 0,
      transmittedMessages: transmitted,
      receivedMessages: 0,
      receivedValidMessages: 0,
      receivedGoodMessages: 0,
      kernelTransmitTimestamps: 0,
      kernelReceiveTimestamps: 0,
      hardwareTransmitTimestamps: 0,
      hardwareReceiveTimestamps: 0,
    },
    authdata: NO_AUTH,
  };
}

/** What varies in a synchronized tracking report; the reference comes from the selected source. */
export interface TrackingValues {
  readonly leap?: LeapStatus;
  readonly refTime?: ExactTime;
  readonly offset?: number;
  readonly lastOffset?: number;
  readonly rmsOffset?: number;
  readonly frequency?: number;
  readonly residualFreq?: number;
  readonly skew?: number;
  readonly rootDelay?: number;
  readonly rootDispersion?: number;
  readonly updateInterval?: number;
}

/** Tracking synchronized to `selected`: its reference ID and address, its stratum + 1. */
export function trackingFor(selected: SourceConfig, t: TrackingValues = {}): TrackingConfig {
  const isRefclock = selected.mode === SourceMode.REFERENCE_CLOCK;
  return {
    referenceId: selected.referenceId!,
    referenceIp: isRefclock ? null : selected.address!,
    stratum: selected.stratum! + 1,
    leapStatus: t.leap ?? LeapStatus.NORMAL,
    refTime: t.refTime ?? REF_TIME,
    offset: t.offset ?? -0.000001234,
    lastOffset: t.lastOffset ?? selected.latestMeas!,
    rmsOffset: t.rmsOffset ?? 0.000006789,
    frequency: t.frequency ?? -12.345,
    residualFreq: t.residualFreq ?? 0.003,
    skew: t.skew ?? 0.045,
    rootDelay: t.rootDelay ?? (isRefclock ? 0.000000001 : r(selected.ntpdata!.rootDelay! + selected.ntpdata!.peerDelay!)),
    rootDispersion: t.rootDispersion ?? (isRefclock ? r(selected.latestMeasErr!) : r(selected.ntpdata!.rootDispersion! + selected.latestMeasErr! / 2)),
    updateInterval: t.updateInterval ?? r(2 ** selected.poll! * 1.006),
  };
}

/**
 * Tracking of a server that is not synchronized: reference ID 0, no address,
 * stratum 0, leap "not synchronised". After a start with nothing heard
 * (`since` omitted) chronyd reports a zero reference time and root delay and
 * dispersion of 1 s; after losing its sources it keeps the last update's
 * values.
 */
export function unsynchronizedTracking(frequency: number, since?: { refTime: ExactTime; lastOffset: number; rmsOffset: number; rootDelay: number; rootDispersion: number; updateInterval: number }): TrackingConfig {
  return {
    referenceId: 0,
    referenceIp: null,
    stratum: 0,
    leapStatus: LeapStatus.NOT_SYNCHRONIZED,
    refTime: since?.refTime ?? { sec: 0, nsec: 0 },
    offset: 0,
    lastOffset: since?.lastOffset ?? 0,
    rmsOffset: since?.rmsOffset ?? 0,
    frequency,
    residualFreq: 0,
    skew: 0,
    rootDelay: since?.rootDelay ?? 1,
    rootDispersion: since?.rootDispersion ?? 1,
    updateInterval: since?.updateInterval ?? 0,
  };
}

/** Activity with every NTP source online. */
export function activityOf(sources: readonly SourceConfig[]) {
  return {
    onlineSources: sources.filter((s) => s.mode !== SourceMode.REFERENCE_CLOCK).length,
    offlineSources: 0,
    burstOnlineReturnSources: 0,
    burstOfflineReturnSources: 0,
    unresolvedSources: 0,
  };
}

/** Every serverstats counter, zero unless given. */
export function serverstats(values: ServerStatsConfig = {}): Required<ServerStatsConfig> {
  return {
    receivedNtpRequests: 0,
    acceptedNtsKeConnections: 0,
    receivedCommandRequests: 0,
    droppedNtpRequests: 0,
    droppedNtsKeConnections: 0,
    droppedCommandRequests: 0,
    droppedClientLogRecords: 0,
    receivedAuthenticatedNtpRequests: 0,
    receivedInterleavedNtpRequests: 0,
    heldNtpTimestamps: 0,
    ntpTimestampSpan: 0,
    servedDaemonRxTimestamps: 0,
    servedDaemonTxTimestamps: 0,
    servedKernelRxTimestamps: 0,
    servedKernelTxTimestamps: 0,
    servedHardwareRxTimestamps: 0,
    servedHardwareTxTimestamps: 0,
    ...values,
  };
}

/** A whole state: chronyd 4.3 unless given, no RTC, no smoothing, activity from the sources. */
export function state(s: Pick<ChronyStateConfig, "tracking" | "sources"> & Partial<ChronyStateConfig>): ChronyStateConfig {
  const sources = s.sources ?? [];
  return {
    serverVersion: s.serverVersion ?? "4.3",
    tracking: s.tracking,
    sources,
    rtc: s.rtc ?? null,
    smoothing: s.smoothing ?? null,
    activity: s.activity ?? activityOf(sources),
    serverstats: s.serverstats ?? serverstats({ receivedCommandRequests: 21 }),
  };
}

