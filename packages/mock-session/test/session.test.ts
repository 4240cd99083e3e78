import { describe, expect, it, vi } from "vitest";
import { ChronyErr, ChronyFieldType, LeapStatus, REPORTS, ReplyStatus, SourceState, type ChronyLib } from "@chrony/fields";
import { MockChronySession, faults } from "../src/index.js";
import { drain, openSession, readFields, readReport } from "./drive.js";

describe("the C API surface", () => {
  it("implements every function of chrony.h plus the host extras", () => {
    const lib: ChronyLib = new MockChronySession().lib;
    expect(Object.keys(lib).filter((k) => k.startsWith("chrony_"))).toHaveLength(24);
    expect(typeof lib.waitReadable).toBe("function");
    expect(typeof lib.lastErrno).toBe("function");
  });

  it("parses addresses as socket.c: EINVAL for names and malformed ports", () => {
    const { lib } = new MockChronySession();
    for (const ok of ["/run/chrony/chronyd.sock", "127.0.0.1", "127.0.0.1:323", "::1", "[::1]:323", "", null]) {
      const fd = lib.chrony_open_socket(ok);
      expect(fd, String(ok)).toBeGreaterThanOrEqual(0);
      lib.chrony_close_socket(fd);
    }
    for (const bad of ["localhost", "garbage", "127.0.0.1:", "[::1]", "relative/path"]) {
      expect(lib.chrony_open_socket(bad), bad).toBe(-1);
      expect(lib.lastErrno!()).toBe(22);
    }
  });

  it("rejects a session handle it did not make with a clear error instead of crashing", () => {
    const a = new MockChronySession();
    const b = new MockChronySession();
    const { s } = openSession(a.lib);
    expect(() => b.lib.chrony_needs_response(s)).toThrow(/not a live session of this MockChronySession/);
    a.lib.chrony_deinit_session(s);
    expect(() => a.lib.chrony_deinit_session(s)).toThrow(TypeError);
  });

  it("answers a read with nothing to read with RECV_FAILED where libchrony would block", () => {
    const mock = new MockChronySession({}, { faults: [faults.noReply()] });
    const { s, close } = openSession(mock.lib);
    expect(mock.lib.chrony_request_record(s, "tracking", 0)).toBe(ChronyErr.OK);
    expect(mock.lib.chrony_process_response(s)).toBe(ChronyErr.RECV_FAILED);
    close();
  });
});

describe("response variants follow the server version (candm.h history)", () => {
  it.each([
    ["3.5", 14, 16],
    ["4.0", 22, 16],
    ["4.3", 24, 16],
    ["4.4", 25, 16],
    ["4.6", 25, 26],
  ])("chronyd %s sends serverstats %i and ntpdata %i", (serverVersion, statsCode, ntpCode) => {
    const mock = new MockChronySession({ serverVersion, sources: [{ address: "192.0.2.1" }] });
    const { s, close } = openSession(mock.lib);
    const stats = REPORTS.serverstats.responses.find((r) => r.code === statsCode)!;
    expect(readReport(mock.lib, s, "serverstats").records[0]).toHaveProperty(stats.fields.at(-1)!.name);
    expect(Object.keys(readReport(mock.lib, s, "serverstats").records[0]!)).toHaveLength(stats.fields.length);
    const ntp = REPORTS.ntpdata.responses.find((r) => r.code === ntpCode)!;
    expect(Object.keys(readReport(mock.lib, s, "ntpdata").records[0]!)).toHaveLength(ntp.fields.length);
    close();
  });

  it("answers selectdata and authdata from a pre-4.0 chronyd with OLD_SERVER (STT_INVALID)", () => {
    const mock = new MockChronySession({ serverVersion: "3.5", sources: [{}] });
    const { s } = openSession(mock.lib);
    expect(readReport(mock.lib, s, "selectdata").error).toBe(ChronyErr.OLD_SERVER);
    expect(readReport(mock.lib, s, "authdata").error).toBe(ChronyErr.OLD_SERVER);
  });

  it("serves 64-bit counters exactly, as bigint beyond 2^53 (koffi's convention)", () => {
    const mock = new MockChronySession({ serverVersion: "4.8", serverstats: { receivedNtpRequests: 2n ** 60n + 1n, receivedCommandRequests: 7 } });
    const { s } = openSession(mock.lib);
    const [record] = readReport(mock.lib, s, "serverstats").records;
    expect(record!["received NTP requests"]).toBe(2n ** 60n + 1n);
    expect(record!["received command requests"]).toBe(7);
  });

  it("wraps counters exactly to 32 bits for chronyd before 4.4, as its own counters wrap", () => {
    const mock = new MockChronySession({ serverVersion: "4.3", serverstats: { receivedNtpRequests: 2n ** 60n + 5n, receivedCommandRequests: 2 ** 32 + 7 } });
    const { s } = openSession(mock.lib);
    const [record] = readReport(mock.lib, s, "serverstats").records;
    expect(record!["received NTP requests"]).toBe(5);
    expect(record!["received command requests"]).toBe(7);
  });
});

describe("disabled reports, as chronyd answers them", () => {
  it("rtcdata without RTC and smoothing when off give DISABLED; enabled they have one record", () => {
    const off = new MockChronySession();
    const { s } = openSession(off.lib);
    expect(readReport(off.lib, s, "rtcdata").error).toBe(ChronyErr.DISABLED);
    expect(readReport(off.lib, s, "smoothing").error).toBe(ChronyErr.DISABLED);
    const on = new MockChronySession({ rtc: { samples: 3 }, smoothing: { leapOnly: true } });
    const t = openSession(on.lib);
    expect(readReport(on.lib, t.s, "rtcdata").records[0]).toMatchObject({ samples: 3 });
    expect(readReport(on.lib, t.s, "smoothing").records[0]).toMatchObject({ flags: 3 });
  });
});

describe("error injection", () => {
  it("makes any function return any code, only for one report, only on the n-th call", () => {
    const mock = new MockChronySession({}, {
      faults: [faults.returns("chrony_process_response", ChronyErr.INVALID_RESPONSE, { report: "tracking", nth: 2 })],
    });
    const { s } = openSession(mock.lib);
    expect(readReport(mock.lib, s, "tracking").error).toBe(ChronyErr.OK);
    expect(readReport(mock.lib, s, "activity").error).toBe(ChronyErr.OK);
    expect(readReport(mock.lib, s, "tracking").error).toBe(ChronyErr.INVALID_RESPONSE);
    expect(readReport(mock.lib, s, "tracking").error).toBe(ChronyErr.OK);
    expect(mock.calls.filter((c) => c.injected).map((c) => c.fn)).toEqual(["chrony_process_response"]);
  });

  it("fails the open with EACCES", () => {
    const mock = new MockChronySession({}, { faults: [faults.permissionDenied()] });
    expect(mock.lib.chrony_open_socket("/run/chrony/chronyd.sock")).toBe(-1);
    expect(mock.lib.lastErrno!()).toBe(13);
  });

  it("answers with any status, e.g. not authorised → UNAUTHORIZED", () => {
    const mock = new MockChronySession({ sources: [{}] });
    using _ = mock.inject(faults.status(ReplyStatus.UNAUTH, { report: "selectdata" }));
    const { s } = openSession(mock.lib);
    expect(readReport(mock.lib, s, "sources").error).toBe(ChronyErr.OK);
    expect(readReport(mock.lib, s, "selectdata").error).toBe(ChronyErr.UNAUTHORIZED);
  });

  it("never answers: waitReadable resolves false after the timeout, and no timer stays behind", async () => {
    vi.useFakeTimers();
    try {
      const mock = new MockChronySession({}, { faults: [faults.noReply({ report: "tracking" })] });
      const { s, fd } = openSession(mock.lib);
      mock.lib.chrony_request_record(s, "tracking", 0);
      const waiting = mock.lib.waitReadable!(fd, 1000);
      await vi.advanceTimersByTimeAsync(999);
      expect(vi.getTimerCount()).toBe(1);
      await vi.advanceTimersByTimeAsync(1);
      await expect(waiting).resolves.toBe(false);
      expect(vi.getTimerCount()).toBe(0);
    } finally {
      vi.useRealTimers();
    }
  });

  it("garbles a field on the wire (an out-of-range enum) and a getter's result (NaN)", () => {
    const mock = new MockChronySession({}, {
      faults: [faults.field("tracking", "leap status", 7), faults.returns("chrony_get_field_float", NaN, { report: "tracking" })],
    });
    const { s } = openSession(mock.lib);
    const [record] = readReport(mock.lib, s, "tracking").records;
    expect(record!["leap status"]).toBe(7);
    expect(record!["skew"]).toBeNaN();
  });

  it("scopes a getter fault to one field by name", () => {
    const mock = new MockChronySession();
    mock.inject({ call: "chrony_get_field_float", field: "skew", returns: -1 });
    const { s } = openSession(mock.lib);
    const [record] = readReport(mock.lib, s, "tracking").records;
    expect(record).toMatchObject({ skew: -1, "root delay": expect.closeTo(0.001234, 9) });
  });

  it("removes a fault when its handle is disposed", () => {
    const mock = new MockChronySession();
    const handle = mock.inject(faults.returns("chrony_request_record", ChronyErr.SEND_FAILED));
    const { s } = openSession(mock.lib);
    expect(mock.lib.chrony_request_record(s, "tracking", 0)).toBe(ChronyErr.SEND_FAILED);
    handle.dispose();
    expect(mock.lib.chrony_request_record(s, "tracking", 0)).toBe(ChronyErr.OK);
  });

  it("rejects a misspelt fault instead of silently injecting nothing", () => {
    const mock = new MockChronySession();
    expect(() => mock.inject({ call: "chrony_proces_response" as never, returns: 1 })).toThrow(/fault\.call: expected a libchrony function/);
    expect(() => mock.inject({ reply: "status", status: 2, report: "trackin" as never })).toThrow(/fault\.report: expected a report name/);
    expect(() => mock.inject({ reply: "none", nth: 0 })).toThrow(/fault\.nth: expected a positive integer, got 0/);
  });
});

describe("state over time, the call log, isolation", () => {
  it("walks a server from synchronized to leap pending to unsynchronized", () => {
    const mock = new MockChronySession({ sources: [{ address: "192.0.2.1" }] });
    const { s } = openSession(mock.lib);
    const leap = () => readReport(mock.lib, s, "tracking").records[0]!["leap status"];
    expect(leap()).toBe(LeapStatus.NORMAL);
    mock.update({ tracking: { leapStatus: LeapStatus.INSERT_SECOND } });
    expect(leap()).toBe(LeapStatus.INSERT_SECOND);
    expect(readReport(mock.lib, s, "selectdata").records[0]!["leap status"]).toBe(LeapStatus.INSERT_SECOND);
    mock.update({ tracking: { leapStatus: LeapStatus.NOT_SYNCHRONIZED, referenceId: 0, stratum: 0 }, sources: [{ address: "192.0.2.1", state: SourceState.NONSELECTABLE, reachability: 0 }] });
    expect(leap()).toBe(LeapStatus.NOT_SYNCHRONIZED);
    expect(readReport(mock.lib, s, "sources").records[0]).toMatchObject({ state: SourceState.NONSELECTABLE, reachability: 0 });
  });

  it("keeps the old state when an update is invalid", () => {
    const mock = new MockChronySession({ tracking: { stratum: 3 } });
    expect(() => mock.update({ tracking: { stratum: 99 } })).toThrow(/tracking\.stratum/);
    expect(mock.state.tracking.stratum).toBe(3);
  });

  it("logs every call with its arguments and result", () => {
    const mock = new MockChronySession();
    const { s, close } = openSession(mock.lib);
    readReport(mock.lib, s, "tracking");
    close();
    const fns = mock.calls.map((c) => c.fn);
    expect(fns.slice(0, 3)).toEqual(["chrony_open_socket", "chrony_init_session", "chrony_request_report_number_records"]);
    expect(fns.at(-1)).toBe("chrony_close_socket");
    expect(mock.calls.find((c) => c.fn === "chrony_get_field_name" && c.args[1] === 3)?.result).toBe("leap status");
    expect(mock.formatCalls()).toContain('chrony_request_record(chrony_session#1, "tracking", 0) -> 0');
  });

  it("shares nothing between sessions", () => {
    const a = new MockChronySession({ tracking: { stratum: 1 } });
    const b = new MockChronySession({ tracking: { stratum: 9 } });
    const sa = openSession(a.lib);
    const sb = openSession(b.lib);
    a.update({ tracking: { stratum: 4 } });
    expect(readReport(b.lib, sb.s, "tracking").records[0]!.stratum).toBe(9);
    expect(readReport(a.lib, sa.s, "tracking").records[0]!.stratum).toBe(4);
    expect(b.calls.every((c) => c.args[0] !== sa.s)).toBe(true);
  });

  it("counts open sockets and sessions so leaks show", () => {
    const mock = new MockChronySession();
    const { close } = openSession(mock.lib);
    expect(mock.openHandles).toEqual({ sockets: 1, sessions: 1 });
    close();
    expect(mock.openHandles).toEqual({ sockets: 0, sessions: 0 });
  });
});

describe("the sources report's first field depends on the mode (message.c resolve_field_*)", () => {
  it("is a reference ID for reference clocks and an address otherwise", () => {
    const mock = new MockChronySession({ sources: [{ address: "PPS" }, { address: "2001:db8::7", state: SourceState.UNSELECTED }] });
    const { s } = openSession(mock.lib);
    mock.lib.chrony_request_record(s, "sources", 0);
    drain(mock.lib, s);
    expect(readFields(mock.lib, s)[0]).toEqual({ name: "reference ID", type: ChronyFieldType.UINTEGER, content: 11, value: 0x50505300 });
    mock.lib.chrony_request_record(s, "sources", 1);
    drain(mock.lib, s);
    expect(readFields(mock.lib, s)[0]).toEqual({ name: "address", type: ChronyFieldType.STRING, content: 15, value: "2001:db8::7" });
  });
});

describe("identical requests share reply bodies, different ones never do", () => {
  it("keeps sources, sourcestats and selectdata apart for 64 sources (index 14 is also the count command's code)", () => {
    const sources = Array.from({ length: 64 }, (_, i) => ({ address: `192.0.2.${i + 1}`, state: i === 0 ? SourceState.SELECTED : SourceState.UNSELECTED }));
    const mock = new MockChronySession({ sources });
    const { s } = openSession(mock.lib);
    for (let pass = 0; pass < 2; pass++) {
      const stats = readReport(mock.lib, s, "sourcestats");
      expect(stats.error).toBe(ChronyErr.OK);
      expect(stats.records.map((r) => r.address)).toEqual(sources.map((x) => x.address));
      const list = readReport(mock.lib, s, "sources");
      expect(list.records.map((r) => r.address)).toEqual(sources.map((x) => x.address));
      expect(readReport(mock.lib, s, "selectdata").records).toHaveLength(64);
    }
  });
});
