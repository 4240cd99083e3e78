/**
 * The enum and flag constants of libchrony's reports (reports.h), each as a
 * typed enum object (our names, libchrony's numbers) and as the table of
 * libchrony's own names that `chrony_get_field_constant_name()` returns.
 *
 * @module
 */
import type { ValueOf } from "./codes.js";

/** One entry of a libchrony constant table (reports.h `Constant`). */
export interface ChronyConstant {
  readonly value: number;
  /** libchrony's name for the value, e.g. `"insert second"`. */
  readonly name: string;
}

/** A constant table plus the enum object built from it. */
export interface ConstantSet<E extends Readonly<Record<string, number>>> {
  /** Whether the field holds one value (`ENUM`) or a bit set (`FLAGS`). */
  readonly kind: "enum" | "flags";
  /** Our key → libchrony's value. */
  readonly values: E;
  /** libchrony's table, in libchrony's order. */
  readonly table: readonly ChronyConstant[];
  /** libchrony's name of a value, or `null` as `chrony_get_field_constant_name()` gives for an unknown one. */
  nameOf(value: number | bigint): string | null;
}

type Spec = Readonly<Record<string, readonly [value: number | string, name: string]>>;
type ValuesOf<S extends Spec> = { readonly [K in keyof S]: S[K][0] extends number ? S[K][0] : number };

/** Character constants (selectdata state, timestamping) are stored as their character code, as in C. */
function toValue(value: number | string): number {
  return typeof value === "string" ? value.charCodeAt(0) : value;
}

function defineConstants<const S extends Spec>(kind: "enum" | "flags", spec: S): ConstantSet<ValuesOf<S>> {
  const entries = Object.entries(spec);
  const values = Object.freeze(Object.fromEntries(entries.map(([key, [value]]) => [key, toValue(value)]))) as ValuesOf<S>;
  const table = Object.freeze(entries.map(([, [value, name]]) => Object.freeze({ value: toValue(value), name })));
  const byValue = new Map(table.map((c) => [c.value, c.name]));
  return Object.freeze({
    kind,
    values,
    table,
    nameOf: (value: number | bigint) => byValue.get(Number(value)) ?? null,
  });
}

/** Leap status (tracking, selectdata, ntpdata). */
export const LEAP_STATUS = defineConstants("enum", {
  NORMAL: [0, "normal"],
  INSERT_SECOND: [1, "insert second"],
  DELETE_SECOND: [2, "delete second"],
  NOT_SYNCHRONIZED: [3, "not synchronized"],
});
/** Leap status values. */
export const LeapStatus = LEAP_STATUS.values;
/** A leap status value. */
export type LeapStatus = ValueOf<typeof LeapStatus>;

/** State of a source in the sources report. */
export const SOURCE_STATE = defineConstants("enum", {
  SELECTED: [0, "selected"],
  NONSELECTABLE: [1, "nonselectable"],
  FALSETICKER: [2, "falseticker"],
  JITTERY: [3, "jittery"],
  UNSELECTED: [4, "unselected"],
  SELECTABLE: [5, "selectable"],
});
/** Source state values. */
export const SourceState = SOURCE_STATE.values;
/** A source state value. */
export type SourceState = ValueOf<typeof SourceState>;

/** Mode of a source in the sources report. */
export const SOURCE_MODE = defineConstants("enum", {
  CLIENT: [0, "client"],
  PEER: [1, "peer"],
  REFERENCE_CLOCK: [2, "reference clock"],
});
/** Source mode values. */
export const SourceMode = SOURCE_MODE.values;
/** A source mode value. */
export type SourceMode = ValueOf<typeof SourceMode>;

/** Selection state of a source in the selectdata report: an ASCII character code, as chronyc prints it. */
export const SELECT_STATE = defineConstants("enum", {
  IGNORED: ["N", "ignored"],
  NOT_SYNCHRONIZED: ["s", "not synchronized"],
  MISSING_SAMPLES: ["M", "missing samples"],
  UNACCEPTABLE_DISTANCE: ["d", "unacceptable distance"],
  LARGE_DISTANCE: ["D", "large distance"],
  JITTERY: ["~", "jittery"],
  WAITING_FOR_OTHERS: ["w", "waiting for others"],
  MISSING_SELECTABLE_SOURCES: ["W", "missing selectable sources"],
  STALE: ["S", "stale"],
  ORPHAN: ["O", "orphan"],
  NOT_TRUSTED: ["T", "not trusted"],
  NOT_PREFERRED: ["P", "not preferred"],
  WAITING_FOR_UPDATE: ["U", "waiting for update"],
  FALSETICKER: ["x", "falseticker"],
  COMBINED: ["+", "combined"],
  BEST: ["*", "best"],
});
/** Selectdata state values (character codes). */
export const SelectState = SELECT_STATE.values;
/** A selectdata state value. */
export type SelectState = ValueOf<typeof SelectState>;

/** Selection options of a source (selectdata's configured and effective options). */
export const SELECT_OPTION = defineConstants("flags", {
  NOSELECT: [0x1, "noselect"],
  PREFER: [0x2, "prefer"],
  TRUST: [0x4, "trust"],
  REQUIRE: [0x8, "require"],
});
/** Selection option bits. */
export const SelectOption = SELECT_OPTION.values;
/** A selection option bit. */
export type SelectOption = ValueOf<typeof SelectOption>;

/** Authentication mode of a source (authdata). */
export const AUTH_MODE = defineConstants("enum", {
  NONE: [0, "none"],
  SYMMETRIC_KEY: [1, "symmetric key"],
  NTS: [2, "NTS"],
});
/** Authentication mode values. */
export const AuthMode = AUTH_MODE.values;
/** An authentication mode value. */
export type AuthMode = ValueOf<typeof AuthMode>;

/** Key type of a source's authentication (authdata); 0 means no key and has no name. */
export const AUTH_KEY_TYPE = defineConstants("enum", {
  MD5: [1, "MD5"],
  SHA1: [2, "SHA1"],
  SHA256: [3, "SHA256"],
  SHA384: [4, "SHA384"],
  SHA512: [5, "SHA512"],
  SHA3_224: [6, "SHA3-224"],
  SHA3_256: [7, "SHA3-256"],
  SHA3_384: [8, "SHA3-384"],
  SHA3_512: [9, "SHA3-512"],
  TIGER: [10, "TIGER"],
  WHIRLPOOL: [11, "WHIRLPOOL"],
  AES128: [13, "AES128"],
  AES256: [14, "AES256"],
  AEAD_AES_SIV_CMAC_256: [15, "AEAD-AES-SIV-CMAC-256"],
  AEAD_AES_128_GCM_SIV: [30, "AEAD-AES-128-GCM-SIV"],
});
/** Key type values. */
export const AuthKeyType = AUTH_KEY_TYPE.values;
/** A key type value. */
export type AuthKeyType = ValueOf<typeof AuthKeyType>;

/** NTP mode of the last packet from a source (ntpdata). */
export const NTP_MODE = defineConstants("enum", {
  ACTIVE_SYMMETRIC: [1, "active symmetric"],
  PASSIVE_SYMMETRIC: [2, "passive symmetric"],
  SERVER: [4, "server"],
});
/** NTP mode values. */
export const NtpMode = NTP_MODE.values;
/** An NTP mode value. */
export type NtpMode = ValueOf<typeof NtpMode>;

/** Where a packet's timestamp was taken (ntpdata): character codes. */
export const NTP_TIMESTAMPING = defineConstants("enum", {
  DAEMON: ["D", "daemon"],
  KERNEL: ["K", "kernel"],
  HARDWARE: ["H", "hardware"],
});
/** Timestamping source values (character codes). */
export const NtpTimestamping = NTP_TIMESTAMPING.values;
/** A timestamping source value. */
export type NtpTimestamping = ValueOf<typeof NtpTimestamping>;

/** Test results and flags of the last NTP packet (ntpdata), in libchrony's order. */
export const NTP_FLAG = defineConstants("flags", {
  TEST1: [0x200, "test1"],
  TEST2: [0x100, "test2"],
  TEST3: [0x80, "test3"],
  TEST5: [0x40, "test5"],
  TEST6: [0x20, "test6"],
  TEST7: [0x10, "test7"],
  TESTA: [0x8, "testA"],
  TESTC: [0x4, "testC"],
  TESTB: [0x2, "testB"],
  TESTD: [0x1, "testD"],
  INTERLEAVED: [0x4000, "interleaved"],
  AUTHENTICATED: [0x8000, "authenticated"],
});
/** NTP flag bits. */
export const NtpFlag = NTP_FLAG.values;
/** An NTP flag bit. */
export type NtpFlag = ValueOf<typeof NtpFlag>;

/** State of time smoothing (smoothing report). */
export const SMOOTHING_FLAG = defineConstants("flags", {
  ACTIVE: [0x1, "active"],
  LEAP_ONLY: [0x2, "leaponly"],
});
/** Smoothing flag bits. */
export const SmoothingFlag = SMOOTHING_FLAG.values;
/** A smoothing flag bit. */
export type SmoothingFlag = ValueOf<typeof SmoothingFlag>;

/** Every constant set by the name we export it under. */
export const CONSTANT_SETS = {
  LEAP_STATUS,
  SOURCE_STATE,
  SOURCE_MODE,
  SELECT_STATE,
  SELECT_OPTION,
  AUTH_MODE,
  AUTH_KEY_TYPE,
  NTP_MODE,
  NTP_TIMESTAMPING,
  NTP_FLAG,
  SMOOTHING_FLAG,
} as const;
/** The name of a constant set. */
export type ConstantSetName = keyof typeof CONSTANT_SETS;
