/**
 * The declarative state of a simulated chronyd. Every field is optional:
 * `{}` is a synchronized server, and a test states only what it cares about.
 * Defaults follow pychrony's mock contract where it has one.
 *
 * One vocabulary: every key is named, typed and measured as the property of
 * `@chrony/bindings`' model that reads it back (`tracking.refTime` is
 * `TrackingStatus.refTime`, `activity.onlineSources` is
 * `Activity.onlineSources`, `sources[i].ntpdata.transmittedMessages` is
 * `getNtpData()[i].transmittedMessages`), so a value set here is found under
 * the same name in the model. Floats arrive after chronyd's 32-bit wire float.
 * The few structural keys that have no model property of their own say where
 * they read back: `serverVersion`, `sources[i].referenceId`, the per-source
 * records `sourcestats` / `selectdata` / `ntpdata` / `authdata`, and
 * `rtc.available`.
 */
import type {
  AuthKeyType,
  AuthMode,
  LeapStatus,
  NtpMode,
  NtpTimestamping,
  SelectState,
  SourceMode,
  SourceState,
} from "@chrony/fields";

/**
 * An exact point in time, in the shape of `@chrony/bindings`' `ExactTime`
 * (what a model's `refTimeExact` holds): whole seconds since the epoch
 * (64-bit; a `number` or a `bigint`) and nanoseconds (0–999999999).
 */
export interface ExactTimeConfig {
  readonly sec: number | bigint;
  readonly nsec: number;
}

/**
 * A point in time: seconds since the epoch (fractional; the model's `refTime`),
 * or exactly as {@link ExactTimeConfig} (the model's `refTimeExact`).
 */
export type TimeValue = number | ExactTimeConfig;

/** The tracking report. Reference fields default to the selected source's. */
export interface TrackingConfig {
  /** Default: the selected source's reference ID, else 0x7F000001. */
  readonly referenceId?: number;
  /**
   * Address of the reference; `null` for a reference clock or none (the model's `referenceIp` then reads `""`).
   * Default: the selected NTP source's address, else `"127.0.0.1"`.
   */
  readonly referenceIp?: string | null;
  /** 0–15 (16 is not sent by chronyd: an unsynchronized server reports 0). Default 2, or the selected source's stratum + 1. */
  readonly stratum?: number;
  /** Default `LeapStatus.NORMAL`. */
  readonly leapStatus?: LeapStatus;
  /** Default 1705320000.123456789. Exact times read back exactly from `refTimeExact`. */
  readonly refTime?: TimeValue;
  /** "current correction", seconds. Default 0.000123456. */
  readonly offset?: number;
  readonly lastOffset?: number;
  /** ≥ 0. */
  readonly rmsOffset?: number;
  /** ppm. */
  readonly frequency?: number;
  readonly residualFreq?: number;
  /** ≥ 0, ppm. */
  readonly skew?: number;
  /** ≥ 0, seconds. */
  readonly rootDelay?: number;
  /** ≥ 0, seconds. */
  readonly rootDispersion?: number;
  /** ≥ 0, seconds. */
  readonly updateInterval?: number;
}

/** The sourcestats record of a source: reads back as `getSourceStats()[i]`. */
export interface SourceStatsConfig {
  readonly samples?: number;
  readonly runs?: number;
  readonly span?: number;
  readonly stdDev?: number;
  readonly residFreq?: number;
  readonly skew?: number;
  readonly offset?: number;
  readonly offsetErr?: number;
}

/** The selectdata record of a source: reads back as `getSelectData()[i]` (chronyd ≥ 4.0). */
export interface SelectDataConfig {
  /** Default derived from the source's `state` (selected `*`, unselected `+`, selectable `D`, falseticker `x`, jittery `~`, nonselectable `s`, or `N` with the noselect option). */
  readonly state?: SelectState;
  /** Default: the source's authdata mode is not NONE. */
  readonly authenticated?: boolean;
  /** Default: tracking's leap status, or NOT_SYNCHRONIZED for an unsynchronized (`s`) source. */
  readonly leapStatus?: LeapStatus;
  /** `SelectOption` bits. */
  readonly configuredOptions?: number;
  /** Default: the configured options. */
  readonly effectiveOptions?: number;
  /** Default: the source's `lastSampleAgo`. */
  readonly lastSampleAgo?: number;
  readonly score?: number;
  /** Default: the last sample's offset minus its error. */
  readonly lowLimit?: number;
  /** Default: the last sample's offset plus its error. */
  readonly highLimit?: number;
}

/** The ntpdata record of an NTP source (reference clocks have none): reads back as `getNtpData()[i]`. */
export interface NtpDataConfig {
  /**
   * Default 192.0.2.2 (IPv4 sources) or 2001:db8::2 (IPv6); unspecified (`null`) for unreachable sources.
   * `null` reads back as `""`.
   */
  readonly localAddress?: string | null;
  readonly remotePort?: number;
  readonly leapStatus?: LeapStatus;
  readonly version?: number;
  /** 0 for a source never heard from. */
  readonly mode?: NtpMode | 0;
  readonly stratum?: number;
  readonly poll?: number;
  readonly precision?: number;
  readonly rootDelay?: number;
  readonly rootDispersion?: number;
  readonly referenceId?: number;
  /** The source's reference time. Default: tracking's `refTime` (0 for a source never heard from). */
  readonly refTime?: TimeValue;
  readonly offset?: number;
  readonly peerDelay?: number;
  readonly peerDispersion?: number;
  readonly responseTime?: number;
  readonly jitterAsymmetry?: number;
  /** `NtpFlag` bits. Default: all tests passed, plus authenticated when the source authenticates. */
  readonly flags?: number;
  /** 0 for a source never heard from. */
  readonly transmitTimestamping?: NtpTimestamping | 0;
  readonly receiveTimestamping?: NtpTimestamping | 0;
  readonly transmittedMessages?: number;
  readonly receivedMessages?: number;
  readonly receivedValidMessages?: number;
  readonly receivedGoodMessages?: number;
  /** Sent by chronyd ≥ 4.6 only; older servers' models read `null`. */
  readonly kernelTransmitTimestamps?: number;
  /** Sent by chronyd ≥ 4.6 only; older servers' models read `null`. */
  readonly kernelReceiveTimestamps?: number;
  /** Sent by chronyd ≥ 4.6 only; older servers' models read `null`. */
  readonly hardwareTransmitTimestamps?: number;
  /** Sent by chronyd ≥ 4.6 only; older servers' models read `null`. */
  readonly hardwareReceiveTimestamps?: number;
}

/** The authdata record of an NTP source (reference clocks have none): reads back as `getAuthData()[i]` (chronyd ≥ 4.0). */
export interface AuthDataConfig {
  readonly mode?: AuthMode;
  /** 0 when there is no key. */
  readonly keyType?: AuthKeyType | 0;
  readonly keyId?: number;
  /** Bits. */
  readonly keyLength?: number;
  readonly keyEstablishmentAttempts?: number;
  /** Seconds; 4294967295 means never. */
  readonly lastKeyEstablishmentAgo?: number;
  readonly cookies?: number;
  readonly cookieLength?: number;
  readonly nak?: boolean;
}

/**
 * A time source (NTP server, peer or reference clock), carrying its records in
 * every per-source report. Its own keys read back as `getSources()[i]`; the
 * nested records as entry `i` of the other per-source reports.
 */
export interface SourceConfig {
  /** An IPv4 or IPv6 address, or a reference clock's name (e.g. `"GPS"`, `"PPS"`). Default `"192.168.1.100"`. */
  readonly address?: string;
  /** Default CLIENT, or REFERENCE_CLOCK when `address` is not an IP address. */
  readonly mode?: SourceMode;
  /** log2 seconds, −128 … 127. Default 6 (4 for reference clocks). */
  readonly poll?: number;
  /** 0–15. Default 2 (0 for reference clocks). */
  readonly stratum?: number;
  /** Default SELECTED. */
  readonly state?: SourceState;
  readonly flags?: number;
  /** 0–255. Default 255. */
  readonly reachability?: number;
  /** Seconds; 4294967295 means never. Default 32. */
  readonly lastSampleAgo?: number;
  readonly origLatestMeas?: number;
  readonly latestMeas?: number;
  /** ≥ 0. */
  readonly latestMeasErr?: number;
  /**
   * Default: IPv4 as a number, IPv6 hashed as chronyd does (MD5), a reference clock's name in ASCII
   * (for a reference clock it must be that: its name is its reference ID). The sources report
   * carries no reference ID: this reads back as `getSourceStats()[i].referenceId` and
   * `getSelectData()[i].referenceId`.
   */
  readonly referenceId?: number;
  readonly sourcestats?: SourceStatsConfig;
  readonly selectdata?: SelectDataConfig;
  /** NTP sources only: a reference clock has no ntpdata record (`getNtpData()[i]` is `null`). */
  readonly ntpdata?: NtpDataConfig;
  /** NTP sources only: a reference clock has no authdata record (`getAuthData()[i]` is `null`). */
  readonly authdata?: AuthDataConfig;
}

/** chronyd's RTC tracking (`rtcfile` + `rtcdevice`): reads back as `getRtcData()`. */
export interface RTCConfig {
  /** `false` is the same as no RTC: `getRtcData()` is `null`. Default true. */
  readonly available?: boolean;
  readonly refTime?: TimeValue;
  readonly samples?: number;
  readonly runs?: number;
  readonly span?: number;
  /** Seconds (fast by). */
  readonly offset?: number;
  /** ppm (gains by). */
  readonly freqOffset?: number;
}

/** Time smoothing (`smoothtime`): reads back as `getSmoothing()`. */
export interface SmoothingConfig {
  /** The `ACTIVE` bit of the model's `flags`. Default true. */
  readonly active?: boolean;
  /** Smoothing of leap seconds only: the `LEAP_ONLY` bit of the model's `flags`. Default false. */
  readonly leapOnly?: boolean;
  readonly offset?: number;
  readonly freqOffset?: number;
  readonly wander?: number;
  readonly lastUpdateAgo?: number;
  readonly remainingTime?: number;
}

/** The activity report: reads back as `getActivity()`. Default: every NTP source online. */
export interface ActivityConfig {
  readonly onlineSources?: number;
  readonly offlineSources?: number;
  readonly burstOnlineReturnSources?: number;
  readonly burstOfflineReturnSources?: number;
  readonly unresolvedSources?: number;
}

/**
 * The serverstats report: reads back as `getServerStats()`, every counter a
 * `bigint`. Which counters reach the client depends on `serverVersion`: a
 * counter the server's response lacks reads `null` (NTS-KE and authenticated
 * from 4.0; interleaved, held and span from 4.2; the `served*` timestamps
 * from 4.4), and before 4.4 the counters are 32-bit on the wire, so a value
 * of 2^32 or more reads back modulo 2^32 (as chronyd's own counters wrap).
 */
export interface ServerStatsConfig {
  readonly receivedNtpRequests?: number | bigint;
  readonly acceptedNtsKeConnections?: number | bigint;
  readonly receivedCommandRequests?: number | bigint;
  readonly droppedNtpRequests?: number | bigint;
  readonly droppedNtsKeConnections?: number | bigint;
  readonly droppedCommandRequests?: number | bigint;
  readonly droppedClientLogRecords?: number | bigint;
  readonly receivedAuthenticatedNtpRequests?: number | bigint;
  readonly receivedInterleavedNtpRequests?: number | bigint;
  readonly heldNtpTimestamps?: number | bigint;
  /** Seconds. */
  readonly ntpTimestampSpan?: number | bigint;
  readonly servedDaemonRxTimestamps?: number | bigint;
  readonly servedDaemonTxTimestamps?: number | bigint;
  readonly servedKernelRxTimestamps?: number | bigint;
  readonly servedKernelTxTimestamps?: number | bigint;
  readonly servedHardwareRxTimestamps?: number | bigint;
  readonly servedHardwareTxTimestamps?: number | bigint;
}

/** Keys every timeline event has. */
export interface TimelineEventBase {
  /** Seconds since the start of the simulation, ≥ 0. */
  readonly at: number;
}

/**
 * The source an event is about: its index in `sources`, or the `address` of a
 * configured or added source, exactly as written there.
 */
export type SourceRef = number | string;

/**
 * An event of the simulated timeline, applied when `advance()` passes its
 * `at` (seconds after the start). Each event does one thing, named by its key:
 *
 * - `{ at, source, answers }`: the source stops (`false`) or starts again (`true`) answering its polls;
 * - `{ at, source, set }`: the source's config changes from now on (merged key by key, as `update()` does):
 *   its measurements (`latestMeas`, `latestMeasErr`, `selectdata.lowLimit`…), stratum, selection options;
 * - `{ at, add }`: a new source (as `chronyc add server` does), never heard from, polling from now on;
 * - `{ at, source, remove: true }`: the source is removed (`chronyc delete`);
 * - `{ at, leap }`: the NTP sources' leap indicator from now on: `LeapStatus.INSERT_SECOND` or `DELETE_SECOND` announces a
 *   leap second (it ends once passed), `NORMAL` withdraws it, `NOT_SYNCHRONIZED` says the servers lost their own sync;
 * - `{ at, step }`: the system clock jumps by `step` seconds (a resume from suspend), and chronyd slews it back;
 * - `{ at, restart: true }`: chronyd restarts: every source and the reference start from nothing.
 */
export type TimelineEventConfig =
  | (TimelineEventBase & { readonly source: SourceRef; readonly answers: boolean })
  | (TimelineEventBase & { readonly source: SourceRef; readonly set: SourceConfig })
  | (TimelineEventBase & { readonly add: SourceConfig })
  | (TimelineEventBase & { readonly source: SourceRef; readonly remove: true })
  | (TimelineEventBase & { readonly leap: LeapStatus })
  | (TimelineEventBase & { readonly step: number })
  | (TimelineEventBase & { readonly restart: true });

/** Every key a timeline event may have (each event has `at` and one action, with `source` where the action is about one). */
export interface TimelineEventKeys {
  readonly at: number;
  readonly source?: SourceRef;
  readonly answers?: boolean;
  readonly set?: SourceConfig;
  readonly add?: SourceConfig;
  readonly remove?: true;
  readonly leap?: LeapStatus;
  readonly step?: number;
  readonly restart?: true;
}

/** The whole simulated server. */
export interface ChronyStateConfig {
  /**
   * The chronyd version, `"major.minor"`, which picks the response variants:
   * serverstats 1 (< 4.0), 2 (4.0–4.1), 3 (4.2–4.3), 4 (≥ 4.4); ntpdata 2
   * from 4.6; selectdata and authdata exist from 4.0. Default `"4.3"`
   * (Debian 12's chronyd, against which this mock is verified). Structural:
   * no model reads it back, it decides which fields the models receive.
   */
  readonly serverVersion?: string;
  readonly tracking?: TrackingConfig;
  readonly sources?: readonly SourceConfig[];
  /** `null` (the default): chronyd has no RTC tracking and rtcdata is disabled. */
  readonly rtc?: RTCConfig | null;
  /** `null` (the default): smoothing is off and the smoothing report is disabled. */
  readonly smoothing?: SmoothingConfig | null;
  readonly activity?: ActivityConfig;
  readonly serverstats?: ServerStatsConfig;
  /**
   * Events at simulated times, applied as `advance()` moves the session's
   * clock (order does not matter: they are sorted by `at`, ties kept in
   * order). Structural: no report reads it back; it decides how the sources
   * and tracking move. Default: none (sources keep answering as they did).
   */
  readonly timeline?: readonly TimelineEventConfig[];
}
