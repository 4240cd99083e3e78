/**
 * The shape of a {@link ChronyStateConfig} as data: one table of every key,
 * its rule and what it means. `validateConfig` interprets it, and other
 * tools derive from it (`@chrony/scenarios` builds its JSON Schema and JSON
 * encoding from it), so the rules cannot drift apart. The `Shape<T>` typing
 * makes the table fail to compile when a config interface gains or loses a
 * key.
 *
 * @module
 */
import {
  AUTH_KEY_TYPE,
  AUTH_MODE,
  LEAP_STATUS,
  NTP_FLAG,
  NTP_MODE,
  NTP_TIMESTAMPING,
  SELECT_OPTION,
  SELECT_STATE,
  SOURCE_MODE,
  SOURCE_STATE,
  type ChronyConstant,
  type ConstantSet,
} from "@chrony/fields";
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
  TimelineEventKeys,
  TrackingConfig,
} from "./config.js";

/** A libchrony constant set (enum or flags), as `@chrony/fields` exports them. */
export type AnyConstantSet = ConstantSet<Readonly<Record<string, number>>>;

/** The rule for one value of a state config. */
export type ValueSpec =
  /** An integer in `[min, max]`. */
  | { readonly kind: "integer"; readonly min: number; readonly max: number }
  /**
   * An unsigned 64-bit value: a number up to 2^53−1 or a bigint up to `max`
   * (default 2^64−1; a decimal string in JSON).
   */
  | { readonly kind: "uint64"; readonly max?: bigint }
  /**
   * A finite number from `-max` (or 0 when `nonNegative`) to `max`: what
   * chronyd's 32-bit wire float carries ({@link FLOAT_MAX}).
   */
  | { readonly kind: "number"; readonly nonNegative: boolean; readonly max: number }
  /** One value of a constant set, plus `extra` values it lacks (e.g. key type 0). */
  | { readonly kind: "enum"; readonly set: AnyConstantSet; readonly setName: string; readonly extra: readonly ChronyConstant[] }
  /** A combination of the bits of a flags set. */
  | { readonly kind: "bits"; readonly set: AnyConstantSet; readonly setName: string }
  | { readonly kind: "boolean" }
  /** An IPv4 or IPv6 address, or `null` when `nullable`. */
  | { readonly kind: "ip"; readonly nullable: boolean }
  /** An IP address, or a reference clock's name of 1–4 printable ASCII characters. */
  | { readonly kind: "sourceAddress" }
  /**
   * A source of the same config, by its index in `sources` (an integer from 0
   * to `MAX_SOURCES − 1`) or by its `address` (as written there).
   */
  | { readonly kind: "sourceRef" }
  /**
   * A `TimeValue`: seconds since the epoch (a number below {@link TIME_LIMIT}),
   * or exactly `{ sec, nsec }` ({@link EXACT_TIME_SHAPE}).
   */
  | { readonly kind: "time" }
  /** A chronyd version `"major.minor"` from "3.0" to "4.99". */
  | { readonly kind: "version" }
  /**
   * An object of the keys of `shape`; the keys named in `required` (default
   * none) must be present. With `variants`, the other keys present must be
   * exactly one variant's (a tagged union without a tag: the keys tell).
   */
  | {
      readonly kind: "object";
      readonly name: string;
      readonly shape: ObjectShape;
      readonly nullable: boolean;
      readonly required?: readonly string[];
      readonly variants?: readonly (readonly string[])[];
    }
  | { readonly kind: "array"; readonly items: ValueSpec; readonly maxItems: number };

/** A field of an object: its rule and a one-line description. */
export interface FieldSpec {
  readonly spec: ValueSpec;
  readonly description: string;
}

/** Every key of an object config, with its rule. */
export type ObjectShape = Readonly<Record<string, FieldSpec>>;

/** Exactly the keys of `T`: the table stops compiling when mock-session's config types change. */
type Shape<T> = { readonly [K in keyof Required<T>]: FieldSpec };

/**
 * The largest magnitude chronyd's 32-bit wire float carries (candm.h `Float`:
 * a 25-bit signed coefficient times 2^(exponent − 25), the exponent at most
 * 63): (2^24 − 1) × 2^38 ≈ 4.6e18. chronyd sends anything larger as this
 * value, so a state may not hold more. Smaller magnitudes only lose precision.
 */
export const FLOAT_MAX = (2 ** 24 - 1) * 2 ** 38;

const f = (spec: ValueSpec, description: string): FieldSpec => ({ spec, description });
const integer = (min: number, max: number): ValueSpec => ({ kind: "integer", min, max });
const UINT8 = integer(0, 0xff);
const UINT16 = integer(0, 0xffff);
const UINT32 = integer(0, 0xffffffff);
const INT8 = integer(-128, 127);
const UINT64: ValueSpec = { kind: "uint64" };
const FINITE: ValueSpec = { kind: "number", nonNegative: false, max: FLOAT_MAX };
const NON_NEGATIVE: ValueSpec = { kind: "number", nonNegative: true, max: FLOAT_MAX };
const BOOLEAN: ValueSpec = { kind: "boolean" };
const TIME: ValueSpec = { kind: "time" };
const enumOf = (set: AnyConstantSet, setName: string, extra: readonly ChronyConstant[] = []): ValueSpec => ({ kind: "enum", set, setName, extra });
const bitsOf = (set: AnyConstantSet, setName: string): ValueSpec => ({ kind: "bits", set, setName });
const object = <T>(name: string, shape: Shape<T>, nullable = false): ValueSpec => ({ kind: "object", name, shape, nullable });

/**
 * The first second a time cannot have: 2^63. chronyd's wire has 64 bits of
 * seconds, but libchrony (and the models' `refTimeExact.sec`) read them into
 * a signed `time_t`, so later times would read back negative.
 */
export const TIME_LIMIT = 2n ** 63n;

/**
 * The exact form of a `"time"` value, `{ sec, nsec }`: the shape of
 * `@chrony/bindings`' `ExactTime` (a model's `refTimeExact`). Both keys are
 * required.
 */
export const EXACT_TIME_SHAPE: ObjectShape = Object.freeze({
  sec: f({ kind: "uint64", max: TIME_LIMIT - 1n }, "Whole seconds since the epoch (0 to 2^63−1: a signed 64-bit time_t)."),
  nsec: f(integer(0, 999_999_999), "Nanoseconds (0–999999999)."),
});

const LEAP = enumOf(LEAP_STATUS, "LeapStatus");
/** What chronyd sends (and chronyc prints "Invalid") for a source never heard from. */
const INVALID: ChronyConstant = { value: 0, name: "invalid" };
/** Seconds "ago"; 4294967295 means never. */
const AGO = UINT32;

/** Most sources a config may list. chronyd's table is bounded by memory, not a constant; this keeps replies and tests sane. */
export const MAX_SOURCES = 1024;

const TRACKING: Shape<TrackingConfig> = {
  referenceId: f(UINT32, "Reference ID of the reference (the selected source's; 0 when unsynchronized; 0x7F7F0101 for a local reference)."),
  referenceIp: f({ kind: "ip", nullable: true }, "Address of the reference; null for a reference clock, a local reference or none."),
  stratum: f(integer(0, 15), "Stratum of this server: the selected source's + 1; 0 when unsynchronized."),
  leapStatus: f(LEAP, "Leap status."),
  refTime: f(TIME, "Time of the last clock update."),
  offset: f(FINITE, "Current correction (system time minus NTP time), seconds."),
  lastOffset: f(FINITE, "Offset at the last clock update, seconds."),
  rmsOffset: f(NON_NEGATIVE, "Long-term RMS of the offset, seconds."),
  frequency: f(FINITE, "Frequency error of the system clock, ppm."),
  residualFreq: f(FINITE, "Residual frequency of the reference, ppm."),
  skew: f(NON_NEGATIVE, "Error bound of the frequency, ppm."),
  rootDelay: f(NON_NEGATIVE, "Total network delay to the stratum-1 reference, seconds."),
  rootDispersion: f(NON_NEGATIVE, "Total dispersion to the stratum-1 reference, seconds."),
  updateInterval: f(NON_NEGATIVE, "Interval between the last two clock updates, seconds."),
};

const SOURCESTATS: Shape<SourceStatsConfig> = {
  samples: f(UINT32, "Samples kept for the source (NP)."),
  runs: f(UINT32, "Runs of residuals with the same sign (NR)."),
  span: f(UINT32, "Interval between the oldest and newest sample, seconds."),
  stdDev: f(NON_NEGATIVE, "Estimated standard deviation of the samples, seconds (4 with no samples)."),
  residFreq: f(FINITE, "Residual frequency, ppm."),
  skew: f(NON_NEGATIVE, "Error bound of the frequency, ppm (2000 with no samples)."),
  offset: f(FINITE, "Estimated offset of the source, seconds."),
  offsetErr: f(NON_NEGATIVE, "Error of the offset estimate, seconds."),
};

const SELECTDATA: Shape<SelectDataConfig> = {
  state: f(enumOf(SELECT_STATE, "SelectState"), "Selection state, as the character code chronyc prints ('*' 42 best, '+' 43 combined, 'x' 120 falseticker, ...)."),
  authenticated: f(BOOLEAN, "Whether the source's packets are authenticated."),
  leapStatus: f(LEAP, "Leap status of the source (not synchronized for an 's' source)."),
  configuredOptions: f(bitsOf(SELECT_OPTION, "SelectOption"), "Configured selection options (SelectOption bits)."),
  effectiveOptions: f(bitsOf(SELECT_OPTION, "SelectOption"), "Effective selection options (SelectOption bits)."),
  lastSampleAgo: f(AGO, "Seconds since the last sample used in the selection."),
  score: f(NON_NEGATIVE, "Score for reselection."),
  lowLimit: f(FINITE, "Low end of the source's interval, seconds."),
  highLimit: f(FINITE, "High end of the source's interval, seconds."),
};

const NTPDATA: Shape<NtpDataConfig> = {
  localAddress: f({ kind: "ip", nullable: true }, "Local address the source's packets arrive on; null for a source never heard from."),
  remotePort: f(UINT16, "Remote UDP port."),
  leapStatus: f(LEAP, "Leap status in the last packet."),
  version: f(integer(0, 7), "NTP version of the last packet (0 for a source never heard from)."),
  mode: f(enumOf(NTP_MODE, "NtpMode", [INVALID]), "NTP mode of the last packet (0 for a source never heard from)."),
  stratum: f(integer(0, 16), "Stratum in the last packet."),
  poll: f(INT8, "Poll in the last packet, log2 seconds."),
  precision: f(INT8, "Precision of the source, log2 seconds."),
  rootDelay: f(NON_NEGATIVE, "Root delay of the source, seconds."),
  rootDispersion: f(NON_NEGATIVE, "Root dispersion of the source, seconds."),
  referenceId: f(UINT32, "The source's own reference ID."),
  refTime: f(TIME, "The source's reference time."),
  offset: f(FINITE, "Offset of the last sample, seconds."),
  peerDelay: f(NON_NEGATIVE, "Network delay of the last sample, seconds."),
  peerDispersion: f(NON_NEGATIVE, "Dispersion of the last sample, seconds."),
  responseTime: f(NON_NEGATIVE, "Server's processing time of the last request, seconds."),
  jitterAsymmetry: f(FINITE, "Estimated jitter asymmetry (−0.5 … 0.5)."),
  flags: f(bitsOf(NTP_FLAG, "NtpFlag"), "Test results and flags of the last packet (NtpFlag bits)."),
  transmitTimestamping: f(enumOf(NTP_TIMESTAMPING, "NtpTimestamping", [INVALID]), "Where the transmit timestamp was taken ('D' 68, 'K' 75, 'H' 72; 0 never)."),
  receiveTimestamping: f(enumOf(NTP_TIMESTAMPING, "NtpTimestamping", [INVALID]), "Where the receive timestamp was taken ('D' 68, 'K' 75, 'H' 72; 0 never)."),
  transmittedMessages: f(UINT32, "Packets sent."),
  receivedMessages: f(UINT32, "Packets received."),
  receivedValidMessages: f(UINT32, "Valid packets received."),
  // All ones is what chronyd before 4.3 sent in this reserved word; the models read it as "no counter" (null).
  receivedGoodMessages: f(integer(0, 0xfffffffe), "Packets received that passed every test."),
  kernelTransmitTimestamps: f(UINT32, "Kernel transmit timestamps (chronyd ≥ 4.6)."),
  kernelReceiveTimestamps: f(UINT32, "Kernel receive timestamps (chronyd ≥ 4.6)."),
  hardwareTransmitTimestamps: f(UINT32, "Hardware transmit timestamps (chronyd ≥ 4.6)."),
  hardwareReceiveTimestamps: f(UINT32, "Hardware receive timestamps (chronyd ≥ 4.6)."),
};

const AUTHDATA: Shape<AuthDataConfig> = {
  mode: f(enumOf(AUTH_MODE, "AuthMode"), "Authentication mode."),
  keyType: f(enumOf(AUTH_KEY_TYPE, "AuthKeyType", [{ value: 0, name: "none" }]), "Key type (AuthKeyType; 0 without a key)."),
  keyId: f(UINT32, "Symmetric key ID."),
  keyLength: f(UINT16, "Key length, bits."),
  keyEstablishmentAttempts: f(UINT16, "NTS-KE attempts since the last success."),
  lastKeyEstablishmentAgo: f(AGO, "Seconds since the last NTS-KE session; 4294967295 for never."),
  cookies: f(UINT16, "NTS cookies held."),
  cookieLength: f(UINT16, "Length of the NTS cookies, bytes."),
  nak: f(BOOLEAN, "Whether an NTS NAK was received."),
};

const SOURCE: Shape<SourceConfig> = {
  address: f({ kind: "sourceAddress" }, "IP address, or a reference clock's name (its reference ID, e.g. \"GPS\", \"PPS\")."),
  mode: f(enumOf(SOURCE_MODE, "SourceMode"), "Client, peer or reference clock."),
  poll: f(integer(-128, 127), "Polling interval, log2 seconds."),
  stratum: f(integer(0, 15), "Stratum of the source (0 for a reference clock or a source never heard from)."),
  state: f(enumOf(SOURCE_STATE, "SourceState"), "State in the sources report."),
  flags: f(UINT16, "Source flags."),
  reachability: f(UINT8, "Reachability register (377 octal = 255: the last 8 polls answered)."),
  lastSampleAgo: f(AGO, "Seconds since the last sample; 4294967295 for never."),
  origLatestMeas: f(FINITE, "Original offset of the last sample, seconds."),
  latestMeas: f(FINITE, "Adjusted offset of the last sample, seconds."),
  latestMeasErr: f(NON_NEGATIVE, "Error bound of the last sample, seconds."),
  referenceId: f(UINT32, "Reference ID of the source (IPv4 as a number, IPv6 hashed, a reference clock's name, which it must be for a reference clock); read back from sourcestats and selectdata."),
  sourcestats: f(object("SourceStats", SOURCESTATS), "The sourcestats record."),
  selectdata: f(object("SelectData", SELECTDATA), "The selectdata record."),
  ntpdata: f(object("NtpData", NTPDATA), "The ntpdata record (NTP sources only)."),
  authdata: f(object("AuthData", AUTHDATA), "The authdata record (NTP sources only)."),
};

const RTC: Shape<RTCConfig> = {
  available: f(BOOLEAN, "false is the same as no RTC (rtcdata disabled)."),
  refTime: f(TIME, "Time of the last RTC measurement."),
  samples: f(UINT16, "Measurements kept."),
  runs: f(UINT16, "Runs of residuals with the same sign."),
  span: f(UINT32, "Span of the measurements, seconds."),
  offset: f(FINITE, "RTC offset (fast by), seconds."),
  freqOffset: f(FINITE, "RTC frequency offset (gains by), ppm."),
};

const SMOOTHING: Shape<SmoothingConfig> = {
  active: f(BOOLEAN, "Whether smoothing is active (the ACTIVE flag)."),
  leapOnly: f(BOOLEAN, "Smoothing of leap seconds only (the LEAP_ONLY flag)."),
  offset: f(FINITE, "Offset being smoothed, seconds."),
  freqOffset: f(FINITE, "Frequency offset of the smoothing, ppm."),
  wander: f(FINITE, "Wander, ppm per second."),
  lastUpdateAgo: f(NON_NEGATIVE, "Seconds since the last update."),
  remainingTime: f(NON_NEGATIVE, "Seconds until the offset is smoothed out."),
};

const ACTIVITY: Shape<ActivityConfig> = {
  onlineSources: f(UINT32, "Sources online."),
  offlineSources: f(UINT32, "Sources offline."),
  burstOnlineReturnSources: f(UINT32, "Sources in a burst, returning online."),
  burstOfflineReturnSources: f(UINT32, "Sources in a burst, returning offline."),
  unresolvedSources: f(UINT32, "Sources whose name is not resolved yet."),
};

const SERVERSTATS: Shape<ServerStatsConfig> = {
  receivedNtpRequests: f(UINT64, "NTP requests received."),
  acceptedNtsKeConnections: f(UINT64, "NTS-KE connections accepted (chronyd ≥ 4.0)."),
  receivedCommandRequests: f(UINT64, "Command (chronyc) requests received."),
  droppedNtpRequests: f(UINT64, "NTP requests dropped (rate limiting)."),
  droppedNtsKeConnections: f(UINT64, "NTS-KE connections dropped (chronyd ≥ 4.0)."),
  droppedCommandRequests: f(UINT64, "Command requests dropped."),
  droppedClientLogRecords: f(UINT64, "Client log records dropped."),
  receivedAuthenticatedNtpRequests: f(UINT64, "Authenticated NTP requests received (chronyd ≥ 4.0)."),
  receivedInterleavedNtpRequests: f(UINT64, "Interleaved NTP requests received (chronyd ≥ 4.2)."),
  heldNtpTimestamps: f(UINT64, "NTP timestamps held (chronyd ≥ 4.2)."),
  ntpTimestampSpan: f(UINT64, "Span of the held timestamps, seconds (chronyd ≥ 4.2)."),
  servedDaemonRxTimestamps: f(UINT64, "Daemon receive timestamps served (chronyd ≥ 4.4)."),
  servedDaemonTxTimestamps: f(UINT64, "Daemon transmit timestamps served (chronyd ≥ 4.4)."),
  servedKernelRxTimestamps: f(UINT64, "Kernel receive timestamps served (chronyd ≥ 4.4)."),
  servedKernelTxTimestamps: f(UINT64, "Kernel transmit timestamps served (chronyd ≥ 4.4)."),
  servedHardwareRxTimestamps: f(UINT64, "Hardware receive timestamps served (chronyd ≥ 4.4)."),
  servedHardwareTxTimestamps: f(UINT64, "Hardware transmit timestamps served (chronyd ≥ 4.4)."),
};

/** Most events a timeline may list. */
export const MAX_TIMELINE_EVENTS = 1024;

const TIMELINE_EVENT: Shape<TimelineEventKeys> = {
  // Not a wire value: seconds of simulated time, up to what lastSampleAgo can count (2^32 − 1).
  at: f({ kind: "number", nonNegative: true, max: 0xffffffff }, "Simulated time of the event, seconds since the start (advance() moves the clock)."),
  source: f({ kind: "sourceRef" }, "The source: its index in sources, or the address of a configured or added source as written there."),
  answers: f(BOOLEAN, "false: from now on the source answers no request; true: it answers again (a request still pending is answered now)."),
  set: f(object("Source", SOURCE), "The source's config from now on, merged key by key (measurements, stratum, options; not its address, mode, poll, reachability or lastSampleAgo, which the simulation moves)."),
  add: f(object("Source", SOURCE), "A source added now (chronyc add): never heard from, it polls from now on; its keys describe it once heard."),
  remove: f(BOOLEAN, "true: the source is removed now (chronyc delete)."),
  leap: f(enumOf(LEAP_STATUS, "LeapStatus"), "The NTP sources' leap indicator from now on: INSERT_SECOND or DELETE_SECOND announces a leap second (over once it has passed), NORMAL withdraws it, NOT_SYNCHRONIZED: the servers lost their own sync."),
  step: f(FINITE, "The system clock jumps by this many seconds now (positive: ahead), as after a resume from suspend; chronyd measures it at the next update and slews it out."),
  restart: f(BOOLEAN, "true: chronyd restarts now: no reference, every source unheard from, counters from zero."),
};

/** The actions of a timeline event: each event has `at` and exactly one of these key sets. */
export const TIMELINE_EVENT_VARIANTS = [["source", "answers"], ["source", "set"], ["add"], ["source", "remove"], ["leap"], ["step"], ["restart"]] as const;

const STATE: Shape<ChronyStateConfig> = {
  serverVersion: f({ kind: "version" }, "chronyd version \"major.minor\" (picks the response variants)."),
  tracking: f(object("Tracking", TRACKING), "The tracking report."),
  sources: f({ kind: "array", items: object("Source", SOURCE), maxItems: MAX_SOURCES }, "The sources, in chronyd's order."),
  rtc: f(object("Rtc", RTC, true), "RTC tracking; null when chronyd has none (rtcdata disabled)."),
  smoothing: f(object("Smoothing", SMOOTHING, true), "Time smoothing; null when off (smoothing report disabled)."),
  activity: f(object("Activity", ACTIVITY), "The activity report."),
  serverstats: f(object("ServerStats", SERVERSTATS), "The serverstats report (64-bit counters; 32-bit on the wire before chronyd 4.4)."),
  timeline: f(
    {
      kind: "array",
      items: { kind: "object", name: "TimelineEvent", shape: TIMELINE_EVENT, nullable: false, required: ["at"], variants: TIMELINE_EVENT_VARIANTS },
      maxItems: MAX_TIMELINE_EVENTS,
    },
    "Events at simulated times (seconds since the start), applied as MockChronySession.advance() moves the clock. Structural: no report reads it back.",
  ),
};

/** The whole state config as a table: the root object's rule. */
export const STATE_SPEC = Object.freeze({ kind: "object", name: "ChronyState", shape: STATE, nullable: false }) satisfies ValueSpec;
