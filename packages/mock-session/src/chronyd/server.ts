/**
 * A simulated chronyd command port: takes request datagrams as libchrony
 * (or chronyc) sends them and answers with reply datagrams built from the
 * state, as cmdmon.c would. Shared by the in-process mock session and any
 * network front end.
 */
import {
  PROTOCOL,
  REPORTS,
  ReplyStatus,
  WIRE_TYPE_LENGTH,
  findReportByRequestCode,
  type FieldDef,
  type ReportDef,
  type ReportName,
  type ResponseDef,
} from "@chrony/fields";
import { ADDRESS_LENGTH, parseIpAddress, writeAddress, type WireAddress } from "../wire/address.js";
import { encodeFloat } from "../wire/float.js";
import { HEADER, replyLength } from "../wire/layout.js";
import type { ServerState, Source, Time } from "../state/normalize.js";
import {
  activityRecord,
  authdataRecord,
  ntpdataRecord,
  rtcdataRecord,
  selectdataRecord,
  serverstatsRecord,
  smoothingRecord,
  sourcesRecord,
  sourcestatsRecord,
  trackingRecord,
  type FieldValue,
} from "./records.js";

/** What a request resolves to before encoding. */
export type Answer =
  | { readonly kind: "status"; readonly status: number }
  | {
      readonly kind: "record";
      readonly report: ReportName | "count";
      readonly response: ResponseDef;
      readonly values: Readonly<Record<string, FieldValue>>;
    };

/** A parsed request header. */
export interface RequestHeader {
  readonly version: number;
  readonly packetType: number;
  readonly command: number;
  readonly sequence: number;
}

const RPY_NULL = 1;
const SOURCES = REPORTS.sources as ReportDef;

export function parseRequestHeader(datagram: Uint8Array): RequestHeader | null {
  if (datagram.length < PROTOCOL.requestHeaderLength) return null;
  const view = new DataView(datagram.buffer, datagram.byteOffset, datagram.length);
  return {
    version: view.getUint8(HEADER.version),
    packetType: view.getUint8(HEADER.packetType),
    command: view.getUint16(HEADER.command),
    sequence: view.getUint32(HEADER.requestSequence),
  };
}

const ARGUMENT_LENGTH = { none: 0, index: 4, address: ADDRESS_LENGTH } as const;
const argumentLengths = new Map<number, number>(
  (Object.values(REPORTS) as ReportDef[]).map((report) => [report.recordRequest.code, ARGUMENT_LENGTH[report.recordRequest.argument]]),
);

/** How many argument bytes a command's answer depends on (0 for commands without arguments or unknown ones). */
export function argumentLength(command: number): number {
  return argumentLengths.get(command) ?? 0;
}

/** The report a request is about, for fault matching and logs (`"count"` for the source count). */
export function reportOfCommand(command: number): ReportName | "count" | null {
  if (command === SOURCES.countRequest!.request.code) return "count";
  return (findReportByRequestCode(command)?.name as ReportName | undefined) ?? null;
}

/**
 * The record variant chronyd of a version (major + minor / 100) sends for a
 * report, or `null` when it lacks the report (selectdata, authdata before 4.0).
 */
export function responseFor(report: ReportDef, version: number): ResponseDef | null {
  const [v1, v2, v3, v4] = report.responses;
  switch (report.name) {
    case "serverstats":
      return version < 4 ? v1! : version < 4.02 ? v2! : version < 4.04 ? v3! : v4!;
    case "ntpdata":
      return version < 4.06 ? v1! : v2!;
    case "selectdata":
    case "authdata":
      return version < 4 ? null : v1!;
    default:
      return v1!;
  }
}

function sameAddress(source: Source, bytes: Uint8Array, family: number): boolean {
  if (source.isReferenceClock) return false;
  const wire = parseIpAddress(source.address)!;
  return wire.family === family && wire.bytes.every((b, i) => b === bytes[i]);
}

/** Resolves a request to a status or a record, as cmdmon.c's handlers do. */
export function resolveRequest(state: ServerState, command: number, argument: Uint8Array): Answer {
  if (command === SOURCES.countRequest!.request.code) {
    return { kind: "record", report: "count", response: SOURCES.countRequest!.response, values: { sources: state.sources.length } };
  }
  const report = findReportByRequestCode(command);
  if (!report) return { kind: "status", status: ReplyStatus.INVALID };
  const response = responseFor(report, state.version);
  if (!response) return { kind: "status", status: ReplyStatus.INVALID };
  const record = (values: Readonly<Record<string, FieldValue>>): Answer => ({ kind: "record", report: report.name as ReportName, response, values });
  const view = new DataView(argument.buffer, argument.byteOffset, argument.length);
  const name = report.name as ReportName;

  if (report.recordRequest.argument === "index") {
    const source = argument.length >= 4 ? state.sources[view.getUint32(0)] : undefined;
    if (!source) return { kind: "status", status: ReplyStatus.NOSUCHSOURCE };
    if (name === "sources") return record(sourcesRecord(source));
    if (name === "sourcestats") return record(sourcestatsRecord(source));
    return record(selectdataRecord(source));
  }
  if (report.recordRequest.argument === "address") {
    const family = argument.length >= ADDRESS_LENGTH ? view.getUint16(16) : -1;
    const source = state.sources.find((s) => sameAddress(s, argument, family));
    if (!source) return { kind: "status", status: ReplyStatus.NOSUCHSOURCE };
    return name === "ntpdata" ? record(ntpdataRecord(source, source.ntpdata!)) : record(authdataRecord(source));
  }
  switch (name) {
    case "tracking":
      return record(trackingRecord(state));
    case "activity":
      return record(activityRecord(state));
    case "serverstats":
      return record(serverstatsRecord(state));
    case "rtcdata":
      return state.rtc ? record(rtcdataRecord(state.rtc)) : { kind: "status", status: ReplyStatus.NORTC };
    case "smoothing":
      return state.smoothing ? record(smoothingRecord(state.smoothing)) : { kind: "status", status: ReplyStatus.NOTENABLED };
    default:
      return { kind: "status", status: ReplyStatus.INVALID };
  }
}

function writeField(view: DataView, offset: number, field: FieldDef, value: FieldValue): void {
  switch (field.wire) {
    case "uint64": {
      const big = BigInt.asUintN(64, BigInt(value as number | bigint));
      view.setUint32(offset, Number(big >> 32n));
      view.setUint32(offset + 4, Number(big & 0xffffffffn));
      return;
    }
    case "uint32":
      return view.setUint32(offset, Number(value) >>> 0);
    case "uint16":
      return view.setUint16(offset, Number(value) & 0xffff);
    case "uint8":
      return view.setUint8(offset, Number(value) & 0xff);
    case "int16":
      return view.setInt16(offset, Number(value));
    case "int8":
      return view.setInt8(offset, Number(value));
    case "float":
      return view.setUint32(offset, encodeFloat(Number(value)));
    case "address":
    case "address-or-uint32":
      return writeAddress(view, offset, value as WireAddress);
    case "timespec": {
      const time = value as Time;
      const seconds = BigInt.asUintN(64, time.seconds);
      view.setUint32(offset, Number(seconds >> 32n));
      view.setUint32(offset + 4, Number(seconds & 0xffffffffn));
      view.setUint32(offset + 8, time.nanoseconds);
      return;
    }
  }
}

/** Builds the reply datagram for a request header and its answer. */
export function encodeReply(header: RequestHeader, answer: Answer): Uint8Array {
  const length = answer.kind === "record" ? replyLength(answer.response) : PROTOCOL.replyHeaderLength;
  const bytes = new Uint8Array(length);
  const view = new DataView(bytes.buffer);
  view.setUint8(HEADER.version, PROTOCOL.version);
  view.setUint8(HEADER.packetType, PROTOCOL.replyType);
  view.setUint16(HEADER.command, header.command);
  view.setUint16(HEADER.attemptOrReply, answer.kind === "record" ? answer.response.code : RPY_NULL);
  view.setUint16(HEADER.replyStatus, answer.kind === "record" ? ReplyStatus.SUCCESS : answer.status);
  view.setUint32(HEADER.replySequence, header.sequence);
  if (answer.kind === "record") {
    let offset = PROTOCOL.replyHeaderLength;
    for (const field of answer.response.fields) {
      writeField(view, offset, field, answer.values[field.name] ?? 0);
      offset += WIRE_TYPE_LENGTH[field.wire];
    }
  }
  return bytes;
}
