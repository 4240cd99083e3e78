/**
 * chronyd's command table at the packet level: which command codes a given
 * chronyd version knows, how long each request must be (data plus the
 * anti-amplification padding of protocol 6), and which commands chronyd
 * answers over UDP (its "open" commands). Report requests take their codes
 * and lengths from `@chrony/fields`; this module adds what that registry
 * does not hold: which variant each chronyd version sends, and the other
 * commands chronyd understands.
 *
 * Facts from chrony's candm.h, pktlength.c and cmdmon.c (tags 4.0–4.8).
 */
import { PROTOCOL, REPORTS, findReportByRequestCode, type ReportDef, type ReportName, type ResponseDef } from "@chrony/fields";
import { ADDRESS_LENGTH } from "./wire/address.js";
import { fieldOffset, replyLength } from "./wire/layout.js";

/** Commands and replies chronyc sends or expects that libchrony's registry does not cover (candm.h). */
export const EXTRA_CODES = Object.freeze({
  /** `REQ_NULL`: answered with an empty success (removed in 4.7). */
  REQ_NULL: 0,
  /** `REQ_LOGON`: always fails since authentication was removed (removed in 4.7). */
  REQ_LOGON: 10,
  /** `REQ_MANUAL_LIST`: `chronyc manual list`. */
  REQ_MANUAL_LIST: 41,
  /** `REQ_NTP_SOURCE_NAME`: the configured name of an NTP source (`chronyc -N`, `sourcename`). */
  REQ_NTP_SOURCE_NAME: 65,
  /** `REQ_CLIENT_ACCESSES_BY_INDEX3`: `chronyc clients`. */
  REQ_CLIENT_ACCESSES_BY_INDEX3: 68,
  /** `RPY_NULL`: the reply code of every status-only reply. */
  RPY_NULL: 1,
  /** `RPY_MANUAL_LIST2`. */
  RPY_MANUAL_LIST2: 18,
  /** `RPY_NTP_SOURCE_NAME`. */
  RPY_NTP_SOURCE_NAME: 19,
  /** `RPY_CLIENT_ACCESSES_BY_INDEX3`. */
  RPY_CLIENT_ACCESSES_BY_INDEX3: 21,
});

/** Packet-level limits of protocol 6 (candm.h). */
export const PACKET = Object.freeze({
  /** `sizeof (CMD_Request)`: longer datagrams are dropped. */
  maxRequestLength: 860,
  /** `PROTO_VERSION_MISMATCH_COMPAT_SERVER`: older versions are dropped, newer ones get `STT_BADPKTVERSION`. */
  mismatchCompatVersion: 5,
  /** Length of `RPY_NTP_SOURCE_NAME`'s name buffer. */
  sourceNameLength: 256,
  /** `RPY_MANUAL_LIST2` length. */
  manualListReplyLength: 416,
  /** `RPY_CLIENT_ACCESSES_BY_INDEX3` length. */
  clientAccessesReplyLength: 520,
  /** Length of an `IPAddr` on the wire. */
  addressLength: ADDRESS_LENGTH,
});

/**
 * Expected lengths (data + padding) of the requests chronyd 4.3 accepts
 * that are not report requests. 0 or absent: chronyd answers `STT_INVALID`.
 */
const OTHER_COMMAND_LENGTHS: Readonly<Record<number, number>> = Object.freeze({
  0: 28, 1: 60, 2: 60, 3: 68, 4: 44, 5: 44, 6: 28, 7: 44, 8: 44, 9: 28, 10: 32, 11: 40, 13: 28, 16: 28,
  17: 44, 18: 44, 19: 44, 20: 44, 21: 44, 22: 44, 23: 44, 24: 44, 25: 40, 26: 40, 29: 40, 30: 28, 31: 28,
  36: 28, 37: 28, 41: 416, 42: 28, 43: 28, 45: 44, 46: 44, 47: 44, 48: 28, 49: 28, 50: 28, 52: 28, 53: 28,
  56: 36, 62: 28, 63: 28, 64: 372, 66: 28, 68: 520, 70: 28, 71: 28,
});

/** Commands chronyd answers over UDP (cmdmon.c `permissions[]` entries `PERMIT_OPEN`), besides the report requests marked below. */
const OTHER_OPEN_COMMANDS = [EXTRA_CODES.REQ_NULL, EXTRA_CODES.REQ_LOGON, EXTRA_CODES.REQ_MANUAL_LIST, EXTRA_CODES.REQ_NTP_SOURCE_NAME];

/** Reports whose record requests chronyd answers over UDP; the rest (selectdata, authdata, ntpdata, serverstats) need the Unix socket. */
const OPEN_REPORTS = ["tracking", "sources", "sourcestats", "activity", "rtcdata", "smoothing"] as const;

const SOURCES = REPORTS.sources as ReportDef;
const N_SOURCES = SOURCES.countRequest!;

/**
 * The command codes chronyd answers over UDP in every version up to 4.7
 * (4.8 made the set configurable with `opencommands`; this is its default).
 */
export const OPEN_COMMANDS: readonly number[] = Object.freeze([
  ...OTHER_OPEN_COMMANDS,
  N_SOURCES.request.code,
  ...OPEN_REPORTS.map((name) => REPORTS[name].recordRequest.code),
].sort((a, b) => a - b));

/** The report a command asks about (`"count"` for the source count), or `null` for other commands. */
export function reportOfCommand(command: number): ReportName | "count" | null {
  if (command === N_SOURCES.request.code) return "count";
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

const ARGUMENT_LENGTH = { none: 0, index: 4, address: ADDRESS_LENGTH } as const;
const argumentLengths = new Map<number, number>(
  (Object.values(REPORTS) as ReportDef[]).map((report) => [report.recordRequest.code, ARGUMENT_LENGTH[report.recordRequest.argument]]),
);

/** How many argument bytes a report request's answer depends on (0 for requests without arguments and other commands). */
export function argumentLength(command: number): number {
  return argumentLengths.get(command) ?? 0;
}

/** `N_REQUEST_TYPES` of a chronyd version (major + minor / 100). */
export function requestTypeCount(version: number): number {
  if (version < 4.01) return 71;
  if (version < 4.04) return 72;
  if (version < 4.06) return 73;
  return 75;
}

/**
 * The length chronyd requires of a request (pktlength.c `PKL_CommandLength`):
 * the request's data, padded to the length of the reply this version sends.
 * 0 when this version does not know the command (`STT_INVALID`).
 */
export function expectedRequestLength(version: number, command: number): number {
  if (command < 0 || command >= requestTypeCount(version)) return 0;
  if (command === N_SOURCES.request.code) return Math.max(PROTOCOL.requestHeaderLength, replyLength(N_SOURCES.response));
  const report = reportOfCommand(command);
  if (report !== null && report !== "count") {
    const def = REPORTS[report] as ReportDef;
    const response = responseFor(def, version);
    if (!response) return 0;
    const fields = def.recordRequest.fields;
    return Math.max(PROTOCOL.requestHeaderLength + fieldOffset(fields, fields.length), replyLength(response));
  }
  if (command === EXTRA_CODES.REQ_NTP_SOURCE_NAME) {
    return PROTOCOL.replyHeaderLength + PACKET.sourceNameLength;
  }
  // Version differences of the other commands.
  if (version >= 4.07 && (command === EXTRA_CODES.REQ_NULL || command === EXTRA_CODES.REQ_LOGON)) return 0;
  if (version >= 4.06 && command === 56) return 0;
  // REQ_DOFFSET: chronyd 4.0 still takes it (pktlength.c `REQ_LENGTH_ENTRY(doffset, null)`); 4.1 made it
  // "not supported" in favour of REQ_DOFFSET2 (chrony commit 52b29f6 "cmdmon: convert doffset request to float").
  if (command === 32) return version < 4.01 ? 28 : 0;
  if (command === 72) return 52;
  if (command === 73 || command === 74) return 48;
  return OTHER_COMMAND_LENGTHS[command] ?? 0;
}

/** Whether chronyd answers this command over UDP (otherwise `STT_UNAUTH`). */
export function isOpenCommand(command: number, openCommands: readonly number[] = OPEN_COMMANDS): boolean {
  return openCommands.includes(command);
}
