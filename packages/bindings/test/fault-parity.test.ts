/**
 * One fault, two front ends: the same fault object injected into the
 * in-process mock (`MockChronySession`, through its `lib`) and into the fake
 * chronyd over UDP (`startMockChronyd`, through the default backend) gives a
 * `ChronyConnection` the same outcome — the same value or the same typed
 * error — and fires as many times on either, for every kind of reply fault.
 */
import { REPORTS, ReplyStatus } from "@chrony/fields";
import { startMockChronyd, type MockChronyd } from "@chrony/mock-server";
import { MockChronySession, faults, type ChronyStateConfig, type Fault } from "@chrony/mock-session";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ChronyConnection, ChronyDataError, ChronyError } from "../src/index.js";

const STATE: ChronyStateConfig = {
  serverVersion: "4.6",
  sources: [{ address: "192.0.2.1" }, { address: "192.0.2.2", reachability: 0o17 }],
  rtc: { samples: 4 },
};

type Read = "tracking" | "sources" | "rtcdata";

interface Case {
  readonly name: string;
  readonly fault: Fault;
  readonly read: Read;
  readonly timeoutMs?: number;
  readonly retries?: number;
  /** The outcome class both front ends must give. */
  readonly expected: string | RegExp;
  /** At least this long, in ms (delays). */
  readonly minMs?: number;
}

const CASES: readonly Case[] = [
  { name: "noReply: no reply, a timeout", fault: faults.noReply({ report: "tracking" }), read: "tracking", expected: "ChronyTimeoutError" },
  { name: "noReply of the source count", fault: faults.noReply({ report: "count" }), read: "sources", expected: "ChronyTimeoutError" },
  { name: "delay within the timeout: the value, late", fault: faults.delay(120, { report: "tracking" }), read: "tracking", timeoutMs: 1000, expected: /^ok:/, minMs: 110 },
  { name: "delay past the timeout: a timeout", fault: faults.delay(400, { report: "tracking" }), read: "tracking", expected: "ChronyTimeoutError" },
  { name: 'status("UNAUTH")', fault: faults.status("UNAUTH", { report: "tracking" }), read: "tracking", expected: "ChronyPermissionError:UNAUTHORIZED" },
  { name: "status(ReplyStatus.NOTENABLED): a disabled report", fault: faults.status(ReplyStatus.NOTENABLED, { report: "rtcdata" }), read: "rtcdata", expected: "ok:null" },
  { name: "status by raw code", fault: { reply: "status", status: 99, report: "tracking" }, read: "tracking", expected: "ChronyError:UNEXPECTED_STATUS" },
  { name: "wrongSequence once: ignored, the retry succeeds", fault: faults.wrongSequence({ report: "tracking", times: 1 }), read: "tracking", retries: 1, expected: /^ok:/ },
  { name: "wrongSequence always: a timeout", fault: faults.wrongSequence({ report: "tracking" }), read: "tracking", retries: 1, expected: "ChronyTimeoutError" },
  { name: "truncate into the record: invalid", fault: faults.truncate(40, { report: "tracking" }), read: "tracking", expected: "ChronyError:INVALID_RESPONSE" },
  { name: "truncate into the header: ignored, a timeout", fault: faults.truncate(12, { report: "tracking" }), read: "tracking", expected: "ChronyTimeoutError" },
  { name: "oversize: accepted", fault: faults.oversize(16, 0xff, { report: "tracking" }), read: "tracking", expected: /^ok:/ },
  { name: "field: an out-of-range enum", fault: faults.field("tracking", "leap status", 7), read: "tracking", expected: "ChronyDataError:leapStatus" },
  { name: "field: a raw value that reads back", fault: faults.field("sources", "reachability", 0, { nth: 2 }), read: "sources", expected: /^ok:.*"reachability":0/ },
  { name: "command scope", fault: faults.noReply({ command: REPORTS.tracking.recordRequest.code }), read: "tracking", expected: "ChronyTimeoutError" },
];

/** A read's outcome class: `ok:` and the value, or the error's class and code (or field). */
async function outcome(connection: ChronyConnection, read: Read): Promise<string> {
  try {
    const value =
      read === "tracking"
        ? { stratum: (await connection.getTracking()).stratum }
        : read === "sources"
          ? (await connection.getSources()).map((s) => ({ address: s.address, reachability: s.reachability }))
          : await connection.getRtcData();
    return `ok:${JSON.stringify(value)}`;
  } catch (error) {
    if (error instanceof ChronyDataError && error.field !== null && error.codeName === null) return `ChronyDataError:${error.field}`;
    if (error instanceof ChronyError) return error.codeName ? `${error.constructor.name}:${error.codeName}` : error.constructor.name;
    throw error;
  }
}

async function run(open: () => Promise<ChronyConnection>, inject: () => { readonly fired: number } & Disposable, read: Read): Promise<{ outcome: string; fired: number; ms: number }> {
  await using connection = await open();
  using handle = inject();
  const started = performance.now();
  const result = await outcome(connection, read);
  return { outcome: result, fired: handle.fired, ms: performance.now() - started };
}

describe("the same fault on the in-process mock and on the fake chronyd over UDP", () => {
  let server: MockChronyd;
  beforeAll(async () => {
    server = await startMockChronyd(STATE);
  });
  afterAll(() => server?.close());

  it.each(CASES)("$name", async ({ fault, read, timeoutMs = 150, retries = 0, expected, minMs = 0 }) => {
    const session = new MockChronySession(STATE);
    const options = { address: server.address, timeoutMs, retries };
    const inProcess = await run(() => ChronyConnection.open({ ...options, lib: session.lib }), () => session.inject(fault), read);
    const overUdp = await run(() => ChronyConnection.open(options), () => server.inject(fault), read);

    expect(inProcess.outcome).toMatch(expected);
    expect(overUdp.outcome).toBe(inProcess.outcome);
    expect(inProcess.fired).toBeGreaterThan(0);
    expect(overUdp.fired).toBe(inProcess.fired);
    expect(inProcess.ms).toBeGreaterThanOrEqual(minMs);
    expect(overUdp.ms).toBeGreaterThanOrEqual(minMs);
    expect(session.openHandles).toEqual({ sockets: 0, sessions: 0 });
  });

  it("rejects, on each front end, the faults only the other applies, naming the one that does", async () => {
    expect(() => server.inject(faults.permissionDenied())).toThrow(/only the in-process mock applies \(@chrony\/mock-session/);
    expect(() => new MockChronySession().inject(faults.noReply({ report: "sourcename" }))).toThrow(/only the fake chronyd \(@chrony\/mock-server\)/);
  });
});
