/** The one fault API: builders, validation, handles, and every reply kind as the in-process mock applies it. */
import { afterEach, describe, expect, it, vi } from "vitest";
import { ChronyErr, PROTOCOL, ReplyStatus } from "@chrony/fields";
import { ChronyConfigError, MockChronySession, faults, transformReply, validateFault, type Fault, type FaultHandle } from "../src/index.js";
import { drain, openSession, readFields, readReport } from "./drive.js";

const TRACKING_LENGTH = PROTOCOL.replyHeaderLength + 76;

function session(fault: Fault, config = {}) {
  const mock = new MockChronySession(config);
  const handle = mock.inject(fault);
  return { mock, handle, ...openSession(mock.lib) };
}

describe("builders and validation", () => {
  it("types field names by report and statuses by name, and checks both at run time", () => {
    // @ts-expect-error -- "stratun" is not a field of the tracking report: a typo does not compile...
    expect(() => faults.field("tracking", "stratun", 99)).toThrow(ChronyConfigError);
    // ...and, from JavaScript or a cast, fails at run time naming the path and quoting the name.
    expect(() => faults.field("tracking", "stratun" as never, 99)).toThrow(
      /^fault\.field: expected a field of the tracking report in any response variant \(reference ID, stratum, leap status, .*\), got "stratun"$/,
    );
    // @ts-expect-error -- reachability is a field of sources, not of tracking
    expect(() => faults.field("tracking", "reachability", 1)).toThrow(/tracking report/);
    // @ts-expect-error -- a plain object's field is checked against its report too
    const plain: Fault = { reply: "field", report: "tracking", field: "reachability", value: 1 };
    expect(() => new MockChronySession().inject(plain)).toThrow(/^fault\.field: .*got "reachability"$/);
    // @ts-expect-error -- not a ReplyStatus name
    expect(() => faults.status("UNAUTHORISED")).toThrow(/^fault\.status: expected a ReplyStatus name \(SUCCESS, FAILED, UNAUTH, .*\) or a code from 0 to 65535, got "UNAUTHORISED"$/);
  });

  it("takes a status by name or by ReplyStatus, and a field of any response variant", () => {
    expect(faults.status("UNAUTH", { report: "tracking" })).toEqual({ report: "tracking", reply: "status", status: "UNAUTH" });
    expect(faults.status(ReplyStatus.UNAUTH)).toEqual({ reply: "status", status: ReplyStatus.UNAUTH });
    // "kernel transmit timestamps" exists in ntpdata's second variant only.
    expect(faults.field("ntpdata", "kernel transmit timestamps", 1)).toMatchObject({ report: "ntpdata", field: "kernel transmit timestamps" });
    expect(faults.oversize(8)).toEqual({ reply: "oversize", extra: 8 });
    expect(faults.oversize(8, 0xff, { nth: 2 })).toEqual({ nth: 2, reply: "oversize", extra: 8, fill: 0xff });
    expect(faults.oversize(8, { times: 1 })).toEqual({ times: 1, reply: "oversize", extra: 8 });
  });

  it("rejects fields a raw number cannot be sent in", () => {
    expect(() => faults.field("tracking", "reference time", 1)).toThrow(/^fault\.field: expected a numeric field of the tracking report .*"reference time" is a time on the wire, got "reference time"$/);
    expect(() => faults.field("sources", "reference ID", 1)).toThrow(/is an address on the wire/);
  });

  it("rejects unknown keys, bad scopes and bad values with the path and the bad key or value", () => {
    const unknown = (() => {
      try {
        validateFault({ reply: "none", reprot: "tracking" } as never);
      } catch (error) {
        return error as ChronyConfigError;
      }
    })();
    expect(unknown).toBeInstanceOf(ChronyConfigError);
    expect(unknown!.message).toBe('fault: unknown key "reprot" (expected one of reply, report, command, nth, times in a "none" fault)');
    expect(unknown!.path).toBe("fault.reprot");
    expect(() => validateFault({ reply: "explode" } as never, "faults[3]")).toThrow(/^faults\[3\]\.reply: expected one of none, delay, status, sequence, truncate, oversize, field, got "explode"$/);
    expect(() => validateFault({ reply: "none", report: "trackin" } as never)).toThrow(/^fault\.report: expected a report name \(.*\), "count" or "sourcename", got "trackin"$/);
    expect(() => faults.returns("chrony_process_response", 1, { report: "count" as never })).toThrow(/"count" and "sourcename" scope reply faults, not calls/);
    expect(() => validateFault({ call: "chrony_process_response", returns: 1, command: 33 } as never)).toThrow(/unknown key "command"/);
    expect(() => faults.returns("chrony_get_field_index", -1)).not.toThrow();
    expect(() => validateFault({ call: "chrony_get_field_index", returns: -1, field: "stratum" })).toThrow(/only the getters by index scope by field/);
    expect(() => validateFault({ call: "chrony_get_field_float", returns: -1, field: "skwe" })).toThrow(/^fault\.field: expected a field name of a report, got "skwe"$/);
    expect(() => faults.delay(-1)).toThrow(/^fault\.ms: expected an integer from 0 to 600000, got -1$/);
    expect(() => faults.truncate(1.5)).toThrow(/fault\.length/);
    expect(() => faults.oversize(0)).toThrow(/fault\.extra/);
    expect(() => faults.oversize(1, 256)).toThrow(/fault\.fill/);
    expect(() => faults.noReply({ command: 70000 })).toThrow(/fault\.command/);
    expect(() => faults.noReply({ times: 0 })).toThrow(/^fault\.times: expected a positive integer, got 0$/);
    expect(() => validateFault(null as never)).toThrow(/^fault: expected a fault object, got null$/);
  });

  it("rejects in the in-process mock what only the fake chronyd applies, saying so", () => {
    expect(() => new MockChronySession().inject(faults.noReply({ report: "sourcename" }))).toThrow(
      /^fault\.report: expected a report name or "count": libchrony never sends source name requests .*only the fake chronyd \(@chrony\/mock-server\) applies/,
    );
    expect(() => new MockChronySession({}, { faults: [faults.noReply(), faults.delay(1, { report: "sourcename" })] })).toThrow(/^faults\[1\]\.report/);
    // The shape alone is fine: the fake chronyd applies it.
    expect(validateFault(faults.noReply({ report: "sourcename" }))).toEqual({ report: "sourcename", reply: "none" });
  });
});

describe("handles", () => {
  it("are disposable with `using` and count what they did", () => {
    const mock = new MockChronySession();
    const { s } = openSession(mock.lib);
    let kept: FaultHandle;
    {
      using handle = mock.inject(faults.status("UNAUTH", { report: "tracking" }));
      kept = handle;
      expect(readReport(mock.lib, s, "tracking").error).toBe(ChronyErr.UNAUTHORIZED);
      expect(readReport(mock.lib, s, "activity").error).toBe(ChronyErr.OK);
      expect(readReport(mock.lib, s, "tracking").error).toBe(ChronyErr.UNAUTHORIZED);
      expect(handle.fired).toBe(2);
      expect(handle.fault).toEqual({ report: "tracking", reply: "status", status: "UNAUTH" });
    }
    expect(readReport(mock.lib, s, "tracking").error).toBe(ChronyErr.OK);
    expect(kept.fired).toBe(2);
    kept.dispose(); // idempotent
  });

  it("count call faults too, with nth and times", () => {
    const mock = new MockChronySession();
    const { s } = openSession(mock.lib);
    const handle = mock.inject(faults.returns("chrony_request_record", ChronyErr.SEND_FAILED, { report: "tracking", nth: 2 }));
    expect(readReport(mock.lib, s, "tracking").error).toBe(ChronyErr.OK);
    expect(readReport(mock.lib, s, "tracking").error).toBe(ChronyErr.SEND_FAILED);
    expect(readReport(mock.lib, s, "tracking").error).toBe(ChronyErr.OK);
    expect(handle.fired).toBe(1);
    handle[Symbol.dispose]();
  });

  it("clearFaults() removes every fault; handles keep their counts", () => {
    const { mock, handle, s, close } = session(faults.noReply());
    mock.lib.chrony_request_record(s, "tracking", 0);
    expect(mock.lib.chrony_process_response(s)).toBe(ChronyErr.RECV_FAILED);
    close();
    mock.clearFaults();
    const fresh = openSession(mock.lib);
    expect(readReport(mock.lib, fresh.s, "tracking").error).toBe(ChronyErr.OK);
    expect(handle.fired).toBe(1);
  });
});

describe("reply faults in the in-process mock", () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it("scopes by what the request is about: ntpdata's own request, not the sourcestats request before it", () => {
    const { mock, handle, s } = session(faults.noReply({ report: "ntpdata" }), { sources: [{ address: "192.0.2.1" }] });
    mock.lib.chrony_request_report_number_records(s, "ntpdata");
    expect(drain(mock.lib, s).error).toBe(ChronyErr.OK);
    mock.lib.chrony_request_record(s, "ntpdata", 0);
    // The sourcestats reply comes; the ntpdata request that follows it gets none.
    expect(mock.lib.chrony_process_response(s)).toBe(ChronyErr.OK);
    expect(mock.lib.chrony_needs_response(s)).toBeTruthy();
    expect(mock.lib.chrony_process_response(s)).toBe(ChronyErr.RECV_FAILED);
    expect(handle.fired).toBe(1);
  });

  it('scopes the source count as "count"', () => {
    const { mock, handle, s } = session(faults.status("INVALID", { report: "count" }), { sources: [{}] });
    expect(readReport(mock.lib, s, "sources").error).toBe(ChronyErr.OLD_SERVER);
    expect(readReport(mock.lib, s, "tracking").error).toBe(ChronyErr.OK);
    expect(handle.fired).toBe(1);
  });

  it("delay: the reply is readable only after `ms`; before, the read sees no reply yet", async () => {
    vi.useFakeTimers();
    const { mock, s, fd, close } = session(faults.delay(500, { report: "tracking" }));
    mock.lib.chrony_request_record(s, "tracking", 0);
    expect(mock.lib.chrony_process_response(s)).toBe(ChronyErr.RECV_FAILED);
    expect(mock.lib.chrony_needs_response(s)).toBeTruthy();
    // A wait shorter than the delay times out...
    const short = mock.lib.waitReadable!(fd, 200);
    await vi.advanceTimersByTimeAsync(200);
    await expect(short).resolves.toBe(false);
    // ...a longer one resolves when the reply arrives, not at its own timeout.
    let settled: boolean | undefined;
    void Promise.resolve(mock.lib.waitReadable!(fd, 10_000)).then((ready) => (settled = ready));
    await vi.advanceTimersByTimeAsync(299);
    expect(settled).toBeUndefined();
    await vi.advanceTimersByTimeAsync(1);
    expect(settled).toBe(true);
    expect(vi.getTimerCount()).toBe(0);
    expect(mock.lib.chrony_process_response(s)).toBe(ChronyErr.OK);
    expect(readFields(mock.lib, s).find((f) => f.name === "stratum")?.value).toBe(2);
    close();
  });

  it("delay: replies still on their way are dropped with the socket, and hold no timer", async () => {
    vi.useFakeTimers();
    const { mock, s, close } = session(faults.delay(60_000));
    mock.lib.chrony_request_record(s, "tracking", 0);
    expect(vi.getTimerCount()).toBe(1);
    close();
    expect(vi.getTimerCount()).toBe(0);
    expect(mock.openHandles).toEqual({ sockets: 0, sessions: 0 });
  });

  it("wrongSequence: the reply is read and ignored, and the session keeps waiting", async () => {
    vi.useFakeTimers();
    const { mock, handle, s, fd } = session(faults.wrongSequence({ report: "tracking" }));
    mock.lib.chrony_request_record(s, "tracking", 0);
    expect(mock.lib.waitReadable!(fd, 100)).toBe(true);
    expect(mock.lib.chrony_process_response(s)).toBe(ChronyErr.OK);
    expect(mock.lib.chrony_needs_response(s)).toBeTruthy();
    const waiting = mock.lib.waitReadable!(fd, 100);
    await vi.advanceTimersByTimeAsync(100);
    await expect(waiting).resolves.toBe(false);
    expect(handle.fired).toBe(1);
  });

  it("truncate: cut into the record it is invalid, cut into the header it is ignored", () => {
    const into = session(faults.truncate(40, { report: "tracking" }));
    into.mock.lib.chrony_request_record(into.s, "tracking", 0);
    expect(into.mock.lib.chrony_process_response(into.s)).toBe(ChronyErr.INVALID_RESPONSE);
    const header = session(faults.truncate(12, { report: "tracking" }));
    header.mock.lib.chrony_request_record(header.s, "tracking", 0);
    expect(header.mock.lib.chrony_process_response(header.s)).toBe(ChronyErr.OK);
    expect(header.mock.lib.chrony_needs_response(header.s)).toBeTruthy();
  });

  it("oversize: extra bytes after the record, which libchrony accepts", () => {
    const { mock, s } = session(faults.oversize(16, 0xff, { report: "tracking" }));
    const { records, error } = readReport(mock.lib, s, "tracking");
    expect(error).toBe(ChronyErr.OK);
    expect(records[0]).toMatchObject({ stratum: 2 });
  });

  it("field: a raw value in one field; only records whose variant carries the field count", () => {
    const { mock, handle, s } = session(faults.field("sources", "reachability", 300, { nth: 2 }), { sources: [{}, {}] });
    const { records } = readReport(mock.lib, s, "sources");
    expect(records.map((r) => r.reachability)).toEqual([255, 300]);
    expect(handle.fired).toBe(1);
    // ntpdata's second variant only: a 4.3 server sends the first, so the fault never fires there.
    const older = session(faults.field("ntpdata", "kernel transmit timestamps", 1), { serverVersion: "4.3", sources: [{ address: "192.0.2.1" }] });
    expect(readReport(older.mock.lib, older.s, "ntpdata").error).toBe(ChronyErr.OK);
    expect(older.handle.fired).toBe(0);
  });

  it("several faults apply in order: a status replaces the record, then a field fault finds no field", () => {
    const mock = new MockChronySession();
    const status = mock.inject(faults.status("NOTENABLED", { report: "tracking" }));
    const field = mock.inject(faults.field("tracking", "stratum", 9));
    const { s } = openSession(mock.lib);
    expect(readReport(mock.lib, s, "tracking").error).toBe(ChronyErr.DISABLED);
    expect([status.fired, field.fired]).toEqual([1, 0]);
  });
});

describe("transformReply, the byte transform both front ends share", () => {
  const reply = () => {
    const bytes = new Uint8Array(TRACKING_LENGTH);
    new DataView(bytes.buffer).setUint32(16, 0x01020304);
    return bytes;
  };

  it("changes the sequence number, cuts and pads, in order, never in place", () => {
    const input = reply();
    const wrong = transformReply(input, [faults.wrongSequence()]);
    expect(new DataView(wrong.buffer).getUint32(16)).toBe(0x01020305);
    expect(new DataView(input.buffer).getUint32(16)).toBe(0x01020304);
    expect(new DataView(transformReply(input, [{ reply: "sequence", xor: 0xff00 }]).buffer).getUint32(16)).toBe(0x0102fc04);
    expect(transformReply(input, [faults.truncate(10), faults.oversize(2, 7)])).toEqual(new Uint8Array([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 7, 7]));
    // A sequence fault on a reply cut before its sequence number leaves the bytes as they are.
    expect(transformReply(input, [faults.truncate(18), faults.wrongSequence()])).toEqual(input.subarray(0, 18));
    expect(transformReply(input, [])).toBe(input);
  });
});
