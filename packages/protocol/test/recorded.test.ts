/**
 * Datagrams of real chronyc talking to real chronyd (recorded through a relay
 * on the command socket and on the UDP command port), one pair of fixtures
 * per chronyd version, checked against this package: framing, the request
 * lengths and reply variants of that version, the field codec byte for byte,
 * chronyd's UDP rules, and libchrony's client logic replaying them. The
 * `chronyc` lines of each fixture are the output chronyc printed for the very
 * exchanges recorded; `probes` (where present) are datagrams of our own sent
 * to the same chronyd, with its answers (`null`: none).
 *
 * Every `chronyd-<version>-chronyc[-udp].json` in `fixtures/` is checked.
 */
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
  PACKET,
  SESSION_FUNCTIONS,
  argumentLength,
  decodeRecord,
  encodeReply,
  expectedRequestLength,
  formatAddress,
  isOpenCommand,
  parseRequestHeader,
  replyLength,
  reportOfCommand,
  requestTypeCount,
  responseFor,
  writeAddress,
  writeReplySequence,
  type DatagramSocket,
  type FieldValue,
  type RequestHeader,
  type WireAddress,
  type WireTime,
} from "../src/index.js";
import { FIXTURE_NAME, chronycVersion, fromHex, readRecording, recordingFiles, versionNumber, type RecordedExchange, type RecordedProbe, type Recording } from "./recordings.js";

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

/** One fixture file. */
interface Fixture {
  readonly file: string;
  readonly recording: Recording;
  /** The chronyd version as `major + minor / 100` (4.8 → 4.08), the convention of `responseFor` and `expectedRequestLength`. */
  readonly version: number;
  /** `chronyd 4.8 (chronyc 4.8), Unix socket`. */
  readonly title: string;
  readonly exchanges: readonly Exchange[];
}

function parse(recording: Recording): Exchange[] {
  return recording.exchanges.map((recorded, index) => {
    const request = fromHex(recorded.request);
    const reply = fromHex(recorded.reply ?? "");
    const view = new DataView(reply.buffer);
    const header = parseRequestHeader(request);
    if (!header) throw new Error(`exchange ${index}: request too short`);
    return {
      index,
      recorded,
      request,
      reply,
      header,
      replyCode: reply.length >= PROTOCOL.replyHeaderLength ? view.getUint16(HEADER.attemptOrReply) : -1,
      status: reply.length >= PROTOCOL.replyHeaderLength ? view.getUint16(HEADER.replyStatus) : -1,
    };
  });
}

function load(file: string): Fixture {
  const recording = readRecording(file);
  const transport = recording.transport === "udp" ? "UDP" : "Unix socket";
  return {
    file,
    recording,
    version: versionNumber(recording.chronyd),
    title: `chronyd ${recording.chronyd} (chronyc ${chronycVersion(recording)}), ${transport}`,
    exchanges: parse(recording),
  };
}

const FIXTURES: readonly Fixture[] = recordingFiles()
  .map(load)
  .sort((a, b) => a.version - b.version || a.file.localeCompare(b.file));
const UNIX_FIXTURES = FIXTURES.filter((f) => f.recording.transport === "unix");
const UDP_FIXTURES = FIXTURES.filter((f) => f.recording.transport === "udp");

const SOURCE_COUNT = REPORTS.sources.countRequest ?? (() => {
  throw new Error("the sources report has no count request");
})();

/** The record (or count) variant a reply code stands for, among those of the request's report. */
function variantOf(command: number, replyCode: number): ResponseDef | undefined {
  if (reportOfCommand(command) === "count") return SOURCE_COUNT.response.code === replyCode ? SOURCE_COUNT.response : undefined;
  const report = findReportByRequestCode(command);
  return report ? findResponse(report, replyCode) : undefined;
}

/** The variant chronyd of a version sends for a request. */
function expectedVariant(command: number, version: number): ResponseDef | null {
  if (reportOfCommand(command) === "count") return SOURCE_COUNT.response;
  const report = findReportByRequestCode(command);
  return report ? responseFor(report, version) : null;
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
/** The ntpdata counters in chronyc's column order from column 30 (client.c process_cmd_ntpdata). */
const NTPDATA_COUNTERS = [
  "transmitted messages",
  "received messages",
  "received valid messages",
  "received good messages",
  "kernel transmit timestamps",
  "kernel receive timestamps",
  "hardware transmit timestamps",
  "hardware receive timestamps",
];
/** chronyc's serverstats columns (client.c process_cmd_serverstats); `null`: "received command requests", which grows with every query. */
const SERVERSTATS_COLUMNS = [
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
  "served daemon RX timestamps",
  "served daemon TX timestamps",
  "served kernel RX timestamps",
  "served kernel TX timestamps",
  "served hardware RX timestamps",
  "served hardware TX timestamps",
];

function binary(value: number, digits: number): string {
  return (value & ((1 << digits) - 1)).toString(2).padStart(digits, "0");
}

const label = (e: Exchange): string => `#${e.index} ${e.recorded.invocation}: ${e.recorded.command}`;

/** The addresses of the lab's two sources (the recorded chronyd's configuration). */
const LAB_SOURCES = ["127.0.0.1", "127.0.0.2"];

/** What a probe should get back: a reply's status, reply code and length. */
interface ProbeAnswer {
  readonly status: number;
  readonly replyCode: number;
  readonly length: number;
}

const statusOnly = (status: number): ProbeAnswer => ({ status, replyCode: EXTRA_CODES.RPY_NULL, length: PROTOCOL.replyHeaderLength });

/**
 * What chronyd of a version answers a probe with, following cmdmon.c
 * read_from_cmd_socket()'s order of checks: protocol version, command and
 * length, then (over UDP) permission, then the command's handler. `null`: no
 * reply. Only for the requests our probes send.
 */
function expectedProbe(request: Uint8Array, version: number, transport: Recording["transport"]): ProbeAnswer | null {
  const header = parseRequestHeader(request)!;
  if (header.version !== PROTOCOL.version) return header.version >= PACKET.mismatchCompatVersion ? statusOnly(ReplyStatus.BADPKTVERSION) : null;
  const expected = expectedRequestLength(version, header.command);
  if (expected < PROTOCOL.requestHeaderLength) return statusOnly(ReplyStatus.INVALID);
  if (request.length < expected) return statusOnly(ReplyStatus.BADPKTLENGTH);
  if (transport === "udp" && !isOpenCommand(header.command)) return statusOnly(ReplyStatus.UNAUTH);
  const view = new DataView(request.buffer, request.byteOffset, request.length);
  const address = (): string | null => formatAddress(view, PROTOCOL.requestHeaderLength);
  switch (header.command) {
    case EXTRA_CODES.REQ_LOGON:
      // Authentication was removed in chrony 2.2: REQ_LOGON always fails (cmdmon.c).
      return statusOnly(ReplyStatus.FAILED);
    case EXTRA_CODES.REQ_NULL:
      return statusOnly(ReplyStatus.SUCCESS);
    case EXTRA_CODES.REQ_MANUAL_LIST:
      return { status: ReplyStatus.SUCCESS, replyCode: EXTRA_CODES.RPY_MANUAL_LIST2, length: PACKET.manualListReplyLength };
    case EXTRA_CODES.REQ_CLIENT_ACCESSES_BY_INDEX3:
      return { status: ReplyStatus.SUCCESS, replyCode: EXTRA_CODES.RPY_CLIENT_ACCESSES_BY_INDEX3, length: PACKET.clientAccessesReplyLength };
    case EXTRA_CODES.REQ_NTP_SOURCE_NAME:
      return LAB_SOURCES.includes(address() ?? "")
        ? { status: ReplyStatus.SUCCESS, replyCode: EXTRA_CODES.RPY_NTP_SOURCE_NAME, length: PROTOCOL.replyHeaderLength + PACKET.sourceNameLength }
        : statusOnly(ReplyStatus.NOSUCHSOURCE);
  }
  const report = reportOfCommand(header.command);
  if (report !== null && report !== "count") {
    // Our probes ask report requests only about sources the lab does not have.
    const argument = REPORTS[report].recordRequest.argument;
    if (argument === "index" && view.getUint32(PROTOCOL.requestHeaderLength) >= LAB_SOURCES.length) return statusOnly(ReplyStatus.NOSUCHSOURCE);
    if (argument === "address" && !LAB_SOURCES.includes(address() ?? "")) return statusOnly(ReplyStatus.NOSUCHSOURCE);
  }
  throw new Error(`no expectation for a probe with command ${header.command}`);
}

function checkRecording({ file, recording, version, exchanges }: Fixture): void {
  const udp = recording.transport === "udp";

  it("is named after its chronyd version and transport, and every request got a reply", () => {
    const name = FIXTURE_NAME.exec(file);
    expect(name, file).not.toBeNull();
    expect(name![1]).toBe(recording.chronyd);
    expect(name![2] === "-udp").toBe(udp);
    expect(["unix", "udp"]).toContain(recording.transport);
    // Each version's own chronyc.
    expect(chronycVersion(recording)).toBe(recording.chronyd);
    expect(exchanges.length).toBeGreaterThan(0);
    for (const e of exchanges) expect(e.reply.length, label(e)).toBeGreaterThanOrEqual(PROTOCOL.replyHeaderLength);
    expect([...new Set(exchanges.map((e) => e.recorded.invocation))].sort()).toEqual(Object.keys(recording.chronyc).sort());
  });

  it.each(exchanges.map((e) => [label(e), e] as const))("%s: request header and length", (_, e) => {
    expect(e.header.version).toBe(PROTOCOL.version);
    expect(e.header.packetType).toBe(PROTOCOL.requestType);
    // Every recorded command is a report request, named after what it asks for.
    const report = reportOfCommand(e.header.command);
    expect(report === "count" ? "n_sources" : report).toBe(e.recorded.command);
    const expected = expectedRequestLength(version, e.header.command);
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
      expect(e.replyCode).toBe(expectedVariant(e.header.command, version)?.code);
      expect(variant).toBe(expectedVariant(e.header.command, version));
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

  it(udp ? "refuses exactly the commands that are not open (UNAUTH), and rtcdata has no RTC" : "answers every command, and rtcdata has no RTC", () => {
    for (const e of exchanges) {
      let expected: number = ReplyStatus.SUCCESS;
      if (udp && !isOpenCommand(e.header.command)) expected = ReplyStatus.UNAUTH;
      else if (e.recorded.command === "rtcdata") expected = ReplyStatus.NORTC;
      expect(e.status, label(e)).toBe(expected);
    }
  });

  it("chronyc printed what the replies say: a row per record, or the first failure and exit status 1", () => {
    for (const [invocation, lines] of Object.entries(recording.chronyc)) {
      const own = exchanges.filter((e) => e.recorded.invocation === invocation);
      const failed = own.findIndex((e) => e.status !== ReplyStatus.SUCCESS);
      if (failed >= 0) {
        // chronyc gives up at the first failure.
        expect(failed, invocation).toBe(own.length - 1);
        expect(lines, invocation).toEqual([STATUS_TEXT[own[failed]!.status]]);
        expect(recording.chronycExitStatus?.[invocation], invocation).toBe(1);
        continue;
      }
      expect(recording.chronycExitStatus?.[invocation], invocation).toBeUndefined();
      const [count] = records(exchanges, invocation, "n_sources");
      const n = count ? (count.sources as number) : 1;
      if (count) expect(n, invocation).toBe(2);
      expect(records(exchanges, invocation, invocation), invocation).toHaveLength(n);
      expect(lines, invocation).toHaveLength(n);
    }
    const exitStatus = recording.chronycExitStatus ?? {};
    for (const invocation of Object.keys(exitStatus)) expect(Object.keys(recording.chronyc)).toContain(invocation);
  });

  const probes = (recording.probes ?? []).map((probe, index) => ({ probe, index, request: fromHex(probe.request) }));
  if (probes.length > 0) {
    it.each(probes.map((p) => [p.probe.probe, p] as const))("probe %s: answered as cmdmon.c's checks say", (_, p) => {
      const header = parseRequestHeader(p.request)!;
      const expected = expectedProbe(p.request, version, recording.transport);
      if (expected === null) {
        expect(p.probe.reply).toBeNull();
        return;
      }
      expect(p.probe.reply).not.toBeNull();
      const reply = fromHex(p.probe.reply!);
      const view = new DataView(reply.buffer);
      expect({ status: view.getUint16(HEADER.replyStatus), replyCode: view.getUint16(HEADER.attemptOrReply), length: reply.length }).toEqual(expected);
      // The header: version 6 whatever the request's, echoing command and sequence, zero padding.
      const expectedHeader = encodeReply(header, { kind: "status", status: expected.status });
      new DataView(expectedHeader.buffer).setUint16(HEADER.attemptOrReply, expected.replyCode);
      expect(reply.subarray(0, PROTOCOL.replyHeaderLength)).toEqual(expectedHeader);
      const data = reply.subarray(PROTOCOL.replyHeaderLength);
      if (header.command === EXTRA_CODES.REQ_MANUAL_LIST) {
        // No manual samples: all zero.
        expect(data.every((byte) => byte === 0)).toBe(true);
      } else if (header.command === EXTRA_CODES.REQ_NTP_SOURCE_NAME && expected.status === ReplyStatus.SUCCESS) {
        // The name the source was configured with, NUL-padded (cmdmon.c handle_ntp_source_name).
        expect(Buffer.from(data).toString("latin1").replace(/\0+$/, "")).toBe(formatAddress(new DataView(p.request.buffer), PROTOCOL.requestHeaderLength));
      }
    });

    it("probes REQ_NULL (answered before 4.7, unknown from 4.7), protocol versions 5 (BADPKTVERSION) and 4 (no reply)", () => {
      const status = (reply: string | null): number | null => (reply === null ? null : new DataView(fromHex(reply).buffer).getUint16(HEADER.replyStatus));
      const find = (predicate: (header: RequestHeader) => boolean): RecordedProbe => {
        const found = probes.find((p) => predicate(parseRequestHeader(p.request)!));
        if (!found) throw new Error("probe missing");
        return found.probe;
      };
      const nullProbe = find((h) => h.version === PROTOCOL.version && h.command === EXTRA_CODES.REQ_NULL);
      // pktlength.c: REQ_NULL's entry became "not supported" in 4.7.
      expect(status(nullProbe.reply)).toBe(version < 4.07 ? ReplyStatus.SUCCESS : ReplyStatus.INVALID);
      expect(status(find((h) => h.version === 5).reply)).toBe(ReplyStatus.BADPKTVERSION);
      expect(find((h) => h.version === 4).reply).toBeNull();
      // Commands this version does not know (N_REQUEST_TYPES) are INVALID whatever their length.
      for (const p of probes) {
        const h = parseRequestHeader(p.request)!;
        if (h.version === PROTOCOL.version && h.command >= requestTypeCount(version)) expect(status(p.probe.reply), p.probe.probe).toBe(ReplyStatus.INVALID);
      }
    });
  }
}

function checkUnixOutput({ recording, version, exchanges }: Fixture): void {
  it("covers every report, the source count, and no other command", () => {
    const commands = new Set(exchanges.map((e) => e.recorded.command));
    expect([...commands].sort()).toEqual([...Object.keys(REPORTS), "n_sources"].sort());
    expect(Object.keys(recording.chronyc).sort()).toEqual(Object.keys(REPORTS).sort());
  });

  it("tracking: reference ID, address, stratum and leap status as chronyc printed them", () => {
    const [t] = records(exchanges, "tracking", "tracking");
    const [row] = csv(recording, "tracking");
    expect(row).toHaveLength(14);
    expect(refIdHex(t!["reference ID"])).toBe(row![0]);
    expect(addressText(t!.address)).toBe(row![1]);
    expect(String(t!.stratum)).toBe(row![2]);
    expect(LEAP_TEXT[t!["leap status"] as number]).toBe(row![13]);
    // Synchronised to the lab's server.
    expect(row!.slice(0, 3)).toEqual(["7F000001", "127.0.0.1", "4"]);
  });

  it("sources: mode, state, address, stratum, poll and reachability", () => {
    const rows = csv(recording, "sources");
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
    const rows = csv(recording, "sourcestats");
    const stats = records(exchanges, "sourcestats", "sourcestats");
    expect(stats.map((s) => addressText(s.address))).toEqual(rows.map((row) => row[0]));
    // An unreachable source has no samples.
    expect([stats[1]!.samples, rows[1]![1]]).toEqual([0, "0"]);
  });

  it("selectdata: state character, address, authentication, options and leap status", () => {
    const rows = csv(recording, "selectdata");
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
    // The unreachable source is 's' (no sample yet) or 'M' (missing samples) depending on timing.
    expect(rows[0]![0]).toBe("*");
  });

  it("activity: the source counts", () => {
    const [a] = records(exchanges, "activity", "activity");
    const names = ["online sources", "offline sources", "burst online-return sources", "burst offline-return sources", "unresolved sources"];
    expect(names.map((name) => String(a![name]))).toEqual(csv(recording, "activity")[0]);
  });

  it("authdata: address, mode and key details", () => {
    const rows = csv(recording, "authdata");
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

  it("ntpdata: addresses, port, header fields, reference ID, tests, timestamping and counters", () => {
    const rows = csv(recording, "ntpdata");
    const requests = exchanges.filter((e) => e.recorded.command === "ntpdata");
    const replies = records(exchanges, "ntpdata", "ntpdata");
    expect(replies).toHaveLength(2);
    replies.forEach((n, i) => {
      const row = rows[i]!;
      // chronyc asks about the address it got from the source's record; chronyd answers about that address...
      const request = requests[i]!.request;
      const remote = addressText(n["remote address"]);
      if (remote === null) {
        // ...except that before 4.3 a source never heard from had no address in its report
        // (ntp_core.c; chrony commit "ntp: initialize remote address in ntpdata report").
        expect(version).toBeLessThan(4.03);
        expect([n["remote port"], n["received messages"]]).toEqual([0, 0]);
      } else {
        expect(formatAddress(new DataView(request.buffer), PROTOCOL.requestHeaderLength)).toBe(remote);
      }
      expect(remote ?? "[UNSPEC]").toBe(row[0]);
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
      // chronyc prints 3 counters before 4.3, 4 from 4.3 ("good" responses), 8 with the second variant (4.6: timestamp counters).
      const counters = row.slice(30);
      const variant = responseFor(REPORTS.ntpdata, version)!;
      expect(counters).toHaveLength(variant === REPORTS.ntpdata.responses[0] ? (version < 4.03 ? 3 : 4) : 8);
      expect(counters).toEqual(NTPDATA_COUNTERS.slice(0, counters.length).map((name) => String(n[name])));
    });
    expect(rows.map((row) => [row[7], row[15]])).toEqual([
      ["Server", "7F7F0101"],
      ["Invalid", "00000000"],
    ]);
    expect(rows[0]![0]).toBe("127.0.0.1");
  });

  it("serverstats: the counters that do not move, one column per field of this version's variant", () => {
    const [s] = records(exchanges, "serverstats", "serverstats");
    const [row] = csv(recording, "serverstats");
    const variant = responseFor(REPORTS.serverstats, version)!;
    const named = variant.fields.filter((f) => !f.name.startsWith("reserved"));
    expect(row).toHaveLength(named.length);
    const columns = SERVERSTATS_COLUMNS.slice(0, row!.length);
    expect(columns.map((name) => name ?? "received command requests").sort()).toEqual(named.map((f) => f.name).sort());
    columns.forEach((name, i) => {
      if (name !== null) expect(String(s![name]), name).toBe(row![i]);
    });
    expect(s!["received command requests"]).toBeGreaterThan(0);
  });

  it("smoothing: active and leap-only flags", () => {
    const [s] = records(exchanges, "smoothing", "smoothing");
    const [row] = csv(recording, "smoothing");
    const flags = s!.flags as number;
    expect(flags & 1 ? "Yes" : "No").toBe(row![0]);
    expect(flags & 2 ? "(leap second only)" : "").toBe(row![1]);
    expect(row![0]).toBe("Yes");
  });
}

function checkUdpOutput({ recording, exchanges }: Fixture): void {
  it("answers the open reports and refuses serverstats", () => {
    expect(exchanges.filter((e) => e.recorded.command === "serverstats").map((e) => e.status)).toEqual([ReplyStatus.UNAUTH]);
    expect(recording.chronyc.serverstats).toEqual([STATUS_TEXT[ReplyStatus.UNAUTH]]);
    for (const name of ["tracking", "sources"]) expect(exchanges.filter((e) => e.recorded.command === name).every((e) => e.status === ReplyStatus.SUCCESS)).toBe(true);
  });

  it("tracking and sources agree with chronyc", () => {
    const [t] = records(exchanges, "tracking", "tracking");
    expect([refIdHex(t!["reference ID"]), addressText(t!.address), String(t!.stratum)]).toEqual(csv(recording, "tracking")[0]!.slice(0, 3));
    const rows = csv(recording, "sources");
    expect(records(exchanges, "sources", "sources").map((s) => [SOURCE_MODE_CHAR[s.mode as number], SOURCE_STATE_CHAR[s.state as number], addressText(s.address)])).toEqual(
      rows.map((row) => row.slice(0, 3)),
    );
  });
}

describe("what changes between chronyd versions", () => {
  it("has a Unix-socket and a UDP recording of every version", () => {
    const versions = (fixtures: readonly Fixture[]): string[] => fixtures.map((f) => f.recording.chronyd);
    expect(versions(UDP_FIXTURES)).toEqual(versions(UNIX_FIXTURES));
    expect(versions(UNIX_FIXTURES)).toEqual(["4.0", "4.2", "4.3", "4.4", "4.6", "4.8"]);
  });

  const codes = (name: ReportName): Map<string, number[]> =>
    new Map(
      UNIX_FIXTURES.map((f) => [f.recording.chronyd, [...new Set(f.exchanges.filter((e) => e.recorded.command === name).map((e) => e.replyCode))]]),
    );

  it("the recordings hold every serverstats variant of chronyd 4 and both ntpdata variants, each where responseFor puts it", () => {
    const serverstats = codes("serverstats");
    const ntpdata = codes("ntpdata");
    for (const f of UNIX_FIXTURES) {
      expect(serverstats.get(f.recording.chronyd), f.file).toEqual([responseFor(REPORTS.serverstats, f.version)!.code]);
      expect(ntpdata.get(f.recording.chronyd), f.file).toEqual([responseFor(REPORTS.ntpdata, f.version)!.code]);
    }
    // serverstats' first variant is chronyd 3's.
    expect([...new Set([...serverstats.values()].flat())].sort((a, b) => a - b)).toEqual(REPORTS.serverstats.responses.slice(1).map((r) => r.code));
    expect([...new Set([...ntpdata.values()].flat())].sort((a, b) => a - b)).toEqual(REPORTS.ntpdata.responses.map((r) => r.code));
  });

  it("every recording but the first (4.3) pair carries probes", () => {
    expect(FIXTURES.filter((f) => !f.recording.probes).map((f) => f.file)).toEqual(["chronyd-4.3-chronyc-udp.json", "chronyd-4.3-chronyc.json"]);
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

function checkLibchrony({ recording, exchanges }: Fixture): void {
  const udpFixture = UDP_FIXTURES.find((f) => f.recording.chronyd === recording.chronyd);

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
    expect(lib.chrony_get_field_string(s, lib.chrony_get_field_index(s, "address"))).toBe(csv(recording, "tracking")[0]![1]);
  });

  it("reads every source: the count, then each record", () => {
    const { session: s, socket } = session(exchanges);
    socket.prefer = "sources";
    expect(s.requestReportNumberRecords("sources")).toBe(ChronyErr.OK);
    expect(settle(s)).toBe(ChronyErr.OK);
    const [count] = records(exchanges, "sources", "n_sources");
    expect(s.numberRecords).toBe(count!.sources);
    const rows = csv(recording, "sources");
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
    if (!udpFixture) throw new Error(`no UDP recording of chronyd ${recording.chronyd}`);
    const udp = udpFixture.exchanges;
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
}

for (const fixture of FIXTURES) {
  describe(fixture.title, () => {
    checkRecording(fixture);
    if (fixture.recording.transport === "unix") {
      describe("chronyc's output agrees with the decoded records", () => checkUnixOutput(fixture));
      describe("libchrony's client logic over the recorded replies", () => checkLibchrony(fixture));
    } else {
      describe("chronyc's output agrees with the decoded records", () => checkUdpOutput(fixture));
    }
  });
}
