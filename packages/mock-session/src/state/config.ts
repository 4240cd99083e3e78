/**
 * The declarative state of a simulated chronyd. Every field is optional:
 * `{}` is a synchronized server, and a test states only what it cares about.
 * Defaults follow pychrony's mock contract where it has one.
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

/** A point in time: seconds since the epoch (fractional), or exact seconds + nanoseconds. */
export type TimeValue = number | { readonly seconds: number | bigint; readonly nanoseconds: number };

/** The tracking report. Reference fields default to the selected source's. */
export interface TrackingConfig {
  /** Default: the selected source's reference ID, else 0x7F000001. */
  readonly referenceId?: number;
  /** Address of the reference; `null` for a reference clock or none. Default: the selected NTP source's address, else `"127.0.0.1"`. */
  readonly referenceIp?: string | null;
  /** 0–15 (16 is not sent by chronyd: an unsynchronized server reports 0). Default 2, or the selected source's stratum + 1. */
  readonly stratum?: number;
  /** Default `LeapStatus.NORMAL`. */
  readonly leapStatus?: LeapStatus;
  /** Default 1705320000.123456789. */
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

/** The sourcestats record of a source. */
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

/** The selectdata record of a source. */
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

/** The ntpdata record of an NTP source (reference clocks have none). */
export interface NtpDataConfig {
  /** Default 192.0.2.2 (IPv4 sources) or 2001:db8::2 (IPv6); unspecified for unreachable sources. */
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
  readonly referenceTime?: TimeValue;
  readonly offset?: number;
  readonly peerDelay?: number;
  readonly peerDispersion?: number;
  readonly responseTime?: number;
  readonly jitterAsymmetry?: number;
  /** `NtpFlag` bits. Default: all tests passed, plus authenticated when the source authenticates. */
  readonly flags?: number;
  /** 0 for a source never heard from. */
  readonly txTimestamping?: NtpTimestamping | 0;
  readonly rxTimestamping?: NtpTimestamping | 0;
  readonly totalTx?: number;
  readonly totalRx?: number;
  readonly totalValidRx?: number;
  readonly totalGoodRx?: number;
  readonly totalKernelTx?: number;
  readonly totalKernelRx?: number;
  readonly totalHwTx?: number;
  readonly totalHwRx?: number;
}

/** The authdata record of an NTP source. */
export interface AuthDataConfig {
  readonly mode?: AuthMode;
  /** 0 when there is no key. */
  readonly keyType?: AuthKeyType | 0;
  readonly keyId?: number;
  readonly keyLength?: number;
  readonly keEstablishmentAttempts?: number;
  readonly lastKeEstablishmentAgo?: number;
  readonly cookies?: number;
  readonly cookieLength?: number;
  readonly nak?: boolean;
}

/** A time source (NTP server, peer or reference clock), carrying its records in every per-source report. */
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
  /** Default: IPv4 as a number, IPv6 hashed as chronyd does (MD5), a reference clock's name in ASCII. */
  readonly referenceId?: number;
  readonly sourcestats?: SourceStatsConfig;
  readonly selectdata?: SelectDataConfig;
  readonly ntpdata?: NtpDataConfig;
  readonly authdata?: AuthDataConfig;
}

/** chronyd's RTC tracking (`rtcfile` + `rtcdevice`). */
export interface RTCConfig {
  /** `false` is the same as no RTC. Default true. */
  readonly available?: boolean;
  readonly refTime?: TimeValue;
  readonly samples?: number;
  readonly runs?: number;
  readonly span?: number;
  readonly offset?: number;
  readonly freqOffset?: number;
}

/** Time smoothing (`smoothtime`). */
export interface SmoothingConfig {
  /** Default true. */
  readonly active?: boolean;
  /** Smoothing of leap seconds only. Default false. */
  readonly leapOnly?: boolean;
  readonly offset?: number;
  readonly freqOffset?: number;
  readonly wander?: number;
  readonly lastUpdateAgo?: number;
  readonly remainingTime?: number;
}

/** The activity report. Default: every NTP source online. */
export interface ActivityConfig {
  readonly online?: number;
  readonly offline?: number;
  readonly burstOnline?: number;
  readonly burstOffline?: number;
  readonly unresolved?: number;
}

/** The serverstats report; which fields reach the client depends on `serverVersion`. */
export interface ServerStatsConfig {
  readonly ntpRequests?: number | bigint;
  readonly ntsKeConnections?: number | bigint;
  readonly commandRequests?: number | bigint;
  readonly droppedNtpRequests?: number | bigint;
  readonly droppedNtsKeConnections?: number | bigint;
  readonly droppedCommandRequests?: number | bigint;
  readonly droppedClientLogRecords?: number | bigint;
  readonly authenticatedNtpRequests?: number | bigint;
  readonly interleavedNtpRequests?: number | bigint;
  readonly heldNtpTimestamps?: number | bigint;
  readonly ntpTimestampSpan?: number | bigint;
  readonly daemonRxTimestamps?: number | bigint;
  readonly daemonTxTimestamps?: number | bigint;
  readonly kernelRxTimestamps?: number | bigint;
  readonly kernelTxTimestamps?: number | bigint;
  readonly hwRxTimestamps?: number | bigint;
  readonly hwTxTimestamps?: number | bigint;
}

/** The whole simulated server. */
export interface ChronyStateConfig {
  /**
   * The chronyd version, `"major.minor"`, which picks the response variants:
   * serverstats 1 (< 4.0), 2 (4.0–4.1), 3 (4.2–4.3), 4 (≥ 4.4); ntpdata 2
   * from 4.6; selectdata and authdata exist from 4.0. Default `"4.3"`
   * (Debian 12's chronyd, against which this mock is verified).
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
}
