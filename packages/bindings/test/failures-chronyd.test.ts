/**
 * chronyd at its worst, for real and in bounded time: frozen (SIGSTOP),
 * restarted in the middle of a loop, and many queries waiting on it at
 * once. Every failure is a typed ChronyError and the connection recovers by
 * itself; the speed targets live in the soak (`pnpm soak`), not here.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ChronyConnection, ChronyError, ChronyTimeoutError } from "../src/index.js";
import { chronydAvailable, startChronydLab, type ChronydLab } from "./lab/chronyd.js";

const available = chronydAvailable();
if (!available) console.warn("\n" + "!".repeat(78) + "\n  SKIPPED: no chronyd installed: chronyd's failure modes cannot be tried\n" + "!".repeat(78) + "\n");

describe.skipIf(!available)("TypeScript backend against a real chronyd that fails", () => {
  let lab: ChronydLab;
  beforeAll(async () => {
    lab = await startChronydLab({ waitForSync: false });
  }, 30_000);
  afterAll(() => lab?.close());

  for (const via of ["unix", "udp"] as const) {
    it(`frozen chronyd (${via}): queries end in ChronyTimeoutError, then the same connection works after SIGCONT`, async () => {
      const address = via === "unix" ? lab.client.socketPath : lab.client.udpAddress;
      await using connection = await ChronyConnection.open({ address, timeoutMs: 100, retries: 1 });
      await connection.getTracking();
      lab.client.pause();
      try {
        // More than the kernel queues for a stopped chronyd (10 datagrams on a Unix socket): sends then fail with EAGAIN.
        for (let i = 0; i < 15; i++) await expect(connection.getTracking()).rejects.toBeInstanceOf(ChronyTimeoutError);
      } finally {
        lab.client.resume();
      }
      let recovered = false;
      for (let i = 0; i < 50 && !recovered; i++) recovered = await connection.getTracking().then(() => true, () => false);
      expect(recovered).toBe(true);
    }, 30_000);
  }

  it("50 connections waiting at once on a frozen chronyd all end in ChronyTimeoutError", async () => {
    const connections = await Promise.all(Array.from({ length: 50 }, () => ChronyConnection.open({ address: lab.client.socketPath, timeoutMs: 200, retries: 0 })));
    lab.client.pause();
    try {
      const results = await Promise.all(connections.map((c) => c.getTracking().then(() => null, (e: unknown) => e)));
      expect(results.filter((r) => r instanceof ChronyTimeoutError)).toHaveLength(50);
    } finally {
      lab.client.resume();
      await Promise.all(connections.map((c) => c.close()));
    }
  }, 30_000);

  it("chronyd restarted in the middle of a loop: failures are typed, and the connection comes back", async () => {
    await using connection = await ChronyConnection.open({ address: lab.client.socketPath, timeoutMs: 200, retries: 1 });
    let restarted = false;
    const restart = (async () => {
      await lab.client.stop();
      await lab.client.start();
      restarted = true;
    })();
    let queries = 0;
    while (!restarted) {
      queries++;
      // Down, a query fails typed; or its one reopen after a broken socket lands on the restarted chronyd.
      await connection.getTracking().catch((e: unknown) => expect(e).toBeInstanceOf(ChronyError));
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    await restart;
    await expect(connection.getTracking()).resolves.toBeDefined();
    expect(queries).toBeGreaterThan(0);
  }, 30_000);
});
