import { LeapStatus } from "@chrony/fields";
import { ChronyConnection, ChronyConnectionError, ChronyDataError, ChronyTimeoutError, LIB_OVERRIDE_SYMBOL } from "@chrony/bindings";
import { SCENARIO_GPS_REFCLOCK, SCENARIO_NTP_SYNCED } from "@chrony/scenarios";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { ChronyMockError, ChronyMockLeakError, faults, setupChronyMock, type MockChronySession } from "../src/index.js";

const hook = () => (globalThis as Record<symbol, unknown>)[LIB_OVERRIDE_SYMBOL];

/** The code under test: opens its own connection, never sees a lib. */
async function leapOf(): Promise<number> {
  await using connection = await ChronyConnection.open({ timeoutMs: 20, retries: 0 });
  return (await connection.getTracking()).leapStatus;
}

describe("MSW-style lifecycle", () => {
  const chrony = setupChronyMock(SCENARIO_NTP_SYNCED);
  beforeAll(() => chrony.listen());
  afterEach(() => {
    chrony.resetHandlers();
  });
  afterAll(() => chrony.close());

  it("serves the initial state to connections the code opens itself", async () => {
    expect(chrony.listening).toBe(true);
    expect(await leapOf()).toBe(LeapStatus.NORMAL);
  });

  it("use() overrides part of the state for one test", async () => {
    chrony.use({ tracking: { leapStatus: LeapStatus.INSERT_SECOND } });
    expect(await leapOf()).toBe(LeapStatus.INSERT_SECOND);
  });

  it("resetHandlers() undid the previous test's override", async () => {
    expect(await leapOf()).toBe(LeapStatus.NORMAL);
  });

  it("use() injects faults", async () => {
    chrony.use(faults.noReply());
    await expect(leapOf()).rejects.toBeInstanceOf(ChronyTimeoutError);
    chrony.resetHandlers();
    chrony.use(faults.field("tracking", "leap status", 7));
    await expect(leapOf()).rejects.toMatchObject({ name: "ChronyDataError", field: "leapStatus" });
  });

  it("the session's call log shows what the code did", async () => {
    await leapOf();
    expect(chrony.session.calls.some((c) => c.fn === "chrony_request_record" && c.report === "tracking")).toBe(true);
    expect(chrony.openHandles).toEqual({ sockets: 0, sessions: 0 });
  });

  it("resetHandlers(...next) replaces the initial handlers", async () => {
    chrony.resetHandlers({ tracking: { leapStatus: LeapStatus.DELETE_SECOND } });
    expect(await leapOf()).toBe(LeapStatus.DELETE_SECOND);
    chrony.use({ tracking: { leapStatus: LeapStatus.INSERT_SECOND } });
    chrony.resetHandlers();
    expect(await leapOf()).toBe(LeapStatus.DELETE_SECOND);
  });

  it("resetHandlers() frees handles a test left open, and says how many", async () => {
    chrony.resetHandlers({});
    await ChronyConnection.open({});
    expect(chrony.openHandles).toEqual({ sockets: 1, sessions: 1 });
    expect(chrony.resetHandlers()).toEqual({ sockets: 1, sessions: 1 });
    expect(chrony.session.openHandles).toEqual({ sockets: 0, sessions: 0 });
  });
});

describe("install / uninstall", () => {
  it("registers the bindings hook on listen() and removes it on close()", async () => {
    expect(hook()).toBeUndefined();
    const chrony = setupChronyMock("gps-refclock");
    expect(hook()).toBeUndefined();
    chrony.listen();
    chrony.listen(); // idempotent
    expect(typeof hook()).toBe("function");
    await using conn = await ChronyConnection.open();
    expect((await conn.getTracking()).referenceIdName).toBe("GPS");
    await conn.close();
    chrony.close();
    chrony.close(); // idempotent
    expect(hook()).toBeUndefined();
    expect(chrony.listening).toBe(false);
  });

  it("refuses to replace another mock's hook, and never removes it", () => {
    const a = setupChronyMock();
    const b = setupChronyMock();
    a.listen();
    try {
      expect(() => b.listen()).toThrow(/already installed/);
      b.close();
      expect(typeof hook()).toBe("function");
    } finally {
      a.close();
    }
    expect(hook()).toBeUndefined();
  });

  it("works with `using` and initial handlers", async () => {
    {
      using chrony = setupChronyMock(SCENARIO_GPS_REFCLOCK, { tracking: { stratum: 5 } });
      chrony.listen();
      await using conn = await ChronyConnection.open();
      expect((await conn.getTracking()).stratum).toBe(5);
    }
    expect(hook()).toBeUndefined();
  });

  it("run() needs listen() first", async () => {
    await expect(setupChronyMock().run(async () => 1)).rejects.toThrow(/listen\(\) first/);
  });

  it("close() uninstalls even after a test body threw mid-connection", async () => {
    const chrony = setupChronyMock();
    chrony.listen();
    try {
      await ChronyConnection.open();
      throw new Error("test body failed");
    } catch {
      // the test runner would report this
    } finally {
      chrony.close();
    }
    expect(hook()).toBeUndefined();
    expect(chrony.openHandles).toEqual({ sockets: 0, sessions: 0 });
  });
});

describe("run(): one scope per test", () => {
  const chrony = setupChronyMock();
  beforeAll(() => chrony.listen());
  afterAll(() => chrony.close());

  it("gives the body a fresh session with the state given, returns its result", async () => {
    const stratum = await chrony.run("gps-refclock", async (session) => {
      expect(chrony.session).toBe(session);
      await using conn = await ChronyConnection.open();
      return (await conn.getTracking()).stratum;
    });
    expect(stratum).toBe(1);
  });

  it("use() inside a scope does not touch the root scope", async () => {
    await chrony.run(async () => {
      chrony.use({ tracking: { leapStatus: LeapStatus.INSERT_SECOND } });
      expect(await leapOf()).toBe(LeapStatus.INSERT_SECOND);
    });
    expect(await leapOf()).toBe(LeapStatus.NORMAL);
  });

  it("resetHandlers() inside run() goes back to the run's own state", async () => {
    await chrony.run("gps-refclock", async (session) => {
      chrony.use({ tracking: { stratum: 9 } });
      chrony.resetHandlers();
      expect(session.currentConfig.tracking?.stratum).toBe(1);
    });
  });

  it("a throwing body leaves no open handles and its error comes through", async () => {
    let session: MockChronySession | undefined;
    const failure = chrony.run(async (s) => {
      session = s;
      await ChronyConnection.open(); // never closed
      const conn = await ChronyConnection.open();
      await conn.getTracking();
      throw new ChronyDataError("simulated failure in the test body", { field: "offset" });
    });
    await expect(failure).rejects.toThrow("simulated failure in the test body");
    expect(session!.openHandles).toEqual({ sockets: 0, sessions: 0 });
  });

  it("a passing body that leaked fails with ChronyMockLeakError (and the handles are freed)", async () => {
    let session: MockChronySession | undefined;
    const leak = chrony.run(async (s) => {
      session = s;
      await ChronyConnection.open();
    });
    await expect(leak).rejects.toBeInstanceOf(ChronyMockLeakError);
    await expect(leak).rejects.toMatchObject({ openHandles: { sockets: 1, sessions: 1 } });
    expect(session!.openHandles).toEqual({ sockets: 0, sessions: 0 });
  });
});

describe("presets as handlers and connections outside the mock", () => {
  it("use() takes a preset name: the whole state becomes the preset's, until resetHandlers()", async () => {
    const chrony = setupChronyMock("ntp-synced");
    chrony.listen();
    try {
      chrony.use("gps-refclock");
      const conn = await ChronyConnection.open();
      expect((await conn.getTracking()).referenceIdName).toBe("GPS");
      await conn.close();
      chrony.resetHandlers();
      await using after = await ChronyConnection.open();
      expect((await after.getTracking()).referenceIdName).not.toBe("GPS");
    } finally {
      chrony.close();
    }
  });

  it("with onUnmocked: \"error\", a connection opened after close() is a ChronyMockError naming the mock, until it is disposed", async () => {
    const chrony = setupChronyMock();
    chrony.listen({ onUnmocked: "error" });
    chrony.close();
    const error = await ChronyConnection.open({ address: "127.0.0.1:1" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ChronyMockError);
    expect((error as Error).message).toMatch(/override\.test\.ts/);
    chrony[Symbol.dispose]();
    expect(hook()).toBeUndefined();
  });

  it("a mock that exists but is not listening is named in the error of a connection that went to the real chronyd", async () => {
    const chrony = setupChronyMock();
    // No chronyd socket there: the real backend's open fails at once.
    const error = await ChronyConnection.open({ address: "/nonexistent/chrony-ts-test/chronyd.sock" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ChronyConnectionError);
    const hint = /\nA chrony mock \(setupChronyMock\(\) at .*override\.test\.ts:\d+:\d+\) exists but is not listening, so the connection went to the real chronyd: call listen\(\)/;
    expect((error as Error).message).toMatch(hint);
    // Over UDP the open succeeds and the first query is refused: the same sentence.
    await using udp = await ChronyConnection.open({ address: "127.0.0.1:1", timeoutMs: 200 });
    const refused = await udp.getTracking().catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(ChronyConnectionError);
    expect((refused as Error).message).toMatch(hint);
    chrony[Symbol.dispose]();
  });

  it("rejects an unknown onUnmocked", () => {
    const chrony = setupChronyMock();
    // @ts-expect-error -- not a mode
    expect(() => chrony.listen({ onUnmocked: "warn" })).toThrow(RangeError);
    chrony.close();
  });
});
