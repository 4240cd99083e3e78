import { ChronyErr, LeapStatus, NtpFlag, SelectOption, SourceMode, SourceState } from "@chrony/fields";
import { describe, expect, it } from "vitest";
import {
  ChronyConnection,
  ChronyConnectionError,
  ChronyDataError,
  ChronyError,
  ChronyPermissionError,
  ChronyTimeoutError,
  DEFAULT_SOCKET_PATHS,
  defaultAddresses,
  TrackingStatus,
} from "../src/index.js";
import { Session } from "../src/session.js";
import type { FakeRecord } from "./fake-lib.js";
import { BIG_COUNTER, GPS_REFID, labServer, TRACKING } from "./fixtures.js";

const open = (lib = labServer(), options = {}) => ChronyConnection.open({ lib, address: "127.0.0.1:11324", ...options });

describe("reports through an injected ChronyLib", () => {
  it("reads tracking into a frozen pychrony-shaped model", async () => {
    await using connection = await open();
    const tracking = await connection.getTracking();
    expect(tracking).toBeInstanceOf(TrackingStatus);
    expect(Object.isFrozen(tracking)).toBe(true);
    expect({ ...tracking }).toEqual({
      referenceId: 0x7f000001,
      referenceIdName: "127.0.0.1",
      referenceIp: "127.0.0.1",
      stratum: 4,
      leapStatus: LeapStatus.NORMAL,
      refTime: 1795632394 + 0.623181533,
      refTimeExact: { sec: 1795632394n, nsec: 623181533 },
      offset: TRACKING["current correction"],
      lastOffset: TRACKING["last offset"],
      rmsOffset: TRACKING["RMS offset"],
      frequency: TRACKING["frequency offset"],
      residualFreq: TRACKING["residual frequency"],
      skew: TRACKING.skew,
      rootDelay: TRACKING["root delay"],
      rootDispersion: TRACKING["root dispersion"],
      updateInterval: TRACKING["last update interval"],
    });
    expect(tracking.isSynchronized()).toBe(true);
    expect(tracking.isLeapPending()).toBe(false);
  });

  it("reads sources: negative poll restored from libchrony's unsigned INT16, reference clock named by its refid", async () => {
    await using connection = await open();
    const [refclock, ntp] = await connection.getSources();
    expect(refclock).toMatchObject({ address: "GPS", poll: -2, mode: SourceMode.REFERENCE_CLOCK, state: SourceState.NONSELECTABLE });
    expect(refclock!.isReachable()).toBe(false);
    expect(ntp).toMatchObject({ address: "127.0.0.1", poll: -1, stratum: 3, reachability: 255, latestMeas: 1.72e-7, origLatestMeas: 2.94e-7 });
    expect(ntp!.isSelected()).toBe(true);
    expect(ntp!.isReachable()).toBe(true);
  });

  it("reads sourcestats; a reference clock's missing address becomes its refid name", async () => {
    await using connection = await open();
    const [refclock, ntp] = await connection.getSourceStats();
    expect(refclock).toMatchObject({ referenceId: GPS_REFID, address: "GPS", samples: 0 });
    expect(refclock!.hasSufficientSamples()).toBe(false);
    expect(ntp).toMatchObject({ address: "127.0.0.1", samples: 20, runs: 8, stdDev: 2.62e-7, residFreq: -0.005 });
    expect(ntp!.hasSufficientSamples()).toBe(true);
    expect(ntp!.hasSufficientSamples(21)).toBe(false);
  });

  it("resolves rtcdata to null when chronyd answers DISABLED, and to RTCData otherwise", async () => {
    await using disabled = await open();
    expect(await disabled.getRtcData()).toBeNull();
    const rtc = { "reference time": { sec: 1700000000, nsec: 5e8 }, samples: 3, runs: 2, span: 600, offset: 0.25, "frequency offset": -1.5 };
    await using enabled = await open(labServer({ rtcdata: { entries: [rtc] } }));
    const data = await enabled.getRtcData();
    expect({ ...data }).toEqual({ refTime: 1700000000.5, refTimeExact: { sec: 1700000000n, nsec: 5e8 }, samples: 3, runs: 2, span: 600, offset: 0.25, freqOffset: -1.5 });
    expect(data!.isCalibrated()).toBe(true);
  });

  it("resolves smoothing to null when disabled, else flags with helpers", async () => {
    await using enabled = await open();
    const smoothing = await enabled.getSmoothing();
    expect(smoothing).toMatchObject({ flags: 1, active: true, leapOnly: false, remainingTime: 63.9 });
    expect(smoothing!.isActive()).toBe(true);
    expect(smoothing!.isLeapOnly()).toBe(false);
    await using disabled = await open(labServer({ smoothing: { entries: [{ error: ChronyErr.DISABLED }] } }));
    expect(await disabled.getSmoothing()).toBeNull();
  });

  it("reads selectdata, activity", async () => {
    await using connection = await open();
    const [select] = await connection.getSelectData();
    expect(select!.stateSymbol()).toBe("*");
    expect(select!.isSelected()).toBe(true);
    expect(select!.hasOption(SelectOption.TRUST)).toBe(true);
    expect(select!.hasOption(SelectOption.TRUST, true)).toBe(false);
    expect(select!.authenticated).toBe(false);
    const activity = await connection.getActivity();
    expect(activity).toMatchObject({ onlineSources: 2, unresolvedSources: 1 });
    expect(activity.totalSources()).toBe(3);
  });

  it("gives null entries for reference clocks in ntpdata and authdata, keeping sourcestats' indices", async () => {
    await using connection = await open();
    const [refclockNtp, ntp] = await connection.getNtpData();
    expect(refclockNtp).toBeNull();
    expect(ntp).toMatchObject({ remotePort: 11123, poll: -1, precision: -25, kernelTransmitTimestamps: 20, referenceIdName: "127.127.1.1" });
    expect(ntp!.passedAllTests()).toBe(true);
    expect(ntp!.isAuthenticated()).toBe(true);
    expect(ntp!.hasFlag(NtpFlag.INTERLEAVED)).toBe(false);
    const [refclockAuth, auth] = await connection.getAuthData();
    expect(refclockAuth).toBeNull();
    expect(auth).toMatchObject({ mode: 2, keyType: 15, keyLength: 256, nak: false });
    expect(auth!.isAuthenticated()).toBe(true);
  });

  it("fills the newer ntpdata counters with null from the older response variant", async () => {
    const { NTPDATA } = await import("./fixtures.js");
    await using connection = await open(labServer({ ntpdata: { variant: 0, entries: [NTPDATA] } }));
    const [ntp] = await connection.getNtpData();
    expect(ntp).toMatchObject({ receivedGoodMessages: 18, kernelTransmitTimestamps: null, hardwareReceiveTimestamps: null });
  });

  it("keeps 64-bit serverstats counters exact as bigint", async () => {
    await using connection = await open();
    const stats = await connection.getServerStats();
    expect(stats.receivedNtpRequests).toBe(BIG_COUNTER);
    expect(stats.servedHardwareTxTimestamps).toBe(16n);
  });

  it("gives null for counters an older serverstats variant lacks", async () => {
    const counters = { "received NTP requests": 5, "received command requests": 6, "dropped NTP requests": 0, "dropped command requests": 0, "dropped client log records": 0 };
    await using connection = await open(labServer({ serverstats: { variant: 0, entries: [counters] } }));
    const stats = await connection.getServerStats();
    expect(stats).toMatchObject({ receivedNtpRequests: 5n, receivedCommandRequests: 6n, acceptedNtsKeConnections: null, servedDaemonRxTimestamps: null });
  });

  it("getReport returns every field with types, contents, constant and flag names", async () => {
    await using connection = await open();
    const sources = await connection.getReport("sources");
    expect(sources.records).toHaveLength(2);
    const refclock = sources.records[0]!.fields;
    expect(refclock[0]).toEqual({ name: "reference ID", type: "UINTEGER", content: "REFERENCE_ID", value: GPS_REFID, constantName: null, flagNames: null });
    expect(refclock.find((f) => f.name === "poll")!.value).toBe(-2);
    expect(refclock.find((f) => f.name === "mode")!.constantName).toBe("reference clock");
    const ntp = await connection.getReport("ntpdata");
    expect(ntp.records[0]).toBeNull();
    expect(ntp.records[1]!.fields).toHaveLength(33);
    expect(ntp.records[1]!.fields.find((f) => f.name === "flags")!.flagNames).toEqual(expect.arrayContaining(["test1", "testD", "authenticated"]));
    const tracking = await connection.getReport("tracking");
    expect(tracking.records[0]!.fields.find((f) => f.name === "reference time")!.value).toEqual({ sec: 1795632394n, nsec: 623181533 });
    await expect(connection.getReport("nonsense" as "tracking")).rejects.toThrow(RangeError);
  });
});

describe("validation", () => {
  it.each([
    ["stratum", { stratum: 16 }, 16],
    ["offset", { "current correction": Number.NaN }, Number.NaN],
    ["rootDelay", { "root delay": -1 }, -1],
    ["leapStatus", { "leap status": 7 }, 7],
  ])("rejects tracking %s with a ChronyDataError naming field and value", async (field, override, value) => {
    await using connection = await open(labServer({ tracking: { entries: [{ ...TRACKING, ...override }] } }));
    const error = await connection.getTracking().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ChronyDataError);
    expect(error).toMatchObject({ field, value });
    expect((error as Error).message).toContain(`TrackingStatus.${field}`);
  });

  it("rejects an unknown source state", async () => {
    const [refclock, ntp] = labServer().reports.sources!.entries as FakeRecord[];
    await using connection = await open(labServer({ sources: { entries: [refclock!, { ...ntp, state: 9 }] } }));
    await expect(connection.getSources()).rejects.toMatchObject({ name: "ChronyDataError", field: "state", value: 9 });
  });
});

describe("errors", () => {
  it("maps UNAUTHORIZED to ChronyPermissionError with code, name, string and the fix", async () => {
    await using connection = await open(labServer({ serverstats: { entries: [{ error: ChronyErr.UNAUTHORIZED }] } }));
    const error = await connection.getServerStats().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ChronyPermissionError);
    expect(error).toMatchObject({ code: 9, codeName: "UNAUTHORIZED", errorString: "Not authorized" });
    expect((error as Error).message).toMatch(/_chrony/);
  });

  it("keeps other statuses as ChronyError with their code", async () => {
    await using connection = await open(labServer({ selectdata: { entries: [{ error: ChronyErr.UNEXPECTED_STATUS }] } }));
    const error = await connection.getSelectData().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ChronyError);
    expect(error).not.toBeInstanceOf(ChronyConnectionError);
    expect(error).toMatchObject({ code: 11, codeName: "UNEXPECTED_STATUS" });
  });

  it("maps EACCES on open to ChronyPermissionError and ECONNREFUSED to ChronyConnectionError", async () => {
    const lib = labServer();
    lib.openErrno.set("/denied.sock", 13).set("/down.sock", 111);
    await expect(open(lib, { address: "/denied.sock" })).rejects.toMatchObject({ name: "ChronyPermissionError", errno: 13 });
    await expect(open(lib, { address: "/down.sock" })).rejects.toMatchObject({ name: "ChronyConnectionError", errno: 111 });
    expect(lib.openFds.size).toBe(0);
  });

  it("without an address tries the default sockets, then UDP, and lists all tried; a given lib never depends on the host's files", async () => {
    expect(defaultAddresses(() => false)).toEqual(["127.0.0.1", "::1"]);
    expect(defaultAddresses(() => true)).toEqual([...DEFAULT_SOCKET_PATHS, "127.0.0.1", "::1"]);
    const lib = labServer();
    const all = defaultAddresses(() => true);
    for (const address of all) lib.openErrno.set(address, 111);
    const error = await ChronyConnection.open({ lib }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ChronyConnectionError);
    expect((error as Error).message).toContain("127.0.0.1, ::1");
    expect((error as Error).cause).toBeInstanceOf(AggregateError);
    // Every default socket is tried on a mock, whether or not this machine has one.
    expect(lib.opened).toEqual(all);
    lib.openErrno.delete("::1");
    await using connection = await ChronyConnection.open({ lib });
    expect(connection.address).toBe("::1");
  });

  it("rejects invalid options", async () => {
    await expect(open(labServer(), { timeoutMs: 0 })).rejects.toThrow(RangeError);
    await expect(open(labServer(), { retries: -1 })).rejects.toThrow(RangeError);
  });
});

// Replies that come after a wait, and replies that are there at once (no promise on the way): both paths of the request engine.
const replyTimings = [
  ["after a wait", false],
  ["at once", true],
] as const;

describe.each(replyTimings)("timeouts, retries, restart (replies %s)", (_timing, readyAtOnce) => {
  const server = (overrides?: Parameters<typeof labServer>[0]) => labServer(overrides, { readyAtOnce });

  it("times out after timeoutMs × (retries + 1), re-sending each time, and keeps no session or fd", async () => {
    const lib = server();
    await using connection = await open(lib, { timeoutMs: 20, retries: 2 });
    lib.silentResponses = Infinity;
    const error = await connection.getSources().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ChronyTimeoutError);
    expect(error).toMatchObject({ attempts: 3, timeoutMs: 20 });
    expect(lib.sent).toEqual(["sources#count", "sources#count", "sources#count"]);
    expect(lib.openFds.size).toBe(0);
    expect(lib.liveSessions.size).toBe(0);
    lib.silentResponses = 0;
    expect(await connection.getSources()).toHaveLength(2); // reopened lazily
  });

  it("succeeds when a retry is answered", async () => {
    const lib = server();
    await using connection = await open(lib, { retries: 1 });
    lib.silentResponses = 1;
    expect((await connection.getTracking()).stratum).toBe(4);
    expect(lib.sent).toEqual(["tracking#0", "tracking#0"]);
  });

  it("reopens the socket and session once when chronyd restarted (RECV_FAILED), then succeeds", async () => {
    const lib = server();
    await using connection = await open(lib);
    lib.processFailures.push(ChronyErr.RECV_FAILED);
    expect(await connection.getSources()).toHaveLength(2);
    expect(lib.opened).toHaveLength(2);
    expect(lib.openFds.size).toBe(1);
  });

  it("gives up after one reopen when sending keeps failing", async () => {
    const lib = server();
    await using connection = await open(lib);
    lib.processFailures.push(ChronyErr.SEND_FAILED, ChronyErr.SEND_FAILED);
    await expect(connection.getTracking()).rejects.toMatchObject({ name: "ChronyConnectionError", code: ChronyErr.SEND_FAILED });
    expect(lib.opened).toHaveLength(2);
  });
});

describe("a reply that is there already", () => {
  const policy = { timeoutMs: 100, retries: 0 };
  const read = (record: { uint(name: "stratum"): number } | null) => record?.uint("stratum") ?? -1;

  it("is read without a promise: every record of a counted report comes back at once", () => {
    const lib = labServer({}, { readyAtOnce: true });
    const session = Session.open(lib, "127.0.0.1:11324");
    const records = session.fetch("sources", read, policy);
    expect(records).not.toBeInstanceOf(Promise);
    expect(records).toHaveLength(2);
    expect(lib.sent).toEqual(["sources#count", "sources#0", "sources#1"]);
    session.close();
  });

  it("is waited for with a promise when the lib has to wait", async () => {
    const lib = labServer();
    const session = Session.open(lib, "127.0.0.1:11324");
    const records = session.fetch("sources", read, policy);
    expect(records).toBeInstanceOf(Promise);
    expect(await records).toHaveLength(2);
    session.close();
  });

  it("lets the event loop turn within milliseconds during a loop of queries answered at once", async () => {
    await using connection = await open(labServer({}, { readyAtOnce: true }));
    let fired = false;
    setTimeout(() => (fired = true), 1);
    const started = performance.now();
    let queries = 0;
    // Without a turn of the event loop the timer never fires, and the loop runs to its bound.
    while (!fired && performance.now() - started < 2000) {
      await connection.getTracking();
      queries++;
    }
    expect(fired).toBe(true);
    expect(performance.now() - started).toBeLessThan(500);
    expect(queries).toBeGreaterThan(1);
  });

  it("still fails typed, thrown at once when nothing had to be waited for", () => {
    const lib = labServer({}, { readyAtOnce: true });
    lib.processFailures.push(ChronyErr.RECV_FAILED);
    const session = Session.open(lib, "127.0.0.1:11324");
    expect(() => session.fetch("tracking", read, policy)).toThrow(ChronyConnectionError);
    session.close();
  });
});

describe.each(replyTimings)("lifecycle and concurrency (replies %s)", (_timing, readyAtOnce) => {
  const server = (overrides?: Parameters<typeof labServer>[0]) => labServer(overrides, { readyAtOnce });

  it("serializes concurrent calls in FIFO order without interleaving requests", async () => {
    const lib = server();
    await using connection = await open(lib);
    const order: string[] = [];
    const calls = [
      connection.getSources().then(() => order.push("sources")),
      connection.getTracking().then(() => order.push("tracking")),
      connection.getSourceStats().then(() => order.push("sourcestats")),
    ];
    await Promise.all(calls);
    expect(order).toEqual(["sources", "tracking", "sourcestats"]);
    expect(lib.sent).toEqual(["sources#count", "sources#0", "sources#1", "tracking#0", "sourcestats#count", "sourcestats#0", "sourcestats#1"]);
  });

  it("a failing call does not stop the queue", async () => {
    await using connection = await open(server({ selectdata: { entries: [{ error: ChronyErr.UNAUTHORIZED }] } }));
    const [failed, ok] = await Promise.allSettled([connection.getSelectData(), connection.getTracking()]);
    expect(failed.status).toBe("rejected");
    expect(ok.status).toBe("fulfilled");
  });

  it("close() lets calls made before it finish, rejects later calls, frees everything, and is idempotent", async () => {
    const lib = server();
    const connection = await open(lib);
    const running = connection.getSources();
    const queued = connection.getTracking();
    const closing = connection.close();
    expect(connection.closed).toBe(true);
    const late = connection.getActivity().catch((error: unknown) => error);
    await expect(running).resolves.toHaveLength(2);
    await expect(queued).resolves.toBeInstanceOf(TrackingStatus);
    expect(await late).toBeInstanceOf(ChronyConnectionError);
    expect(String(await late)).toMatch(/closed/);
    await closing;
    expect(lib.sent).not.toContain("activity#0");
    await connection.close();
    await expect(connection.getTracking()).rejects.toBeInstanceOf(ChronyConnectionError);
    expect(lib.openFds.size).toBe(0);
    expect(lib.liveSessions.size).toBe(0);
  });

  it("await using closes the connection", async () => {
    const lib = server();
    {
      await using connection = await open(lib);
      await connection.getTracking();
      expect(lib.openFds.size).toBe(1);
    }
    expect(lib.openFds.size).toBe(0);
  });
});

describe("ntpdata of a source that never answered", () => {
  it("accepts the all-zero mode and timestamping chronyd sends before the first packet", async () => {
    const { NTPDATA } = await import("./fixtures.js");
    const silent = { ...NTPDATA, mode: 0, "transmit timestamping": 0, "receive timestamping": 0 };
    await using connection = await open(labServer({ ntpdata: { entries: [silent] } }));
    const [ntp] = await connection.getNtpData();
    expect(ntp).toMatchObject({ mode: 0, transmitTimestamping: 0 });
  });
});

describe("errors listing several addresses", () => {
  it("say how to get access once, not once per address, and end in no doubled period", async () => {
    const lib = labServer();
    for (const address of defaultAddresses(() => true)) lib.openErrno.set(address, 13);
    const error = await ChronyConnection.open({ lib }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ChronyPermissionError);
    const message = (error as Error).message;
    expect(message.split("usermod").length - 1).toBe(1);
    expect(message).not.toMatch(/\.\./);
  });
});
