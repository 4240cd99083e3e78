/** chronyd's packet rules (cmdmon.c read_from_cmd_socket, pktlength.c) in the pure handler. */
import { describe, expect, it } from "vitest";
import { PROTOCOL, REPORTS, ReplyStatus } from "@chrony/fields";
import { normalizeState } from "@chrony/mock-session";
import { EXTRA_CODES, OPEN_COMMANDS } from "@chrony/protocol";
import { ActiveFault, faults, handleRequest, validateFault, type Fault, type Outcome } from "../src/index.js";
import { request } from "./requests.js";
import { SYNCED } from "./states.js";

const STATE = normalizeState(SYNCED);
const TRACKING = REPORTS.tracking.recordRequest.code;
const status = (o: Outcome): number | null => (o.kind === "reply" ? new DataView(o.reply.buffer, o.reply.byteOffset).getUint16(8) : null);
const replyCode = (o: Outcome): number | null => (o.kind === "reply" ? new DataView(o.reply.buffer, o.reply.byteOffset).getUint16(6) : null);

describe("packet rules", () => {
  it("drops what chronyd drops", () => {
    const ok = request(TRACKING, 104);
    expect(handleRequest(STATE, ok.subarray(0, 27))).toMatchObject({ kind: "drop", reason: "length" });
    expect(handleRequest(STATE, new Uint8Array(861))).toMatchObject({ kind: "drop", reason: "length" });
    const reply = ok.slice();
    reply[1] = PROTOCOL.replyType;
    expect(handleRequest(STATE, reply)).toMatchObject({ kind: "drop", reason: "header" });
    const reserved = ok.slice();
    reserved[3] = 1;
    expect(handleRequest(STATE, reserved)).toMatchObject({ kind: "drop", reason: "header" });
    expect(handleRequest(STATE, request(TRACKING, 104, { version: 4 }))).toMatchObject({ kind: "drop", reason: "version" });
  });

  it("answers bad versions, commands and lengths with chronyd's statuses", () => {
    expect(status(handleRequest(STATE, request(TRACKING, 104, { version: 5 })))).toBe(ReplyStatus.BADPKTVERSION);
    expect(status(handleRequest(STATE, request(TRACKING, 104, { version: 7 })))).toBe(ReplyStatus.BADPKTVERSION);
    expect(status(handleRequest(STATE, request(12, 104)))).toBe(ReplyStatus.INVALID);
    expect(status(handleRequest(STATE, request(999, 104)))).toBe(ReplyStatus.INVALID);
    expect(status(handleRequest(STATE, request(TRACKING, 103)))).toBe(ReplyStatus.BADPKTLENGTH);
    expect(status(handleRequest(STATE, request(TRACKING, 860)))).toBe(ReplyStatus.SUCCESS);
  });

  it("restricts UDP to the open commands on request", () => {
    const restricted = { udpRestrictions: true };
    for (const code of [69, 67, 57, 54, 43]) {
      expect(status(handleRequest(STATE, request(code, 860, { address: "192.0.2.1", index: 0 }), restricted))).toBe(ReplyStatus.UNAUTH);
    }
    for (const code of OPEN_COMMANDS) {
      expect(status(handleRequest(STATE, request(code, 860, { address: "192.0.2.1", index: 0 }), restricted))).not.toBe(ReplyStatus.UNAUTH);
    }
    expect(status(handleRequest(STATE, request(69, 76)))).toBe(ReplyStatus.SUCCESS);
  });

  it("answers the other commands chronyc sends", () => {
    expect([replyCode(handleRequest(STATE, request(EXTRA_CODES.REQ_NULL, 28))), status(handleRequest(STATE, request(0, 28)))]).toEqual([1, 0]);
    expect(status(handleRequest(STATE, request(EXTRA_CODES.REQ_LOGON, 32)))).toBe(ReplyStatus.FAILED);
    expect(replyCode(handleRequest(STATE, request(EXTRA_CODES.REQ_MANUAL_LIST, 416)))).toBe(EXTRA_CODES.RPY_MANUAL_LIST2);
    expect(status(handleRequest(STATE, request(43, 28)))).toBe(ReplyStatus.UNAUTH);
    expect(status(handleRequest(STATE, request(43, 28), { acceptControlCommands: true }))).toBe(ReplyStatus.SUCCESS);
    const name = handleRequest(STATE, request(EXTRA_CODES.REQ_NTP_SOURCE_NAME, 284, { address: "2001:db8::1" }));
    expect(name.kind === "reply" && new TextDecoder().decode(name.reply.subarray(28)).replace(/\0+$/, "")).toBe("2001:db8::1");
    expect(status(handleRequest(STATE, request(EXTRA_CODES.REQ_NTP_SOURCE_NAME, 284, { address: "203.0.113.1" })))).toBe(ReplyStatus.NOSUCHSOURCE);
  });
});

describe("fault effects", () => {
  const run = (fault: Fault) => handleRequest(STATE, request(TRACKING, 104, { sequence: 5 }), {}, [new ActiveFault(validateFault(fault))]);

  it("applies each kind of fault to the reply", () => {
    expect(run(faults.noReply())).toMatchObject({ kind: "drop", reason: "fault" });
    expect(run(faults.delay(50))).toMatchObject({ kind: "reply", delayMs: 50 });
    expect(status(run(faults.status("NORTC")))).toBe(ReplyStatus.NORTC);
    expect(run(faults.status(ReplyStatus.UNAUTH))).toMatchObject({ status: ReplyStatus.UNAUTH });
    const wrong = run(faults.wrongSequence());
    expect(wrong.kind === "reply" && new DataView(wrong.reply.buffer).getUint32(16)).toBe(4);
    expect(run(faults.truncate(50))).toMatchObject({ kind: "reply", reply: { length: 50 } });
    expect(run(faults.oversize(10))).toMatchObject({ kind: "reply", reply: { length: 114 } });
    const filled = run(faults.oversize(4, 0xee));
    expect(filled.kind === "reply" && [...filled.reply.subarray(104)]).toEqual([0xee, 0xee, 0xee, 0xee]);
    const field = run(faults.field("tracking", "stratum", 99));
    expect(field.kind === "reply" && new DataView(field.reply.buffer).getUint16(28 + 24)).toBe(99);
    expect(run(faults.noReply({ report: "sources" }))).toMatchObject({ kind: "reply" });
  });

  it("applies byte faults after chronyd's no-amplification rule, and a sequence fault to a cut reply", () => {
    // A wrong sequence number on a reply cut before it leaves the bytes as they are, instead of throwing.
    expect(run({ reply: "truncate", length: 10 })).toMatchObject({ kind: "reply", reply: { length: 10 } });
    const [cut, wrong] = [faults.truncate(10), faults.wrongSequence()].map((f) => new ActiveFault(f));
    expect(handleRequest(STATE, request(TRACKING, 104), {}, [cut!, wrong!])).toMatchObject({ kind: "reply", reply: { length: 10 } });
  });

  it("scopes faults by report, command, nth and times", () => {
    const nth = new ActiveFault(faults.noReply({ report: "tracking", nth: 2 }));
    const outcomes = [1, 2, 3].map(() => handleRequest(STATE, request(TRACKING, 104), {}, [nth]).kind);
    expect(outcomes).toEqual(["reply", "drop", "reply"]);
    const twice = new ActiveFault(faults.noReply({ command: TRACKING, times: 2 }));
    expect([1, 2, 3].map(() => handleRequest(STATE, request(TRACKING, 104), {}, [twice]).kind)).toEqual(["drop", "drop", "reply"]);
    expect(twice.fired).toBe(2);
  });

  it("counts a field fault only on records that carry its field", () => {
    const reach = new ActiveFault(faults.field("sources", "reachability", 0));
    expect(handleRequest(STATE, request(TRACKING, 104), {}, [reach]).kind).toBe("reply");
    expect(reach.fired).toBe(0);
  });
});
