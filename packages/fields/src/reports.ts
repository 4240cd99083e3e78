/**
 * The ten reports of libchrony 0.2, transcribed from its `reports.h`: for each
 * report the requests libchrony sends and every response variant it accepts,
 * with their fields in wire order.
 *
 * @module
 */
import {
  FIELD_TYPE_OF_WIRE,
  type ChronyFieldContentName,
  type FieldTypeOfWire,
  type WireType,
} from "./codes.js";
import type { ConstantSetName } from "./constants.js";

/** One field of a request or response (reports.h `Field`). */
export interface FieldDef<N extends string = string, W extends WireType = WireType> {
  /** libchrony's exact name, as `chrony_get_field_name()` returns it. */
  readonly name: N;
  /** Layout on the wire. */
  readonly wire: W;
  /** The C API type (`chrony_get_field_type()`), derived from {@link wire}. */
  readonly type: FieldTypeOfWire<W>;
  /** `chrony_get_field_content()`. */
  readonly content: ChronyFieldContentName;
  /** The constant set naming its values, for `ENUM` and `FLAGS` fields. */
  readonly constants: ConstantSetName | null;
  /**
   * Only the sources report's first field: how it reads when the source is a
   * reference clock (mode 2), where chronyd stores the reference ID in the
   * address. Otherwise it reads as {@link name}/{@link type}/{@link content}.
   */
  readonly referenceClockForm?: ReferenceClockForm;
}

/** The sources report's first field as it reads for a reference clock. */
export interface ReferenceClockForm {
  readonly name: "reference ID";
  readonly wire: "uint32";
  readonly type: "UINTEGER";
  readonly content: "REFERENCE_ID";
}

/** A response variant: chronyd's reply code and the fields libchrony reads from it. */
export interface ResponseDef<F extends readonly FieldDef[] = readonly FieldDef[]> {
  /** Reply code (candm.h `RPY_*`). */
  readonly code: number;
  /** candm.h's name of the reply code. */
  readonly codeName: string;
  readonly fields: F;
}

/** What a record request carries besides its header. */
export type RecordArgument = "none" | "index" | "address";

/** A request libchrony sends (reports.h `Request`). */
export interface RequestDef {
  /** Command code (candm.h `REQ_*`). */
  readonly code: number;
  /** candm.h's name of the command code. */
  readonly codeName: string;
  /** What the request carries: nothing, the record index, or the source's address. */
  readonly argument: RecordArgument;
  readonly fields: readonly FieldDef[];
}

/** A report libchrony supports (reports.h `Report`). */
export interface ReportDef<
  N extends string = string,
  R extends readonly ResponseDef[] = readonly ResponseDef[],
> {
  /** Name used with `chrony_request_record()`. */
  readonly name: N;
  /** Position in `chrony_get_report_name()`. */
  readonly index: number;
  /**
   * The request asking how many records there are, or `null` for reports
   * that always have one record (libchrony then answers without asking).
   */
  readonly countRequest: { readonly request: RequestDef; readonly response: ResponseDef } | null;
  /** The request for one record. */
  readonly recordRequest: RequestDef;
  /**
   * Every response variant libchrony accepts for a record, oldest first.
   * Address-argument reports (ntpdata, authdata) first fetch the sourcestats
   * record of the same index to learn the address.
   */
  readonly responses: R;
}

function field<const N extends string, const W extends WireType>(
  name: N,
  wire: W,
  content: ChronyFieldContentName,
  constants: ConstantSetName | null = null,
): FieldDef<N, W> {
  return Object.freeze({ name, wire, type: FIELD_TYPE_OF_WIRE[wire], content, constants });
}

function response<const F extends readonly FieldDef[]>(code: number, codeName: string, fields: F): ResponseDef<F> {
  return Object.freeze({ code, codeName, fields: Object.freeze(fields) as F });
}

const INDEX_ARGUMENT = [field("index", "uint32", "INDEX")] as const;
const ADDRESS_ARGUMENT = [field("address", "address", "ADDRESS")] as const;

function request(code: number, codeName: string, argument: RecordArgument): RequestDef {
  const fields = argument === "index" ? INDEX_ARGUMENT : argument === "address" ? ADDRESS_ARGUMENT : [];
  return Object.freeze({ code, codeName, argument, fields });
}

/** Every report that counts its records asks chronyd for the number of sources. */
const SOURCE_COUNT = Object.freeze({
  request: request(14, "REQ_N_SOURCES", "none"),
  response: response(2, "RPY_N_SOURCES", [field("sources", "uint32", "COUNT")] as const),
});

const TRACKING_FIELDS = [
  field("reference ID", "uint32", "REFERENCE_ID"),
  field("address", "address", "ADDRESS"),
  field("stratum", "uint16", "COUNT"),
  field("leap status", "uint16", "ENUM", "LEAP_STATUS"),
  field("reference time", "timespec", "TIME"),
  field("current correction", "float", "OFFSET_SECONDS"),
  field("last offset", "float", "OFFSET_SECONDS"),
  field("RMS offset", "float", "MEASURE_SECONDS"),
  field("frequency offset", "float", "OFFSET_PPM"),
  field("residual frequency", "float", "OFFSET_PPM"),
  field("skew", "float", "MEASURE_PPM"),
  field("root delay", "float", "MEASURE_SECONDS"),
  field("root dispersion", "float", "MEASURE_SECONDS"),
  field("last update interval", "float", "INTERVAL_SECONDS"),
] as const;

const SOURCE_ADDRESS = Object.freeze({
  ...field("address", "address-or-uint32", "ADDRESS"),
  referenceClockForm: Object.freeze({
    name: "reference ID",
    wire: "uint32",
    type: "UINTEGER",
    content: "REFERENCE_ID",
  } as const),
});

const SOURCES_FIELDS = [
  SOURCE_ADDRESS,
  field("poll", "int16", "INTERVAL_LOG2_SECONDS"),
  field("stratum", "uint16", "COUNT"),
  field("state", "uint16", "ENUM", "SOURCE_STATE"),
  field("mode", "uint16", "ENUM", "SOURCE_MODE"),
  field("flags", "uint16", "NONE"),
  field("reachability", "uint16", "BITS"),
  field("last sample ago", "uint32", "INTERVAL_SECONDS"),
  field("original last sample offset", "float", "OFFSET_SECONDS"),
  field("adjusted last sample offset", "float", "OFFSET_SECONDS"),
  field("last sample error", "float", "MEASURE_SECONDS"),
] as const;

const SOURCESTATS_FIELDS = [
  field("reference ID", "uint32", "REFERENCE_ID"),
  field("address", "address", "ADDRESS"),
  field("samples", "uint32", "COUNT"),
  field("runs", "uint32", "COUNT"),
  field("span", "uint32", "INTERVAL_SECONDS"),
  field("standard deviation", "float", "MEASURE_SECONDS"),
  field("residual frequency", "float", "OFFSET_PPM"),
  field("skew", "float", "MEASURE_PPM"),
  field("offset", "float", "OFFSET_SECONDS"),
  field("offset error", "float", "MEASURE_SECONDS"),
] as const;

const SELECTDATA_FIELDS = [
  field("reference ID", "uint32", "REFERENCE_ID"),
  field("address", "address", "ADDRESS"),
  field("state", "uint8", "ENUM", "SELECT_STATE"),
  field("authentication", "uint8", "BOOLEAN"),
  field("leap status", "uint8", "ENUM", "LEAP_STATUS"),
  field("reserved #1", "uint8", "NONE"),
  field("configured options", "uint16", "FLAGS", "SELECT_OPTION"),
  field("effective options", "uint16", "FLAGS", "SELECT_OPTION"),
  field("last sample ago", "uint32", "INTERVAL_SECONDS"),
  field("score", "float", "RATIO"),
  field("low limit", "float", "INTERVAL_SECONDS"),
  field("high limit", "float", "INTERVAL_SECONDS"),
] as const;

const ACTIVITY_FIELDS = [
  field("online sources", "uint32", "COUNT"),
  field("offline sources", "uint32", "COUNT"),
  field("burst online-return sources", "uint32", "COUNT"),
  field("burst offline-return sources", "uint32", "COUNT"),
  field("unresolved sources", "uint32", "COUNT"),
] as const;

const AUTHDATA_FIELDS = [
  field("mode", "uint16", "ENUM", "AUTH_MODE"),
  field("key type", "uint16", "ENUM", "AUTH_KEY_TYPE"),
  field("key ID", "uint32", "INDEX"),
  field("key length", "uint16", "LENGTH_BITS"),
  field("key establishment attempts", "uint16", "COUNT"),
  field("last key establishment ago", "uint32", "INTERVAL_SECONDS"),
  field("cookies", "uint16", "COUNT"),
  field("cookie length", "uint16", "LENGTH_BYTES"),
  field("NAK", "uint16", "BOOLEAN"),
  field("reserved #1", "uint16", "NONE"),
] as const;

/** The fields both ntpdata variants share, up to the message counters. */
const NTPDATA_COMMON_FIELDS = [
  field("remote address", "address", "ADDRESS"),
  field("local address", "address", "ADDRESS"),
  field("remote port", "uint16", "PORT"),
  field("leap status", "uint8", "ENUM", "LEAP_STATUS"),
  field("version", "uint8", "COUNT"),
  field("mode", "uint8", "ENUM", "NTP_MODE"),
  field("stratum", "uint8", "COUNT"),
  field("poll", "int8", "INTERVAL_LOG2_SECONDS"),
  field("precision", "int8", "INTERVAL_LOG2_SECONDS"),
  field("root delay", "float", "MEASURE_SECONDS"),
  field("root dispersion", "float", "MEASURE_SECONDS"),
  field("reference ID", "uint32", "REFERENCE_ID"),
  field("reference time", "timespec", "TIME"),
  field("offset", "float", "OFFSET_SECONDS"),
  field("peer delay", "float", "MEASURE_SECONDS"),
  field("peer dispersion", "float", "MEASURE_SECONDS"),
  field("response time", "float", "MEASURE_SECONDS"),
  field("jitter asymmetry", "float", "RATIO"),
  field("flags", "uint16", "FLAGS", "NTP_FLAG"),
  field("transmit timestamping", "uint8", "ENUM", "NTP_TIMESTAMPING"),
  field("receive timestamping", "uint8", "ENUM", "NTP_TIMESTAMPING"),
  field("transmitted messages", "uint32", "COUNT"),
  field("received messages", "uint32", "COUNT"),
  field("received valid messages", "uint32", "COUNT"),
  field("received good messages", "uint32", "COUNT"),
] as const;

const NTPDATA_FIELDS = [
  ...NTPDATA_COMMON_FIELDS,
  field("reserved #1", "uint32", "NONE"),
  field("reserved #2", "uint32", "NONE"),
  field("reserved #3", "uint32", "NONE"),
] as const;

const NTPDATA2_FIELDS = [
  ...NTPDATA_COMMON_FIELDS,
  field("kernel transmit timestamps", "uint32", "COUNT"),
  field("kernel receive timestamps", "uint32", "COUNT"),
  field("hardware transmit timestamps", "uint32", "COUNT"),
  field("hardware receive timestamps", "uint32", "COUNT"),
  field("reserved #1", "uint32", "NONE"),
  field("reserved #2", "uint32", "NONE"),
  field("reserved #3", "uint32", "NONE"),
  field("reserved #4", "uint32", "NONE"),
] as const;

const SERVERSTATS_FIELDS = [
  field("received NTP requests", "uint32", "COUNT"),
  field("received command requests", "uint32", "COUNT"),
  field("dropped NTP requests", "uint32", "COUNT"),
  field("dropped command requests", "uint32", "COUNT"),
  field("dropped client log records", "uint32", "COUNT"),
] as const;

const SERVERSTATS2_FIELDS = [
  field("received NTP requests", "uint32", "COUNT"),
  field("accepted NTS-KE connections", "uint32", "COUNT"),
  field("received command requests", "uint32", "COUNT"),
  field("dropped NTP requests", "uint32", "COUNT"),
  field("dropped NTS-KE connections", "uint32", "COUNT"),
  field("dropped command requests", "uint32", "COUNT"),
  field("dropped client log records", "uint32", "COUNT"),
  field("received authenticated NTP requests", "uint32", "COUNT"),
] as const;

const SERVERSTATS3_FIELDS = [
  ...SERVERSTATS2_FIELDS,
  field("received interleaved NTP requests", "uint32", "COUNT"),
  field("held NTP timestamps", "uint32", "COUNT"),
  field("NTP timestamp span", "uint32", "INTERVAL_SECONDS"),
] as const;

const SERVERSTATS4_FIELDS = [
  field("received NTP requests", "uint64", "COUNT"),
  field("accepted NTS-KE connections", "uint64", "COUNT"),
  field("received command requests", "uint64", "COUNT"),
  field("dropped NTP requests", "uint64", "COUNT"),
  field("dropped NTS-KE connections", "uint64", "COUNT"),
  field("dropped command requests", "uint64", "COUNT"),
  field("dropped client log records", "uint64", "COUNT"),
  field("received authenticated NTP requests", "uint64", "COUNT"),
  field("received interleaved NTP requests", "uint64", "COUNT"),
  field("held NTP timestamps", "uint64", "COUNT"),
  field("NTP timestamp span", "uint64", "INTERVAL_SECONDS"),
  field("served daemon RX timestamps", "uint64", "COUNT"),
  field("served daemon TX timestamps", "uint64", "COUNT"),
  field("served kernel RX timestamps", "uint64", "COUNT"),
  field("served kernel TX timestamps", "uint64", "COUNT"),
  field("served hardware RX timestamps", "uint64", "COUNT"),
  field("served hardware TX timestamps", "uint64", "COUNT"),
  field("reserved #1", "uint64", "NONE"),
  field("reserved #2", "uint64", "NONE"),
  field("reserved #3", "uint64", "NONE"),
  field("reserved #4", "uint64", "NONE"),
] as const;

const RTCDATA_FIELDS = [
  field("reference time", "timespec", "TIME"),
  field("samples", "uint16", "COUNT"),
  field("runs", "uint16", "COUNT"),
  field("span", "uint32", "INTERVAL_SECONDS"),
  field("offset", "float", "OFFSET_SECONDS"),
  field("frequency offset", "float", "OFFSET_PPM"),
] as const;

const SMOOTHING_FIELDS = [
  field("flags", "uint32", "FLAGS", "SMOOTHING_FLAG"),
  field("offset", "float", "OFFSET_SECONDS"),
  field("frequency offset", "float", "OFFSET_PPM"),
  field("wander", "float", "OFFSET_PPM_PER_SECOND"),
  field("last update ago", "float", "INTERVAL_SECONDS"),
  field("remaining time", "float", "INTERVAL_SECONDS"),
] as const;

function report<const N extends string, const R extends readonly ResponseDef[]>(
  index: number,
  name: N,
  counted: boolean,
  recordRequest: RequestDef,
  responses: R,
): ReportDef<N, R> {
  return Object.freeze({
    name,
    index,
    countRequest: counted ? SOURCE_COUNT : null,
    recordRequest,
    responses: Object.freeze(responses) as R,
  });
}

/** libchrony's reports by name, in `chrony_get_report_name()` order. */
export const REPORTS = Object.freeze({
  tracking: report(0, "tracking", false, request(33, "REQ_TRACKING", "none"), [
    response(5, "RPY_TRACKING", TRACKING_FIELDS),
  ] as const),
  sources: report(1, "sources", true, request(15, "REQ_SOURCE_DATA", "index"), [
    response(3, "RPY_SOURCE_DATA", SOURCES_FIELDS),
  ] as const),
  sourcestats: report(2, "sourcestats", true, request(34, "REQ_SOURCESTATS", "index"), [
    response(6, "RPY_SOURCESTATS", SOURCESTATS_FIELDS),
  ] as const),
  selectdata: report(3, "selectdata", true, request(69, "REQ_SELECT_DATA", "index"), [
    response(23, "RPY_SELECT_DATA", SELECTDATA_FIELDS),
  ] as const),
  activity: report(4, "activity", false, request(44, "REQ_ACTIVITY", "none"), [
    response(12, "RPY_ACTIVITY", ACTIVITY_FIELDS),
  ] as const),
  authdata: report(5, "authdata", true, request(67, "REQ_AUTH_DATA", "address"), [
    response(20, "RPY_AUTH_DATA", AUTHDATA_FIELDS),
  ] as const),
  ntpdata: report(6, "ntpdata", true, request(57, "REQ_NTP_DATA", "address"), [
    response(16, "RPY_NTP_DATA", NTPDATA_FIELDS),
    response(26, "RPY_NTP_DATA2", NTPDATA2_FIELDS),
  ] as const),
  serverstats: report(7, "serverstats", false, request(54, "REQ_SERVER_STATS", "none"), [
    response(14, "RPY_SERVER_STATS", SERVERSTATS_FIELDS),
    response(22, "RPY_SERVER_STATS2", SERVERSTATS2_FIELDS),
    response(24, "RPY_SERVER_STATS3", SERVERSTATS3_FIELDS),
    response(25, "RPY_SERVER_STATS4", SERVERSTATS4_FIELDS),
  ] as const),
  rtcdata: report(8, "rtcdata", false, request(35, "REQ_RTCREPORT", "none"), [
    response(7, "RPY_RTC", RTCDATA_FIELDS),
  ] as const),
  smoothing: report(9, "smoothing", false, request(51, "REQ_SMOOTHING", "none"), [
    response(13, "RPY_SMOOTHING", SMOOTHING_FIELDS),
  ] as const),
});

/** The registry's type. */
export type Reports = typeof REPORTS;
/** A report name: `"tracking" | "sources" | …`. */
export type ReportName = keyof Reports;
/** The response variants of a report. */
export type ResponseOf<R extends ReportName> = Reports[R]["responses"][number];
/** The field definitions of any response variant of a report. */
export type FieldOf<R extends ReportName> = ResponseOf<R>["fields"][number];
/**
 * A field name of a report, over all its variants; for sources it includes
 * `"reference ID"`, the first field's name for reference clocks.
 */
export type FieldName<R extends ReportName> =
  | FieldOf<R>["name"]
  | (R extends "sources" ? ReferenceClockForm["name"] : never);

/** Report names in `chrony_get_report_name()` order. */
export const REPORT_NAMES: readonly ReportName[] = Object.freeze(
  (Object.keys(REPORTS) as ReportName[]).sort((a, b) => REPORTS[a].index - REPORTS[b].index),
);
