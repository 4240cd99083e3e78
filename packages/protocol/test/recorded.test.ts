/**
 * Datagrams of real chronyc 4.3 talking to real chronyd 4.3 (recorded through
 * a relay on the command socket and on the UDP command port), checked
 * against this package: framing, lengths, the field codec byte for byte, and
 * libchrony's client logic replaying them. The `chronyc` lines of each
 * fixture are the output chronyc printed for the very exchanges recorded.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  ChronyErr,
  PROTOCOL,
  REPORTS,
  ReplyStatus,
  findReportByRequestCode,
  findResponse,
  findResponseByCode,
  type ReportDef,
  type ReportName,
  type ResponseDef,
} from "@chrony/fields";
import {
  ClientSession,
  EXTRA_CODES,
  HEADER,
  SESSION_FUNCTIONS,
  argumentLength,
  decodeRecord,
  encodeReply,
  expectedRequestLength,
  formatAddress,
  parseRequestHeader,
  replyLength,
  reportOfCommand,
  responseFor,
  writeAddress,
  writeReplySequence,
  type DatagramSocket,
  type FieldValue,
  type RequestHeader,
  type WireAddress,
  type WireTime,
} from "../src/index.js";

interface RecordedExchange {
  /** What chronyc asked for: a report name, or `n_sources` for the source count. */
  readonly command: string;
  /** The chronyc command that sent it. */
  readonly invocation: string;
  readonly request: string;
  readonly reply: string;
}

interface Recording {
  readonly chronyd: string;
  readonly client: string;
  readonly transport: "unix" | "udp";
  readonly recorded: string;
  readonly exchanges: readonly RecordedExchange[];
  /** `chronyc -n -c <invocation>` output lines. */
  readonly chronyc: Readonly<Record<string, readonly string[]>>;
  /** chronyc's exit status where it was not 0. */
  readonly chronycExitStatus?: Readonly<Record<string, number>>;
}

/** chronyd 4.3 as `major + minor / 100`. */
const VERSION = 4.03;

function load(name: string): Recording {
  return JSON.parse(readFileSync(new URL(`./fixtures/${name}`, import.meta.url), "utf8")) as Recording;
}

function fromHex(hex: string): Uint8Array {
  return Uint8Array.from(Buffer.from(hex, "hex"));
}

const UNIX = load("chronyd-4.3-chronyc.json");
const UDP = load("chronyd-4.3-chronyc-udp.json");
const SOURCE_COUNT = REPORTS.sources.countRequest ?? (() => {
  throw new Error("the sources report has no count request");
})();

/** One recorded exchange, parsed. */
interface Exchange {
  readonly index: number;
  readonly recorded: RecordedExchange;
  readonly request: Uint8Array;
  readonly reply: Uint8Array;
  readonly header: RequestHeader;
  readonly replyCode: number;
  readonly status: number;
}

function parse(recording: Recording): Exchange[] {
  return recording.exchanges.map((recorded, index) => {
    const request = fromHex(recorded.request);
    const reply = fromHex(recorded.reply);
    const view = new DataView(reply.buffer);
    const header = parseRequestHeader(request);
    if (!header) throw new Error(`exchange ${index}: request too short`);
    return {
      index,
      recorded,
      request,
      reply,
      header,
      replyCode: view.getUint16(HEADER.attemptOrReply),
      status: view.getUint16(HEADER.replyStatus),
    };
  });
}

/** The record (or count) variant a reply code stands for, among those of the request's report. */
function variantOf(command: number, replyCode: number): ResponseDef | undefined {
  if (reportOfCommand(command) === "count") return SOURCE_COUNT.response.code === replyCode ? SOURCE_COUNT.response : undefined;
  const report = findReportByRequestCode(command);
  return report ? findResponse(report, replyCode) : undefined;
}

/** The variant chronyd 4.3 sends for a request. */
function expectedVariant(command: number): ResponseDef | null {
  if (reportOfCommand(command) === "count") return SOURCE_COUNT.response;
  const report = findReportByRequestCode(command);
  return report ? responseFor(report, VERSION) : null;
}

function decode(exchange: Exchange): Record<string, FieldValue> {
  const variant = variantOf(exchange.header.command, exchange.replyCode);
  if (!variant || exchange.status !== ReplyStatus.SUCCESS) throw new Error(`exchange ${exchange.index} has no record`);
  return decodeRecord(exchange.reply, variant.fields);
}

/** The record replies of one chronyc invocation to one command, in order. */
function records(exchanges: readonly Exchange[], invocation: string, command: string): Record<string, FieldValue>[] {
  return exchanges.filter((e) => e.recorded.invocation === invocation && e.recorded.command === command).map(decode);
}

function csv(recording: Recording, invocation: string): string[][] {
  const lines = recording.chronyc[invocation];
  if (!lines) throw new Error(`no chronyc output for ${invocation}`);
  return lines.map((line) => line.split(","));
}

/** An address as libchrony and chronyc print it (`null` for the unspecified address). */
function addressText(value: FieldValue | undefined): string | null {
  const bytes = new Uint8Array(20);
  const view = new DataView(bytes.buffer);
  writeAddress(view, 0, value as WireAddress);
  return formatAddress(view, 0);
}

/** chronyc's `%R`: a reference ID in upper-case hex. */
function refIdHex(value: FieldValue | undefined): string {
  return (value as number).toString(16).toUpperCase().padStart(8, "0");
}

/** chronyc's `%L`. */
const LEAP_TEXT = ["Normal", "Insert second", "Delete second", "Not synchronised"];
/** chronyc's source mode and state characters (client.c process_cmd_sources). */
const SOURCE_MODE_CHAR = ["^", "=", "#"];
const SOURCE_STATE_CHAR = ["*", "?", "x", "~", "+", "-"];
/** chronyc's `%M` and `%N` for ntpdata. */
const NTP_MODE_TEXT: Record<number, string> = { 1: "Symmetric active", 2: "Symmetric passive", 4: "Server" };
const TIMESTAMPING_TEXT: Record<string, string> = { D: "Daemon", K: "Kernel", H: "Hardware" };
/** chronyc's text for the reply statuses recorded. */
const STATUS_TEXT: Record<number, string> = { [ReplyStatus.UNAUTH]: "501 Not authorised", [ReplyStatus.NORTC]: "513 RTC driver not running" };

function binary(value: number, digits: number): string {
  return (value & ((1 << digits) - 1)).toString(2).padStart(digits, "0");
}

describe.each([
  { recording: UNIX, name: "chronyd-4.3-chronyc.json" },
  { recording: UDP, name: "chronyd-4.3-chronyc-udp.json" },
])("$name: every recorded exchange", ({ recording }) => {
  const exchanges = parse(recording);
  const label = (e: Exchange): string => `#${e.index} ${e.recorded.invocation}: ${e.recorded.command}`;

  it("is a chronyd 4.3 recording with replies to every request", () => {
    expect(recording.chronyd).toBe("4.3");
    expect(exchanges.length).toBeGreaterThan(0);
    for (const e of exchanges) expect(e.reply.length, label(e)).toBeGreaterThanOrEqual(PROTOCOL.replyHeaderLength);
  });

  it.each(exchanges.map((e) => [label(e), e] as const))("%s: request header and length", (_, e) => {
    expect(e.header.version).toBe(PROTOCOL.version);
    expect(e.header.packetType).toBe(PROTOCOL.requestType);
    // Every recorded command is a report request, named after what it asks for.
    const report = reportOfCommand(e.header.command);
    expect(report === "count" ? "n_sources" : report).toBe(e.recorded.command);
    const expected = expectedRequestLength(VERSION, e.header.command);
    expect(expected).toBeGreaterThan(0);
    expect(e.request.length).toBe(expected);
  });

  it.each(exchanges.map((e) => [label(e), e] as const))("%s: reply header, variant and length", (_, e) => {
    const view = new DataView(e.reply.buffer);
    expect([e.reply[0], e.reply[1], e.reply[2], e.reply[3]]).toEqual([PROTOCOL.version, PROTOCOL.replyType, 0, 0]);
    expect(view.getUint16(HEADER.command)).toBe(e.header.command);
    expect(view.getUint32(HEADER.replySequence)).toBe(e.header.sequence);
    if (e.status === ReplyStatus.SUCCESS) {
      const variant = variantOf(e.header.command, e.replyCode);
      expect(variant, `reply code ${e.replyCode}`).toBeDefined();
      expect(variant).toBe(expectedVariant(e.header.command));
      if (variant !== SOURCE_COUNT.response) expect(findResponseByCode(e.replyCode)?.response).toBe(variant);
      expect(e.reply.length).toBe(replyLength(variant!));
    } else {
      expect(e.replyCode).toBe(EXTRA_CODES.RPY_NULL);
      expect(e.reply.length).toBe(PROTOCOL.replyHeaderLength);
    }
  });

  it.each(exchanges.map((e) => [label(e), e] as const))("%s: decodes and re-encodes to the recorded bytes", (_, e) => {
    if (e.status !== ReplyStatus.SUCCESS) {
      expect(encodeReply(e.header, { kind: "status", status: e.status })).toEqual(e.reply);
      return;
    }
    const variant = variantOf(e.header.command, e.replyCode)!;
    const values = decodeRecord(e.reply, variant.fields);
    expect(Object.keys(values)).toHaveLength(new Set(variant.fields.map((f) => f.name)).size);
    expect(encodeReply(e.header, { kind: "record", response: variant, values })).toEqual(e.reply);
  });
});

describe("chronyd-4.3-chronyc.json (Unix socket)", () => {
  const exchanges = parse(UNIX);

  it("covers every report, the source count, and no other command", () => {
    const commands = new Set(exchanges.map((e) => e.recorded.command));
    expect([...commands].sort()).toEqual([...Object.keys(REPORTS), "n_sources"].sort());
    expect(Object.keys(UNIX.chronyc).sort()).toEqual(Object.keys(REPORTS).sort());
  });

  it("has a status reply only for rtcdata (no RTC), as chronyc reports it", () => {
    const failed = exchanges.filter((e) => e.status !== ReplyStatus.SUCCESS);
    expect(failed.map((e) => [e.recorded.command, e.status])).toEqual([["rtcdata", ReplyStatus.NORTC]]);
    expect(UNIX.chronyc.rtcdata).toEqual([STATUS_TEXT[ReplyStatus.NORTC]]);
    expect(UNIX.chronycExitStatus).toEqual({ rtcdata: 1 });
  });

  it("every counted report asked for as many records as n_sources said, and chronyc printed them all", () => {
    for (const invocation of ["sources", "sourcestats", "selectdata", "authdata", "ntpdata"]) {
      const [count] = records(exchanges, invocation, "n_sources");
      const n = count!.sources as number;
      expect(n, invocation).toBe(2);
      expect(records(exchanges, invocation, invocation), invocation).toHaveLength(n);
      expect(csv(UNIX, invocation), invocation).toHaveLength(n);
    }
  });

  it("tracking: reference ID, address, stratum and leap status as chronyc printed them", () => {
    const [t] = records(exchanges, "tracking", "tracking");
    const [row] = csv(UNIX, "tracking");
    expect(row).toHaveLength(14);
    expect(refIdHex(t!["reference ID"])).toBe(row![0]);
    expect(addressText(t!.address)).toBe(row![1]);
    expect(String(t!.stratum)).toBe(row![2]);
    expect(LEAP_TEXT[t!["leap status"] as number]).toBe(row![13]);
    // Synchronised to the lab's server.
    expect(row!.slice(0, 3)).toEqual(["7F000001", "127.0.0.1", "4"]);
  });

  it("sources: mode, state, address, stratum, poll and reachability", () => {
    const rows = csv(UNIX, "sources");
    records(exchanges, "sources", "sources").forEach((s, i) => {
      const row = rows[i]!;
      expect(SOURCE_MODE_CHAR[s.mode as number]).toBe(row[0]);
      expect(SOURCE_STATE_CHAR[s.state as number]).toBe(row[1]);
      expect(addressText(s.address)).toBe(row[2]);
      expect(String(s.stratum)).toBe(row[3]);
      expect(String(s.poll)).toBe(row[4]);
      expect((s.reachability as number).toString(8)).toBe(row[5]);
    });
    expect(rows.map((row) => row.slice(0, 3))).toEqual([
      ["^", "*", "127.0.0.1"],
      ["^", "?", "127.0.0.2"],
    ]);
  });

  it("sourcestats: addresses", () => {
    const rows = csv(UNIX, "sourcestats");
    const stats = records(exchanges, "sourcestats", "sourcestats");
    expect(stats.map((s) => addressText(s.address))).toEqual(rows.map((row) => row[0]));
    // An unreachable source has no samples.
    expect([stats[1]!.samples, rows[1]![1]]).toEqual([0, "0"]);
  });

  it("selectdata: state character, address, authentication, options and leap status", () => {
    const rows = csv(UNIX, "selectdata");
    const options = (flags: number): string[] =>
      [flags & 1 ? "N" : "-", flags & 2 ? "P" : "-", flags & 4 ? "T" : "-", flags & 8 ? "R" : "-", "-"];
    records(exchanges, "selectdata", "selectdata").forEach((s, i) => {
      const row = rows[i]!;
      expect(String.fromCharCode(s.state as number)).toBe(row[0]);
      expect(addressText(s.address)).toBe(row[1]);
      expect(s.authentication ? "Y" : "N").toBe(row[2]);
      expect(options(s["configured options"] as number)).toEqual(row.slice(3, 8));
      expect(options(s["effective options"] as number)).toEqual(row.slice(8, 13));
      expect(LEAP_TEXT[s["leap status"] as number]).toBe(row[17]);
    });
    expect(rows.map((row) => row[0])).toEqual(["*", "s"]);
  });

  it("activity: the source counts", () => {
    const [a] = records(exchanges, "activity", "activity");
    const names = ["online sources", "offline sources", "burst online-return sources", "burst offline-return sources", "unresolved sources"];
    expect(names.map((name) => String(a![name]))).toEqual(csv(UNIX, "activity")[0]);
  });

  it("authdata: address, mode and key details", () => {
    const rows = csv(UNIX, "authdata");
    const modeText = ["-", "SK", "NTS"];
    const sourceAddresses = records(exchanges, "authdata", "sources").map((s) => addressText(s.address));
    records(exchanges, "authdata", "authdata").forEach((a, i) => {
      const row = rows[i]!;
      expect(sourceAddresses[i]).toBe(row[0]);
      expect(modeText[a.mode as number]).toBe(row[1]);
      expect([a["key ID"], a["key type"], a["key length"]].map(String)).toEqual(row.slice(2, 5));
      expect([a["key establishment attempts"], a.NAK, a.cookies, a["cookie length"]].map(String)).toEqual(row.slice(6, 10));
    });
  });

  it("ntpdata: addresses, port, header fields, reference ID, tests and timestamping", () => {
    const rows = csv(UNIX, "ntpdata");
    const requests = exchanges.filter((e) => e.recorded.command === "ntpdata");
    records(exchanges, "ntpdata", "ntpdata").forEach((n, i) => {
      const row = rows[i]!;
      // chronyc asks about the address it got from the source's record; chronyd answers about that address.
      const request = requests[i]!.request;
      expect(formatAddress(new DataView(request.buffer), PROTOCOL.requestHeaderLength)).toBe(addressText(n["remote address"]));
      expect(addressText(n["remote address"])).toBe(row[0]);
      expect(String(n["remote port"])).toBe(row[2]);
      expect(addressText(n["local address"]) ?? "[UNSPEC]").toBe(row[3]);
      expect(LEAP_TEXT[n["leap status"] as number]).toBe(row[5]);
      expect(String(n.version)).toBe(row[6]);
      expect(NTP_MODE_TEXT[n.mode as number] ?? "Invalid").toBe(row[7]);
      expect([n.stratum, n.poll].map(String)).toEqual(row.slice(8, 10));
      expect(String(n.precision)).toBe(row[11]);
      expect(refIdHex(n["reference ID"])).toBe(row[15]);
      const flags = n.flags as number;
      expect([binary(flags >> 7, 3), binary(flags >> 4, 3), binary(flags, 4)]).toEqual(row.slice(23, 26));
      expect([flags & 0x4000 ? "Yes" : "No", flags & 0x8000 ? "Yes" : "No"]).toEqual(row.slice(26, 28));
      const stamping = (value: FieldValue | undefined): string => TIMESTAMPING_TEXT[String.fromCharCode(value as number)] ?? "Invalid";
      expect([stamping(n["transmit timestamping"]), stamping(n["receive timestamping"])]).toEqual(row.slice(28, 30));
    });
    expect(rows.map((row) => [row[0], row[7], row[15]])).toEqual([
      ["127.0.0.1", "Server", "7F7F0101"],
      ["127.0.0.2", "Invalid", "00000000"],
    ]);
  });

  it("serverstats: the counters that do not move", () => {
    const [s] = records(exchanges, "serverstats", "serverstats");
    const [row] = csv(UNIX, "serverstats");
    // chronyc's column order; "received command requests" (column 2) grows with every query.
    const columns = [
      "received NTP requests",
      "dropped NTP requests",
      null,
      "dropped command requests",
      "dropped client log records",
      "accepted NTS-KE connections",
      "dropped NTS-KE connections",
      "received authenticated NTP requests",
      "received interleaved NTP requests",
      "held NTP timestamps",
      "NTP timestamp span",
    ];
    expect(row).toHaveLength(columns.length);
    columns.forEach((name, i) => {
      if (name !== null) expect(String(s![name]), name).toBe(row![i]);
    });
    expect(s!["received command requests"]).toBeGreaterThan(0);
  });

  it("smoothing: active and leap-only flags", () => {
    const [s] = records(exchanges, "smoothing", "smoothing");
    const [row] = csv(UNIX, "smoothing");
    const flags = s!.flags as number;
    expect(flags & 1 ? "Yes" : "No").toBe(row![0]);
    expect(flags & 2 ? "(leap second only)" : "").toBe(row![1]);
    expect(row![0]).toBe("Yes");
  });
});

describe("chronyd-4.3-chronyc-udp.json (UDP command port)", () => {
  const exchanges = parse(UDP);

  it("refuses serverstats over UDP (UNAUTH) and answers the open reports", () => {
    expect(exchanges.map((e) => [e.recorded.command, e.status])).toEqual([
      ["tracking", ReplyStatus.SUCCESS],
      ["n_sources", ReplyStatus.SUCCESS],
      ["sources", ReplyStatus.SUCCESS],
      ["sources", ReplyStatus.SUCCESS],
      ["serverstats", ReplyStatus.UNAUTH],
    ]);
    expect(UDP.chronyc.serverstats).toEqual([STATUS_TEXT[ReplyStatus.UNAUTH]]);
    expect(UDP.chronycExitStatus).toEqual({ serverstats: 1 });
  });

  it("tracking and sources agree with chronyc", () => {
    const [t] = records(exchanges, "tracking", "tracking");
    expect([refIdHex(t!["reference ID"]), addressText(t!.address), String(t!.stratum)]).toEqual(csv(UDP, "tracking")[0]!.slice(0, 3));
    const rows = csv(UDP, "sources");
    expect(records(exchanges, "sources", "sources").map((s) => [SOURCE_MODE_CHAR[s.mode as number], SOURCE_STATE_CHAR[s.state as number], addressText(s.address)])).toEqual(
      rows.map((row) => row.slice(0, 3)),
    );
  });
});

/**
 * A socket that answers libchrony's requests with recorded replies: the
 * recorded exchange with the same command and argument (preferring those
 * of the chronyc invocation named `prefer`), its reply carrying the new
 * request's sequence number.
 */
class ScriptedSocket implements DatagramSocket {
  readonly sent: { request: Uint8Array; answeredBy: Exchange }[] = [];
  private readonly queue: Uint8Array[] = [];
  prefer = "";

  constructor(private readonly exchanges: readonly Exchange[]) {}

  send(datagram: Uint8Array): boolean {
    const request = datagram.slice();
    const header = parseRequestHeader(request);
    if (!header) throw new Error("libchrony sent a datagram without a header");
    const argument = (bytes: Uint8Array): string =>
      Buffer.from(bytes.subarray(PROTOCOL.requestHeaderLength, PROTOCOL.requestHeaderLength + argumentLength(header.command))).toString("hex");
    const candidates = this.exchanges.filter((e) => e.header.command === header.command && argument(e.request) === argument(request));
    const match = candidates.find((e) => e.recorded.invocation === this.prefer) ?? candidates[0];
    if (!match) throw new Error(`no recorded reply to command ${header.command} with argument ${argument(request)}`);
    const reply = match.reply.slice();
    writeReplySequence(reply, header.sequence);
    this.queue.push(reply);
    this.sent.push({ request, answeredBy: match });
    return true;
  }

  receive(buffer: Uint8Array): number {
    const next = this.queue.shift();
    if (!next) return -1;
    buffer.set(next.subarray(0, buffer.length));
    return Math.min(next.length, buffer.length);
  }
}

const lib = SESSION_FUNCTIONS;

/** Runs the session until it needs nothing more; the last error. */
function settle(session: ClientSession): number {
  let error: number = ChronyErr.OK;
  for (let i = 0; i < 10 && session.needsResponse; i++) {
    error = session.processResponse();
    if (error !== ChronyErr.OK) return error;
  }
  expect(session.needsResponse).toBe(false);
  return error;
}

/** Every field of the session's current record read through libchrony's getters, against the decoded reply. */
function expectGettersAgree(session: ClientSession, reply: Uint8Array, response: ResponseDef): void {
  const values = decodeRecord(reply, response.fields);
  expect(lib.chrony_get_record_number_fields(session)).toBe(response.fields.length);
  response.fields.forEach((field, i) => {
    const index = lib.chrony_get_field_index(session, field.name);
    expect(index, field.name).toBe(response.fields.findIndex((f) => f.name === field.name));
    expect(lib.chrony_get_field_name(session, i)).toBe(field.name);
    const value = values[field.name];
    switch (field.wire) {
      case "uint64":
      case "uint32":
      case "uint16":
      case "uint8":
        expect(BigInt(lib.chrony_get_field_uinteger(session, index)), field.name).toBe(BigInt(value as number | bigint));
        break;
      case "int16":
        // libchrony's int16 getter goes through ntohs() without sign extension.
        expect(lib.chrony_get_field_integer(session, index), field.name).toBe((value as number) & 0xffff);
        break;
      case "int8":
        expect(lib.chrony_get_field_integer(session, index), field.name).toBe(value);
        break;
      case "float":
        expect(lib.chrony_get_field_float(session, index), field.name).toBe(value);
        break;
      case "address":
      case "address-or-uint32":
        expect(lib.chrony_get_field_string(session, index), field.name).toBe(addressText(value));
        break;
      case "timespec": {
        const time = lib.chrony_get_field_timespec(session, index);
        expect(BigInt(time.tv_sec), field.name).toBe((value as WireTime).seconds);
        expect(time.tv_nsec, field.name).toBe((value as WireTime).nanoseconds);
        break;
      }
    }
  });
}

/** libchrony sends what chronyc sent, except the sequence number and, where it expects a longer variant, more zero padding. */
function expectSameRequest(sent: Uint8Array, recorded: Uint8Array, report: ReportDef): void {
  const maxReply = Math.max(...report.responses.map(replyLength), PROTOCOL.requestHeaderLength);
  expect(sent.length).toBeGreaterThanOrEqual(recorded.length);
  if (report.responses.length === 1) expect(sent.length).toBe(recorded.length);
  const masked = (bytes: Uint8Array): Uint8Array => {
    const copy = bytes.slice(0, recorded.length);
    copy.fill(0, HEADER.requestSequence, HEADER.requestSequence + 4);
    return copy;
  };
  expect(masked(sent)).toEqual(masked(recorded));
  expect(sent.subarray(recorded.length).every((byte) => byte === 0)).toBe(true);
  expect(sent.length).toBeLessThanOrEqual(Math.max(maxReply, recorded.length));
}

describe("libchrony's client logic over the recorded replies", () => {
  const exchanges = parse(UNIX);

  function session(recording: readonly Exchange[]): { session: ClientSession; socket: ScriptedSocket } {
    const socket = new ScriptedSocket(recording);
    let sequence = 0x5eed0000;
    return { session: new ClientSession(3, socket, () => sequence++), socket };
  }

  it("reads tracking: the request chronyc sent, every field as decoded", () => {
    const { session: s, socket } = session(exchanges);
    socket.prefer = "tracking";
    expect(s.requestReportNumberRecords("tracking")).toBe(ChronyErr.OK);
    expect(s.numberRecords).toBe(1);
    expect(socket.sent).toHaveLength(0);
    expect(s.requestRecord("tracking", 0)).toBe(ChronyErr.OK);
    expect(settle(s)).toBe(ChronyErr.OK);
    expect(socket.sent).toHaveLength(1);
    const [{ request, answeredBy }] = socket.sent as [ScriptedSocket["sent"][number]];
    expectSameRequest(request, answeredBy.request, REPORTS.tracking);
    expectGettersAgree(s, answeredBy.reply, REPORTS.tracking.responses[0]);
    expect(lib.chrony_get_field_string(s, lib.chrony_get_field_index(s, "address"))).toBe(csv(UNIX, "tracking")[0]![1]);
  });

  it("reads every source: the count, then each record", () => {
    const { session: s, socket } = session(exchanges);
    socket.prefer = "sources";
    expect(s.requestReportNumberRecords("sources")).toBe(ChronyErr.OK);
    expect(settle(s)).toBe(ChronyErr.OK);
    const [count] = records(exchanges, "sources", "n_sources");
    expect(s.numberRecords).toBe(count!.sources);
    const rows = csv(UNIX, "sources");
    for (let i = 0; i < s.numberRecords; i++) {
      expect(s.requestRecord("sources", i)).toBe(ChronyErr.OK);
      expect(settle(s)).toBe(ChronyErr.OK);
      const { request, answeredBy } = socket.sent.at(-1)!;
      expect(answeredBy.recorded.invocation).toBe("sources");
      expectSameRequest(request, answeredBy.request, REPORTS.sources);
      expectGettersAgree(s, answeredBy.reply, REPORTS.sources.responses[0]);
      expect(lib.chrony_get_field_string(s, lib.chrony_get_field_index(s, "address"))).toBe(rows[i]![2]);
      expect(lib.chrony_get_field_uinteger(s, lib.chrony_get_field_index(s, "stratum"))).toBe(Number(rows[i]![3]));
    }
    expect(socket.sent.map((x) => x.answeredBy.recorded.command)).toEqual(["n_sources", "sources", "sources"]);
  });

  const recordReports = (Object.keys(REPORTS) as ReportName[]).filter((name) => name !== "rtcdata");

  it.each(recordReports)("reads every record of %s as decoded", (name) => {
    const report = REPORTS[name] as ReportDef;
    const { session: s, socket } = session(exchanges);
    socket.prefer = name;
    expect(s.requestReportNumberRecords(name)).toBe(ChronyErr.OK);
    expect(settle(s)).toBe(ChronyErr.OK);
    expect(s.numberRecords).toBe(report.countRequest ? 2 : 1);
    for (let i = 0; i < s.numberRecords; i++) {
      expect(s.requestRecord(name, i)).toBe(ChronyErr.OK);
      expect(settle(s)).toBe(ChronyErr.OK);
      const { request, answeredBy } = socket.sent.at(-1)!;
      expect(answeredBy.recorded.command).toBe(name);
      expectSameRequest(request, answeredBy.request, report);
      expectGettersAgree(s, answeredBy.reply, variantOf(answeredBy.header.command, answeredBy.replyCode)!);
    }
    // Address reports first fetch the source's sourcestats record for its address.
    const perRecord = report.recordRequest.argument === "address" ? [REPORTS.sourcestats.name, name] : [name];
    const expected = [...(report.countRequest ? ["n_sources"] : []), ...Array.from({ length: s.numberRecords }, () => perRecord).flat()];
    expect(socket.sent.map((x) => x.answeredBy.recorded.command)).toEqual(expected);
  });

  it("reports rtcdata's NORTC status as DISABLED", () => {
    const { session: s, socket } = session(exchanges);
    expect(s.requestRecord("rtcdata", 0)).toBe(ChronyErr.OK);
    expect(settle(s)).toBe(ChronyErr.DISABLED);
    expect(lib.chrony_get_record_number_fields(s)).toBe(0);
    expectSameRequest(socket.sent[0]!.request, socket.sent[0]!.answeredBy.request, REPORTS.rtcdata);
  });

  it("over UDP: reads tracking and sources, and serverstats fails as UNAUTHORIZED", () => {
    const udp = parse(UDP);
    const { session: s, socket } = session(udp);
    expect(s.requestRecord("tracking", 0)).toBe(ChronyErr.OK);
    expect(settle(s)).toBe(ChronyErr.OK);
    expectGettersAgree(s, socket.sent.at(-1)!.answeredBy.reply, REPORTS.tracking.responses[0]);

    expect(s.requestReportNumberRecords("sources")).toBe(ChronyErr.OK);
    expect(settle(s)).toBe(ChronyErr.OK);
    expect(s.numberRecords).toBe(2);
    for (let i = 0; i < 2; i++) {
      expect(s.requestRecord("sources", i)).toBe(ChronyErr.OK);
      expect(settle(s)).toBe(ChronyErr.OK);
      expectGettersAgree(s, socket.sent.at(-1)!.answeredBy.reply, REPORTS.sources.responses[0]);
    }

    expect(s.requestRecord("serverstats", 0)).toBe(ChronyErr.OK);
    expect(settle(s)).toBe(ChronyErr.UNAUTHORIZED);
  });

  it("ignores a reply whose sequence number does not match and keeps waiting", () => {
    const { session: s, socket } = session(exchanges);
    expect(s.requestRecord("tracking", 0)).toBe(ChronyErr.OK);
    // The recorded reply as chronyd sent it to chronyc: another sequence number.
    const stale = socket.sent[0]!.answeredBy.reply;
    expect(new DataView(stale.buffer).getUint32(HEADER.replySequence)).not.toBe(parseRequestHeader(socket.sent[0]!.request)!.sequence);
    const receive = socket.receive.bind(socket);
    let first = true;
    socket.receive = (buffer) => {
      if (!first) return receive(buffer);
      first = false;
      buffer.set(stale);
      return stale.length;
    };
    expect(s.processResponse()).toBe(ChronyErr.OK);
    expect(s.needsResponse).toBe(true);
    expect(s.processResponse()).toBe(ChronyErr.OK);
    expect(s.needsResponse).toBe(false);
    expect(lib.chrony_get_record_number_fields(s)).toBe(REPORTS.tracking.responses[0].fields.length);
  });
});
