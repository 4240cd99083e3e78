/**
 * The rules every config value must follow, checked at construction and on
 * every update, so that a mock never serves something chronyd could not.
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
  type ConstantSet,
} from "@chrony/fields";
import { isIP } from "node:net";
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
  TrackingConfig,
} from "./config.js";
import { ChronyConfigError } from "./errors.js";

type Rule = (value: unknown, path: string) => void;
type Shape<T> = { readonly [K in keyof Required<T>]: Rule };

const fail = (path: string, allowed: string, value: unknown): never => {
  throw new ChronyConfigError(path, allowed, value);
};

const integer = (min: number, max: number): Rule => (value, path) => {
  if (typeof value !== "number" || !Number.isInteger(value) || value < min || value > max) {
    fail(path, `an integer from ${min} to ${max}`, value);
  }
};
const UINT8 = integer(0, 0xff);
const UINT16 = integer(0, 0xffff);
const UINT32 = integer(0, 0xffffffff);
const INT8 = integer(-128, 127);

const uint64: Rule = (value, path) => {
  if (typeof value === "bigint") {
    if (value < 0n || value > 0xffffffffffffffffn) fail(path, "an integer from 0 to 2^64-1", value);
  } else if (typeof value !== "number" || !Number.isSafeInteger(value) || value < 0) {
    fail(path, "a non-negative safe integer or a bigint below 2^64", value);
  }
};

const finite: Rule = (value, path) => {
  if (typeof value !== "number" || !Number.isFinite(value)) fail(path, "a finite number", value);
};
const nonNegative: Rule = (value, path) => {
  if (typeof value !== "number" || !Number.isFinite(value) || value < 0) fail(path, "a finite number ≥ 0", value);
};
const boolean: Rule = (value, path) => {
  if (typeof value !== "boolean") fail(path, "a boolean", value);
};

const describeSet = (set: ConstantSet<Readonly<Record<string, number>>>, extra: readonly number[]) =>
  [...extra, ...set.table.map((c) => c.value)].map((v) => String(v)).join(", ");

const oneOf = (set: ConstantSet<Readonly<Record<string, number>>>, extra: readonly number[] = []): Rule => (value, path) => {
  if (typeof value !== "number" || !(extra.includes(value) || set.nameOf(value) !== null)) {
    fail(path, `one of ${describeSet(set, extra)}`, value);
  }
};

const bitsOf = (set: ConstantSet<Readonly<Record<string, number>>>): Rule => {
  const mask = set.table.reduce((bits, c) => bits | c.value, 0);
  return (value, path) => {
    if (typeof value !== "number" || !Number.isInteger(value) || value < 0 || (value & ~mask) !== 0) {
      fail(path, `a combination of the bits 0x${mask.toString(16)}`, value);
    }
  };
};

const ipAddress: Rule = (value, path) => {
  if (typeof value !== "string" || isIP(value) === 0) fail(path, "an IPv4 or IPv6 address", value);
};
const optionalIp: Rule = (value, path) => {
  if (value !== null) ipAddress(value, path);
};
/** A source is an IP address or a reference clock's name of 1–4 printable ASCII characters (its reference ID). */
const sourceAddress: Rule = (value, path) => {
  if (typeof value !== "string" || !(isIP(value) !== 0 || /^[\x21-\x7e]{1,4}$/.test(value))) {
    fail(path, "an IPv4 or IPv6 address, or a reference clock name of 1 to 4 printable characters", value);
  }
};

const time: Rule = (value, path) => {
  if (typeof value === "number") {
    if (!Number.isFinite(value) || value < 0) fail(path, "seconds since the epoch (a finite number ≥ 0)", value);
    return;
  }
  if (typeof value !== "object" || value === null) return fail(path, "seconds since the epoch or { seconds, nanoseconds }", value);
  object<{ seconds: unknown; nanoseconds: unknown }>({
    seconds: (s, p) => (typeof s === "bigint" ? uint64(s, p) : integer(0, Number.MAX_SAFE_INTEGER)(s, p)),
    nanoseconds: integer(0, 999_999_999),
  }, true)(value, path);
};

const version: Rule = (value, path) => {
  const match = typeof value === "string" ? /^(\d+)\.(\d+)$/.exec(value) : null;
  const number = match ? Number(match[1]) + Number(match[2]) / 100 : NaN;
  if (!(number >= 3 && number < 5)) fail(path, 'a chronyd version "major.minor" from "3.0" to "4.99"', value);
};

function object<T>(shape: Shape<T>, required = false): Rule {
  return (value, path) => {
    if (typeof value !== "object" || value === null || Array.isArray(value)) return fail(path, "an object", value);
    const keys = Object.keys(shape);
    for (const key of Object.keys(value)) {
      if (!Object.hasOwn(shape, key)) fail(path ? `${path}.${key}` : key, `one of the keys ${keys.join(", ")}`, "an unknown key");
    }
    for (const key of keys) {
      const child = (value as Record<string, unknown>)[key];
      const childPath = path ? `${path}.${key}` : key;
      if (child === undefined) {
        if (required) fail(childPath, "a value", child);
        continue;
      }
      (shape as Record<string, Rule>)[key]!(child, childPath);
    }
  };
}

const nullable = (rule: Rule): Rule => (value, path) => {
  if (value !== null) rule(value, path);
};

const arrayOf = (rule: Rule, maxLength: number): Rule => (value, path) => {
  if (!Array.isArray(value) || value.length > maxLength) return fail(path, `an array of at most ${maxLength} entries`, value);
  value.forEach((item, i) => rule(item, `${path}[${i}]`));
};

const TRACKING: Shape<TrackingConfig> = {
  referenceId: UINT32,
  referenceIp: optionalIp,
  stratum: integer(0, 15),
  leapStatus: oneOf(LEAP_STATUS),
  refTime: time,
  offset: finite,
  lastOffset: finite,
  rmsOffset: nonNegative,
  frequency: finite,
  residualFreq: finite,
  skew: nonNegative,
  rootDelay: nonNegative,
  rootDispersion: nonNegative,
  updateInterval: nonNegative,
};

const SOURCESTATS: Shape<SourceStatsConfig> = {
  samples: UINT32,
  runs: UINT32,
  span: UINT32,
  stdDev: nonNegative,
  residFreq: finite,
  skew: nonNegative,
  offset: finite,
  offsetErr: nonNegative,
};

const SELECTDATA: Shape<SelectDataConfig> = {
  state: oneOf(SELECT_STATE),
  authenticated: boolean,
  leapStatus: oneOf(LEAP_STATUS),
  configuredOptions: bitsOf(SELECT_OPTION),
  effectiveOptions: bitsOf(SELECT_OPTION),
  lastSampleAgo: UINT32,
  score: nonNegative,
  lowLimit: finite,
  highLimit: finite,
};

const NTPDATA: Shape<NtpDataConfig> = {
  localAddress: optionalIp,
  remotePort: UINT16,
  leapStatus: oneOf(LEAP_STATUS),
  // 0 is what chronyd reports for a source it has never heard from.
  version: integer(0, 7),
  mode: oneOf(NTP_MODE, [0]),
  stratum: integer(0, 16),
  poll: INT8,
  precision: INT8,
  rootDelay: nonNegative,
  rootDispersion: nonNegative,
  referenceId: UINT32,
  referenceTime: time,
  offset: finite,
  peerDelay: nonNegative,
  peerDispersion: nonNegative,
  responseTime: nonNegative,
  jitterAsymmetry: finite,
  flags: bitsOf(NTP_FLAG),
  txTimestamping: oneOf(NTP_TIMESTAMPING, [0]),
  rxTimestamping: oneOf(NTP_TIMESTAMPING, [0]),
  totalTx: UINT32,
  totalRx: UINT32,
  totalValidRx: UINT32,
  totalGoodRx: UINT32,
  totalKernelTx: UINT32,
  totalKernelRx: UINT32,
  totalHwTx: UINT32,
  totalHwRx: UINT32,
};

const AUTHDATA: Shape<AuthDataConfig> = {
  mode: oneOf(AUTH_MODE),
  keyType: oneOf(AUTH_KEY_TYPE, [0]),
  keyId: UINT32,
  keyLength: UINT16,
  keEstablishmentAttempts: UINT16,
  lastKeEstablishmentAgo: UINT32,
  cookies: UINT16,
  cookieLength: UINT16,
  nak: boolean,
};

const SOURCE: Shape<SourceConfig> = {
  address: sourceAddress,
  mode: oneOf(SOURCE_MODE),
  poll: integer(-128, 127),
  stratum: integer(0, 15),
  state: oneOf(SOURCE_STATE),
  flags: UINT16,
  reachability: UINT8,
  lastSampleAgo: UINT32,
  origLatestMeas: finite,
  latestMeas: finite,
  latestMeasErr: nonNegative,
  referenceId: UINT32,
  sourcestats: object(SOURCESTATS),
  selectdata: object(SELECTDATA),
  ntpdata: object(NTPDATA),
  authdata: object(AUTHDATA),
};

const RTC: Shape<RTCConfig> = {
  available: boolean,
  refTime: time,
  samples: UINT16,
  runs: UINT16,
  span: UINT32,
  offset: finite,
  freqOffset: finite,
};

const SMOOTHING: Shape<SmoothingConfig> = {
  active: boolean,
  leapOnly: boolean,
  offset: finite,
  freqOffset: finite,
  wander: finite,
  lastUpdateAgo: nonNegative,
  remainingTime: nonNegative,
};

const ACTIVITY: Shape<ActivityConfig> = {
  online: UINT32,
  offline: UINT32,
  burstOnline: UINT32,
  burstOffline: UINT32,
  unresolved: UINT32,
};

const SERVERSTATS: Shape<ServerStatsConfig> = {
  ntpRequests: uint64,
  ntsKeConnections: uint64,
  commandRequests: uint64,
  droppedNtpRequests: uint64,
  droppedNtsKeConnections: uint64,
  droppedCommandRequests: uint64,
  droppedClientLogRecords: uint64,
  authenticatedNtpRequests: uint64,
  interleavedNtpRequests: uint64,
  heldNtpTimestamps: uint64,
  ntpTimestampSpan: uint64,
  daemonRxTimestamps: uint64,
  daemonTxTimestamps: uint64,
  kernelRxTimestamps: uint64,
  kernelTxTimestamps: uint64,
  hwRxTimestamps: uint64,
  hwTxTimestamps: uint64,
};

/** chronyd's source table is bounded by memory, not a constant; this keeps replies and tests sane. */
export const MAX_SOURCES = 1024;

const STATE: Shape<ChronyStateConfig> = {
  serverVersion: version,
  tracking: object(TRACKING),
  sources: arrayOf(object(SOURCE), MAX_SOURCES),
  rtc: nullable(object(RTC)),
  smoothing: nullable(object(SMOOTHING)),
  activity: object(ACTIVITY),
  serverstats: object(SERVERSTATS),
};

/** Checks a whole config; throws {@link ChronyConfigError} at the first bad value. */
export const validateConfig: (config: unknown) => asserts config is ChronyStateConfig = (config) => object(STATE)(config, "");
