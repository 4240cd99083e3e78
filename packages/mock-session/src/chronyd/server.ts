/**
 * A simulated chronyd command port: resolves request datagrams as libchrony
 * (or chronyc) sends them against the state, as cmdmon.c's handlers would.
 * Framing and encoding are `@chrony/protocol`'s; shared by the in-process
 * mock session and any network front end.
 */
import { REPORTS, ReplyStatus, findReportByRequestCode, type ReportDef, type ReportName, type ResponseDef } from "@chrony/fields";
import { ADDRESS_LENGTH, parseIpAddress, responseFor, sameWireAddress, type FieldValue } from "@chrony/protocol";
import type { ServerState, Source } from "../state/normalize.js";
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
} from "./records.js";

/** What a request resolves to before encoding: a bare status, or a record of the report it asked about. */
export type Answer =
  | { readonly kind: "status"; readonly status: number }
  | {
      readonly kind: "record";
      readonly report: ReportName | "count";
      readonly response: ResponseDef;
      readonly values: Readonly<Record<string, FieldValue>>;
    };

const SOURCES = REPORTS.sources as ReportDef;

function sameAddress(source: Source, argument: Uint8Array): boolean {
  return !source.isReferenceClock && sameWireAddress(parseIpAddress(source.address)!, argument);
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
    const source = argument.length >= ADDRESS_LENGTH ? state.sources.find((s) => sameAddress(s, argument)) : undefined;
    if (!source) return { kind: "status", status: ReplyStatus.NOSUCHSOURCE };
    return name === "ntpdata" ? record(ntpdataRecord(source, source.ntpdata!, state.version)) : record(authdataRecord(source));
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
