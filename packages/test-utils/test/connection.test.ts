import { ChronyErr, LeapStatus, ReplyStatus } from "@chrony/fields";
import { ChronyConnection, ChronyPermissionError, ChronyTimeoutError, TrackingStatus } from "@chrony/bindings";
import { SCENARIO_GPS_REFCLOCK, SCENARIO_LEAP_INSERT } from "@chrony/scenarios";
import { describe, expect, it } from "vitest";
import { ChronyMockLeakError, faults, MockChronySession, openMockConnection, withMockChrony } from "../src/index.js";

describe("openMockConnection", () => {
  it("is a real ChronyConnection on SCENARIO_NTP_SYNCED by default", async () => {
    await using chrony = await openMockConnection();
    expect(chrony).toBeInstanceOf(ChronyConnection);
    const tracking = await chrony.getTracking();
    expect(tracking).toBeInstanceOf(TrackingStatus);
    expect(tracking.referenceIp).toBe("192.168.1.100");
    expect(tracking.stratum).toBe(2);
    expect(chrony.session).toBeInstanceOf(MockChronySession);
    expect(chrony.session.openHandles).toEqual({ sockets: 1, sessions: 1 });
  });

  it("moves in simulated time through chrony.session.advance()", async () => {
    await using chrony = await openMockConnection("upstream-lost");
    expect((await chrony.getSources())[0]!.reachability).toBe(0o377);
    chrony.session.advance(544);
    const [source] = await chrony.getSources();
    expect(source!.reachability).toBe(0);
    expect(source!.lastSampleAgo).toBe(576);
    const tracking = await chrony.getTracking();
    expect(tracking.leapStatus).toBe(LeapStatus.NORMAL);
    expect(tracking.referenceIp).toBe("192.168.1.100");
  });

  it("takes a config, a preset name or a session", async () => {
    await using a = await openMockConnection(SCENARIO_GPS_REFCLOCK);
    expect((await a.getTracking()).referenceIdName).toBe("GPS");
    await using b = await openMockConnection("leap-insert");
    expect((await b.getTracking()).isLeapPending()).toBe(true);
    const session = new MockChronySession(SCENARIO_LEAP_INSERT);
    await using c = await openMockConnection(session);
    expect(c.session).toBe(session);
    await expect(openMockConnection("no-such-preset" as never)).rejects.toThrow(/Unknown scenario "no-such-preset"/);
  });

  it("exposes the session for updates and faults between calls", async () => {
    await using chrony = await openMockConnection(undefined, { timeoutMs: 20, retries: 0 });
    chrony.session.update({ tracking: { leapStatus: LeapStatus.DELETE_SECOND } });
    expect((await chrony.getTracking()).leapStatus).toBe(LeapStatus.DELETE_SECOND);
    {
      using fault = chrony.session.inject(faults.noReply({ report: "sources" }));
      await expect(chrony.getSources()).rejects.toBeInstanceOf(ChronyTimeoutError);
      expect(fault.fired).toBe(1);
    }
    expect(await chrony.getSources()).toHaveLength(1);
  });

  it("starts with faults from the options", async () => {
    await expect(openMockConnection(undefined, { faults: [faults.permissionDenied()] })).rejects.toBeInstanceOf(ChronyPermissionError);
    await using chrony = await openMockConnection(undefined, { faults: [faults.status("UNAUTH", { report: "tracking" })] });
    await expect(chrony.getTracking()).rejects.toMatchObject({ code: ChronyErr.UNAUTHORIZED });
  });

  it("applies every kind of reply fault through the session", async () => {
    await using chrony = await openMockConnection(undefined, { timeoutMs: 100, retries: 0, faults: [faults.delay(30, { report: "tracking", times: 1 })] });
    const started = performance.now();
    expect((await chrony.getTracking()).stratum).toBe(2);
    expect(performance.now() - started).toBeGreaterThanOrEqual(25);
    const cases = [
      [faults.delay(500, { report: "tracking" }), { name: "ChronyTimeoutError" }],
      [faults.wrongSequence({ report: "tracking" }), { name: "ChronyTimeoutError" }],
      [faults.truncate(40, { report: "tracking" }), { codeName: "INVALID_RESPONSE" }],
      [faults.status(ReplyStatus.NOTENABLED, { report: "tracking" }), { codeName: "DISABLED" }],
      [faults.field("tracking", "leap status", 9), { name: "ChronyDataError", field: "leapStatus" }],
    ] as const;
    for (const [fault, error] of cases) {
      using handle = chrony.session.inject(fault);
      await expect(chrony.getTracking(), fault.reply).rejects.toMatchObject(error);
      expect(handle.fired, fault.reply).toBe(1);
    }
    using oversize = chrony.session.inject(faults.oversize(16, { report: "tracking" }));
    expect((await chrony.getTracking()).stratum).toBe(2);
    expect(oversize.fired).toBe(1);
  });

  it("dispose closes the connection and leaves no open handles", async () => {
    let session: MockChronySession;
    {
      await using chrony = await openMockConnection();
      session = chrony.session;
      await chrony.getSources();
    }
    expect(session.openHandles).toEqual({ sockets: 0, sessions: 0 });
  });

  it("dispose throws ChronyMockLeakError when something else left a handle open on the mock", async () => {
    const chrony = await openMockConnection();
    const other = await ChronyConnection.open({ lib: chrony.session.lib, address: "127.0.0.1" });
    await expect(chrony[Symbol.asyncDispose]()).rejects.toBeInstanceOf(ChronyMockLeakError);
    await other.close();
    await expect(chrony[Symbol.asyncDispose]()).resolves.toBeUndefined();
  });
});

describe("withMockChrony", () => {
  it("passes the connection and session, returns the result, closes", async () => {
    let seen: MockChronySession | undefined;
    const stratum = await withMockChrony(SCENARIO_GPS_REFCLOCK, async (conn, session) => {
      seen = session;
      return (await conn.getTracking()).stratum;
    });
    expect(stratum).toBe(1);
    expect(seen!.openHandles).toEqual({ sockets: 0, sessions: 0 });
  });

  it("closes and rethrows when the body throws", async () => {
    let seen: MockChronySession | undefined;
    const boom = new Error("boom");
    await expect(
      withMockChrony(undefined, async (conn, session) => {
        seen = session;
        await conn.getTracking();
        throw boom;
      }),
    ).rejects.toBe(boom);
    expect(seen!.openHandles).toEqual({ sockets: 0, sessions: 0 });
  });

  it("fails a body that leaves a connection of its own open", async () => {
    await expect(
      withMockChrony(undefined, async (_conn, session) => {
        await ChronyConnection.open({ lib: session.lib, address: "127.0.0.1" });
      }),
    ).rejects.toThrow(ChronyMockLeakError);
  });
});
