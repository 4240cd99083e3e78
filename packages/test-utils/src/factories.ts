/**
 * Result factories, as pychrony.testing has: the real model instances of
 * `@chrony/bindings`, with realistic defaults (a host synchronized to one LAN
 * NTP server, as `SCENARIO_NTP_SYNCED` serves it) and typed overrides.
 * Overrides are validated by the models themselves, so an invalid value
 * throws `ChronyDataError` naming the field, exactly as a bad value from
 * chronyd would.
 *
 * @module
 */
import {
  Activity,
  AuthData,
  ChronyDataError,
  NtpData,
  RTCData,
  SelectData,
  ServerStats,
  Smoothing,
  Source,
  SourceStats,
  TrackingStatus,
  referenceIdName,
  timeToSeconds,
  type ExactTime,
  type ModelFields,
} from "@chrony/bindings";

/** Overrides of a model's fields: any subset, with the model's own types. */
export type Overrides<M> = Partial<ModelFields<M>>;

type Fields = Record<string, unknown>;
type Kind = "number" | "string" | "boolean" | "bigint" | "time";

/** What a factory knows of its model: defaults, field kinds, nullable fields, derived fields. */
interface ModelSpec<M> {
  readonly name: string;
  readonly create: (fields: ModelFields<M>) => M;
  readonly defaults: ModelFields<M>;
  readonly nullable?: readonly string[];
  /** Fields computed from others unless overridden themselves. */
  readonly derive?: (fields: Fields, given: ReadonlySet<string>) => void;
}

function kindOf(value: unknown): Kind {
  if (typeof value === "object" && value !== null) return "time";
  return typeof value as Kind;
}

function isExactTime(value: unknown): value is ExactTime {
  if (typeof value !== "object" || value === null) return false;
  const { sec, nsec } = value as Partial<ExactTime>;
  return typeof sec === "bigint" && Number.isInteger(nsec) && nsec! >= 0 && nsec! < 1e9;
}

/** Builds a model from defaults and checked overrides. */
function make<M>(spec: ModelSpec<M>, overrides: Overrides<M> | undefined, kinds: Readonly<Record<string, Kind>>): M {
  const fields: Fields = { ...(spec.defaults as Fields) };
  const given = new Set<string>();
  for (const [key, value] of Object.entries(overrides ?? {})) {
    if (value === undefined) continue;
    const kind = kinds[key];
    if (kind === undefined) {
      throw new ChronyDataError(`Unknown ${spec.name} field "${key}"; its fields are: ${Object.keys(kinds).join(", ")}`, { field: key, value });
    }
    const ok = value === null ? (spec.nullable ?? []).includes(key) : kind === "time" ? isExactTime(value) : typeof value === kind;
    if (!ok) {
      const expected = kind === "time" ? "{ sec: bigint, nsec: integer 0..999999999 }" : kind;
      throw new ChronyDataError(`Invalid ${spec.name}.${key}: ${describe(value)} is not a ${expected}${(spec.nullable ?? []).includes(key) ? " or null" : ""}`, {
        field: key,
        value,
      });
    }
    fields[key] = value;
    given.add(key);
  }
  spec.derive?.(fields, given);
  return spec.create(fields as ModelFields<M>);
}

function describe(value: unknown): string {
  return typeof value === "bigint" ? `${value}n` : typeof value === "string" ? JSON.stringify(value) : String(value);
}

function kindsOf(defaults: object, extra: Readonly<Record<string, Kind>> = {}): Readonly<Record<string, Kind>> {
  const kinds: Record<string, Kind> = {};
  for (const [key, value] of Object.entries(defaults)) if (value !== null) kinds[key] = kindOf(value);
  return Object.freeze({ ...kinds, ...extra });
}

/** `refTime` and `refTimeExact` agree: the one given wins, the other follows. */
function deriveTime(fields: Fields, given: ReadonlySet<string>, seconds = "refTime", exact = "refTimeExact"): void {
  if (given.has(exact) && !given.has(seconds)) {
    fields[seconds] = timeToSeconds(fields[exact] as ExactTime);
  } else if (given.has(seconds) && !given.has(exact) && Number.isFinite(fields[seconds])) {
    const value = fields[seconds] as number;
    const sec = Math.floor(value);
    const nsec = Math.min(999_999_999, Math.round((value - sec) * 1e9));
    fields[exact] = Object.freeze({ sec: BigInt(sec), nsec });
  }
}

function deriveRefIdName(fields: Fields, given: ReadonlySet<string>): void {
  if (given.has("referenceId") && !given.has("referenceIdName") && Number.isInteger(fields.referenceId)) {
    fields.referenceIdName = referenceIdName(fields.referenceId as number);
  }
}

const time = (sec: number, nsec = 123456789): ExactTime => Object.freeze({ sec: BigInt(sec), nsec });

/** 192.168.1.100 as a reference ID. */
const LAN_SERVER_ID = 0xc0a80164;

const TRACKING: ModelSpec<TrackingStatus> = {
  name: "TrackingStatus",
  create: (fields) => new TrackingStatus(fields),
  defaults: {
    referenceId: LAN_SERVER_ID,
    referenceIdName: "192.168.1.100",
    referenceIp: "192.168.1.100",
    stratum: 2,
    leapStatus: 0,
    refTime: 1705320000 + 0.123456789,
    refTimeExact: time(1705320000),
    offset: 0.000001234,
    lastOffset: -0.000004521,
    rmsOffset: 0.000006789,
    frequency: -12.345,
    residualFreq: 0.001,
    skew: 0.021,
    rootDelay: 0.000345,
    rootDispersion: 0.0001975,
    updateInterval: 64.384,
  },
  derive: (fields, given) => {
    deriveRefIdName(fields, given);
    deriveTime(fields, given);
  },
};
const TRACKING_KINDS = kindsOf(TRACKING.defaults);

/**
 * A `TrackingStatus` (`chronyc tracking`): by default stratum 2, synchronized
 * to 192.168.1.100, leap normal, offset 1.234 µs. `referenceIdName` follows
 * `referenceId`, and `refTime` / `refTimeExact` follow each other, unless given.
 *
 * @throws ChronyDataError naming the field for an unknown field, a wrong type or a value the model rejects.
 * @example makeTracking({ leapStatus: LeapStatus.INSERT_SECOND })
 */
export function makeTracking(overrides?: Overrides<TrackingStatus>): TrackingStatus {
  return make(TRACKING, overrides, TRACKING_KINDS);
}

const SOURCE: ModelSpec<Source> = {
  name: "Source",
  create: (fields) => new Source(fields),
  defaults: {
    address: "192.168.1.100",
    poll: 6,
    stratum: 1,
    state: 0,
    mode: 0,
    flags: 0,
    reachability: 255,
    lastSampleAgo: 32,
    origLatestMeas: -0.00000474705,
    latestMeas: -0.000004521,
    latestMeasErr: 0.000365,
  },
};
const SOURCE_KINDS = kindsOf(SOURCE.defaults);

/**
 * A `Source` (`chronyc sources`): by default the selected (`*`) NTP server
 * 192.168.1.100, stratum 1, poll 6, reachability 377 (octal).
 *
 * @throws ChronyDataError naming the field for an unknown field, a wrong type or a value the model rejects.
 */
export function makeSource(overrides?: Overrides<Source>): Source {
  return make(SOURCE, overrides, SOURCE_KINDS);
}

const SOURCE_STATS: ModelSpec<SourceStats> = {
  name: "SourceStats",
  create: (fields) => new SourceStats(fields),
  defaults: {
    referenceId: LAN_SERVER_ID,
    address: "192.168.1.100",
    samples: 10,
    runs: 6,
    span: 576,
    stdDev: 0.000008,
    residFreq: 0.001,
    skew: 0.021,
    offset: -0.0000040689,
    offsetErr: 0.000004,
  },
};
const SOURCE_STATS_KINDS = kindsOf(SOURCE_STATS.defaults);

/**
 * A `SourceStats` (`chronyc sourcestats`): by default 192.168.1.100 with 10
 * samples over 576 s, std dev 8 µs.
 *
 * @throws ChronyDataError naming the field for an unknown field, a wrong type or a value the model rejects.
 */
export function makeSourceStats(overrides?: Overrides<SourceStats>): SourceStats {
  return make(SOURCE_STATS, overrides, SOURCE_STATS_KINDS);
}

const RTC: ModelSpec<RTCData> = {
  name: "RTCData",
  create: (fields) => new RTCData(fields),
  defaults: {
    refTime: 1705319451 + 0.123456789,
    refTimeExact: time(1705319451),
    samples: 18,
    runs: 7,
    span: 549,
    offset: -1.632132,
    freqOffset: -107.623,
  },
  derive: (fields, given) => deriveTime(fields, given),
};
const RTC_KINDS = kindsOf(RTC.defaults);

/**
 * An `RTCData` (`chronyc rtcdata`): by default a calibrated RTC (18 samples
 * over 549 s) 1.632 s slow and drifting at −107.623 ppm, as `SCENARIO_RTC_AVAILABLE`.
 *
 * @throws ChronyDataError naming the field for an unknown field, a wrong type or a value the model rejects.
 */
export function makeRtcData(overrides?: Overrides<RTCData>): RTCData {
  return make(RTC, overrides, RTC_KINDS);
}

const SELECT: ModelSpec<SelectData> = {
  name: "SelectData",
  create: (fields) => new SelectData(fields),
  defaults: {
    referenceId: LAN_SERVER_ID,
    address: "192.168.1.100",
    state: 42, // '*'
    authenticated: false,
    leapStatus: 0,
    configuredOptions: 0,
    effectiveOptions: 0,
    lastSampleAgo: 32,
    score: 1,
    lowLimit: -0.000369521,
    highLimit: 0.000360479,
  },
};
const SELECT_KINDS = kindsOf(SELECT.defaults);

/**
 * A `SelectData` (`chronyc selectdata`): by default 192.168.1.100 selected
 * (state `*`, character code 42), score 1.
 *
 * @throws ChronyDataError naming the field for an unknown field, a wrong type or a value the model rejects.
 */
export function makeSelectData(overrides?: Overrides<SelectData>): SelectData {
  return make(SELECT, overrides, SELECT_KINDS);
}

const ACTIVITY: ModelSpec<Activity> = {
  name: "Activity",
  create: (fields) => new Activity(fields),
  defaults: { onlineSources: 1, offlineSources: 0, burstOnlineReturnSources: 0, burstOfflineReturnSources: 0, unresolvedSources: 0 },
};
const ACTIVITY_KINDS = kindsOf(ACTIVITY.defaults);

/**
 * An `Activity` (`chronyc activity`): by default one source online.
 *
 * @throws ChronyDataError naming the field for an unknown field, a wrong type or a negative count.
 */
export function makeActivity(overrides?: Overrides<Activity>): Activity {
  return make(ACTIVITY, overrides, ACTIVITY_KINDS);
}

const AUTH: ModelSpec<AuthData> = {
  name: "AuthData",
  create: (fields) => new AuthData(fields),
  defaults: {
    mode: 0,
    keyType: 0,
    keyId: 0,
    keyLength: 0,
    keyEstablishmentAttempts: 0,
    lastKeyEstablishmentAgo: 0,
    cookies: 0,
    cookieLength: 0,
    nak: false,
  },
};
const AUTH_KINDS = kindsOf(AUTH.defaults);

/**
 * An `AuthData` (`chronyc authdata`): by default an unauthenticated source
 * (mode none, no key). For NTS: `makeAuthData({ mode: AuthMode.NTS, keyType: 15, keyLength: 256, cookies: 8, cookieLength: 100 })`.
 *
 * @throws ChronyDataError naming the field for an unknown field, a wrong type or an unknown mode or key type.
 */
export function makeAuthData(overrides?: Overrides<AuthData>): AuthData {
  return make(AUTH, overrides, AUTH_KINDS);
}

const NTP: ModelSpec<NtpData> = {
  name: "NtpData",
  create: (fields) => new NtpData(fields),
  defaults: {
    remoteAddress: "192.168.1.100",
    localAddress: "192.168.1.10",
    remotePort: 123,
    leapStatus: 0,
    version: 4,
    mode: 4,
    stratum: 1,
    poll: 6,
    precision: -24,
    rootDelay: 0,
    rootDispersion: 0.000015,
    referenceId: 0x47505300,
    referenceIdName: "GPS",
    refTime: 1705319968 + 0.123456789,
    refTimeExact: time(1705319968),
    offset: -0.00000474705,
    peerDelay: 0.000345,
    peerDispersion: 0.0000012,
    responseTime: 0.000027,
    jitterAsymmetry: 0,
    flags: 1023,
    transmitTimestamping: 75, // 'K' kernel
    receiveTimestamping: 75,
    transmittedMessages: 412,
    receivedMessages: 412,
    receivedValidMessages: 412,
    receivedGoodMessages: 409,
    kernelTransmitTimestamps: null,
    kernelReceiveTimestamps: null,
    hardwareTransmitTimestamps: null,
    hardwareReceiveTimestamps: null,
  },
  nullable: ["kernelTransmitTimestamps", "kernelReceiveTimestamps", "hardwareTransmitTimestamps", "hardwareReceiveTimestamps"],
  derive: (fields, given) => {
    deriveRefIdName(fields, given);
    deriveTime(fields, given);
  },
};
const NTP_KINDS = kindsOf(NTP.defaults, {
  kernelTransmitTimestamps: "number",
  kernelReceiveTimestamps: "number",
  hardwareTransmitTimestamps: "number",
  hardwareReceiveTimestamps: "number",
});

/**
 * An `NtpData` (`chronyc ntpdata`): by default the last exchange with
 * 192.168.1.100 (a stratum-1 GPS server), every test passed, kernel
 * timestamps; the timestamp counters are `null` as from chronyd 4.3.
 *
 * @throws ChronyDataError naming the field for an unknown field, a wrong type or a value the model rejects.
 */
export function makeNtpData(overrides?: Overrides<NtpData>): NtpData {
  return make(NTP, overrides, NTP_KINDS);
}

const SERVER_STATS_NULLABLE = [
  "acceptedNtsKeConnections",
  "droppedNtsKeConnections",
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
] as const;

const SERVER_STATS: ModelSpec<ServerStats> = {
  name: "ServerStats",
  create: (fields) => {
    // ServerStats has no validator of its own: counters are unsigned.
    for (const [key, value] of Object.entries(fields)) {
      if (typeof value === "bigint" && value < 0n) {
        throw new ChronyDataError(`Invalid ServerStats.${key}: ${value}n must be non-negative`, { field: key, value });
      }
    }
    return new ServerStats(fields);
  },
  defaults: {
    receivedNtpRequests: 1524n,
    acceptedNtsKeConnections: 0n,
    receivedCommandRequests: 21n,
    droppedNtpRequests: 0n,
    droppedNtsKeConnections: 0n,
    droppedCommandRequests: 0n,
    droppedClientLogRecords: 0n,
    receivedAuthenticatedNtpRequests: 0n,
    receivedInterleavedNtpRequests: 0n,
    heldNtpTimestamps: 0n,
    ntpTimestampSpan: 0n,
    servedDaemonRxTimestamps: null,
    servedDaemonTxTimestamps: null,
    servedKernelRxTimestamps: null,
    servedKernelTxTimestamps: null,
    servedHardwareRxTimestamps: null,
    servedHardwareTxTimestamps: null,
  },
  nullable: SERVER_STATS_NULLABLE,
};
const SERVER_STATS_KINDS = kindsOf(SERVER_STATS.defaults, Object.fromEntries(SERVER_STATS_NULLABLE.map((key) => [key, "bigint" as const])));

/**
 * A `ServerStats` (`chronyc serverstats`): `bigint` counters, by default a
 * chronyd 4.3 answer (the timestamp counters of 4.4+ `null`).
 *
 * @throws ChronyDataError naming the field for an unknown field, a non-bigint or a negative counter.
 */
export function makeServerStats(overrides?: Overrides<ServerStats>): ServerStats {
  return make(SERVER_STATS, overrides, SERVER_STATS_KINDS);
}

/** The bits behind `Smoothing.active` and `Smoothing.leapOnly`: `SmoothingFlag.ACTIVE` and `LEAP_ONLY` of `@chrony/fields` (not a dependency here). */
const SMOOTHING_BITS = [
  ["active", 1],
  ["leapOnly", 2],
] as const;

const SMOOTHING: ModelSpec<Smoothing> = {
  name: "Smoothing",
  create: (fields) => new Smoothing(fields),
  defaults: { flags: 1, active: true, leapOnly: false, offset: -0.000000155, freqOffset: 0.00493, wander: 0.001, lastUpdateAgo: 0.3, remainingTime: 20.9 },
  // `flags` and the booleans follow each other: the ones given win, as refTime / refTimeExact.
  derive: (fields, given) => {
    let flags = fields.flags as number;
    if (!given.has("flags")) {
      for (const [key, bit] of SMOOTHING_BITS) if (given.has(key)) flags = fields[key] ? flags | bit : flags & ~bit;
      fields.flags = flags;
    }
    for (const [key, bit] of SMOOTHING_BITS) if (!given.has(key) && Number.isInteger(flags)) fields[key] = (flags & bit) !== 0;
  },
};
const SMOOTHING_KINDS = kindsOf(SMOOTHING.defaults);

/**
 * A `Smoothing` (`chronyc smoothing`): by default active, −155 ns,
 * 0.00493 ppm, 20.9 s remaining, as `SCENARIO_SMOOTHING_ACTIVE`. `active` and
 * `leapOnly` follow `flags`, and `flags` follows them, unless both are given.
 *
 * @throws ChronyDataError naming the field for an unknown field, a wrong type or a value the model rejects.
 */
export function makeSmoothing(overrides?: Overrides<Smoothing>): Smoothing {
  return make(SMOOTHING, overrides, SMOOTHING_KINDS);
}
