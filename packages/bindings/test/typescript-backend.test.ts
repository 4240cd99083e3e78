/**
 * The default backend against a fake chronyd on real UDP sockets: every
 * report as the in-process mock gives it, and chronyd's failure modes as
 * typed errors (refused port, silence, stale replies, UDP refusals).
 */
import { createSocket, type Socket } from "node:dgram";
import { AuthMode, REPORT_NAMES, SourceMode, SourceState } from "@chrony/fields";
import { faults, startMockChronyd, type MockChronyd } from "@chrony/mock-server";
import { MockChronySession, type ChronyStateConfig } from "@chrony/mock-session";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ChronyConnection, ChronyConnectionError, ChronyError, ChronyPermissionError, ChronyTimeoutError } from "../src/index.js";

const STATE: ChronyStateConfig = {
  serverVersion: "4.6",
  tracking: { offset: -0.000012345, frequency: -12.345, rootDispersion: 0.000456 },
  sources: [
    { address: "GPS", poll: 4, reachability: 0o377 },
    { address: "192.0.2.1", state: SourceState.UNSELECTED, poll: -3, authdata: { mode: AuthMode.NTS }, ntpdata: { precision: -20 } },
    { address: "2001:db8::1", state: SourceState.SELECTABLE },
    { address: "198.51.100.7", mode: SourceMode.PEER, state: SourceState.FALSETICKER },
  ],
  rtc: { samples: 12, offset: -0.654321 },
  serverstats: { receivedNtpRequests: 123456, ntpTimestampSpan: 3600 },
};

/** A UDP socket that reads every request and never answers: chronyd frozen or lost. */
async function silentServer(): Promise<{ socket: Socket; address: string }> {
  const socket = createSocket("udp4");
  socket.on("message", () => undefined);
  await new Promise<void>((resolve) => socket.bind(0, "127.0.0.1", resolve));
  return { socket, address: `127.0.0.1:${socket.address().port}` };
}

/** A port nothing listens on: bound, then closed. */
async function closedPort(): Promise<string> {
  const { socket, address } = await silentServer();
  await new Promise<void>((resolve) => socket.close(resolve));
  return address;
}

describe("typescript backend over UDP against the fake chronyd", () => {
  let server: MockChronyd;
  beforeAll(async () => {
    server = await startMockChronyd(STATE);
  });
  afterAll(() => server?.close());

  it("reads every report exactly as the in-process mock session does", async () => {
    await using udp = await ChronyConnection.open({ address: server.address });
    await using mock = await ChronyConnection.open({ lib: new MockChronySession(STATE).lib, address: server.address });
    // Reports chronyd disables (smoothing here) must fail alike too.
    const settle = (p: Promise<unknown>) => p.catch((e: unknown) => (e instanceof ChronyError ? { error: e.codeName } : e));
    for (const name of REPORT_NAMES) {
      expect(await settle(udp.getReport(name)), name).toEqual(await settle(mock.getReport(name)));
    }
    expect(await udp.getSmoothing()).toBeNull();
    const sources = await udp.getSources();
    expect(sources.map((s) => s.address)).toEqual(["GPS", "192.0.2.1", "2001:db8::1", "198.51.100.7"]);
    expect(sources[1]!.poll).toBe(-3);
    expect((await udp.getNtpData())[1]!.precision).toBe(-20);
  });

  it("reads over IPv6 loopback", async () => {
    await using server6 = await startMockChronyd(STATE, { host: "::1" });
    await using connection = await ChronyConnection.open({ address: server6.address });
    expect((await connection.getTracking()).frequency).toBeCloseTo(-12.345, 4);
  });

  it("names UDP as the reason when chronyd refuses a report there, without telling root to become root", async () => {
    await using restricted = await startMockChronyd(STATE, { udpRestrictions: true });
    await using connection = await ChronyConnection.open({ address: restricted.address });
    await expect(connection.getTracking()).resolves.toBeDefined();
    const error = await connection.getServerStats().then(() => null, (e: unknown) => e);
    expect(error).toBeInstanceOf(ChronyPermissionError);
    expect((error as Error).message).toMatch(/over UDP/);
    expect((error as Error).message).toMatch(/Unix socket/);
    expect((error as Error).message).not.toMatch(/\.\./);
  });

  it("ignores replies with a wrong sequence number and takes the next attempt's reply", async () => {
    using stale = server.inject(faults.wrongSequence({ report: "tracking", times: 1 }));
    await using connection = await ChronyConnection.open({ address: server.address, timeoutMs: 150, retries: 2 });
    await expect(connection.getTracking()).resolves.toBeDefined();
    expect(stale.fired).toBe(1);
  });

  it("fails with the status chronyd answers, typed", async () => {
    const handle = server.inject(faults.status("NOSUCHSOURCE", { report: "tracking", times: 1 }));
    await using connection = await ChronyConnection.open({ address: server.address });
    const error = await connection.getTracking().then(() => null, (e: unknown) => e);
    handle.dispose();
    expect(error).toBeInstanceOf(ChronyError);
    expect((error as ChronyError).codeName).toBe("UNEXPECTED_STATUS");
  });
});

describe("typescript backend: failures are typed and bounded", () => {
  it("reports a closed port as ChronyConnectionError (ECONNREFUSED) at once, every time", async () => {
    const address = await closedPort();
    await using connection = await ChronyConnection.open({ address, timeoutMs: 5000 });
    for (let i = 0; i < 3; i++) {
      const started = performance.now();
      const error = await connection.getTracking().then(() => null, (e: unknown) => e);
      expect(error).toBeInstanceOf(ChronyConnectionError);
      expect((error as ChronyConnectionError).errno).toBe(111);
      // Far below the 5 s timeout: the refusal is reported, not waited out.
      expect(performance.now() - started).toBeLessThan(2500);
    }
  });

  it("times out on a silent server after every attempt, then works once chronyd answers again", async () => {
    const { socket, address } = await silentServer();
    await using connection = await ChronyConnection.open({ address, timeoutMs: 100, retries: 1 });
    const error = await connection.getTracking().then(() => null, (e: unknown) => e);
    expect(error).toBeInstanceOf(ChronyTimeoutError);
    expect(error).toMatchObject({ attempts: 2, timeoutMs: 100 });
    // Now answer: the connection replaced its session and reads again.
    socket.removeAllListeners("message");
    const port = socket.address().port;
    await new Promise<void>((resolve) => socket.close(resolve));
    const revived = await startMockChronyd(STATE, { port });
    await expect(connection.getTracking()).resolves.toBeDefined();
    await revived.close();
  });

  it("300 queries waiting at once on a silent server all end in a ChronyError", async () => {
    const { socket, address } = await silentServer();
    try {
      const connections = await Promise.all(Array.from({ length: 300 }, () => ChronyConnection.open({ address, timeoutMs: 200, retries: 0 })));
      const results = await Promise.all(connections.map((c) => c.getTracking().then(() => null, (e: unknown) => e)));
      expect(results.every((r) => r instanceof ChronyTimeoutError)).toBe(true);
      await Promise.all(connections.map((c) => c.close()));
    } finally {
      socket.close();
    }
  });

  it("survives a restart of chronyd in the middle of a loop", async () => {
    const first = await startMockChronyd(STATE);
    const port = first.port;
    await using connection = await ChronyConnection.open({ address: first.address, timeoutMs: 200, retries: 1 });
    await expect(connection.getTracking()).resolves.toBeDefined();
    await first.close();
    const down = await connection.getTracking().then(() => null, (e: unknown) => e);
    expect(down).toBeInstanceOf(ChronyError);
    const second = await startMockChronyd(STATE, { port });
    await expect(connection.getTracking()).resolves.toBeDefined();
    await second.close();
  });
});
