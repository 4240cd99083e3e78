/**
 * chronyd at its worst, for real: frozen with SIGSTOP, silent while many
 * queries wait, restarting. Each scenario measures what a service using
 * ChronyConnection would feel and checks it against the targets below, for
 * every backend available (libchrony where LIBCHRONY_PATH is set). Run with
 * `pnpm --filter @chrony/bindings soak`; it needs chronyd and chronyc.
 */
import { readFile } from "node:fs/promises";
import { createSocket } from "node:dgram";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ChronyConnection, ChronyError, ChronyTimeoutError, type ChronyBackend } from "../src/index.js";
import { chronydAvailable, startChronydLab, type ChronydLab } from "../test/lab/chronyd.js";

const TARGETS = {
  frozenQueryMs: 450,
  eventLoopBlockMs: 50,
  recoveryMs: 3000,
  fiftyWaitingMs: 700,
  readFileMs: 100,
};

if (!chronydAvailable()) throw new Error("the soak needs chronyd and chronyc (apt-get install chrony)");
const libraryPath = process.env.LIBCHRONY_PATH;
const backends: ChronyBackend[] = ["typescript", ...(libraryPath ? (["libchrony"] as const) : [])];
if (!libraryPath) console.warn("LIBCHRONY_PATH not set: soaking the TypeScript backend only");

/** The longest the event loop went without running a 1 ms interval, while `work` ran. */
async function longestBlock<T>(work: () => Promise<T>): Promise<{ result: T; blockedMs: number }> {
  let last = performance.now();
  let blockedMs = 0;
  const timer = setInterval(() => {
    const now = performance.now();
    blockedMs = Math.max(blockedMs, now - last);
    last = now;
  }, 1);
  try {
    const result = await work();
    return { result, blockedMs };
  } finally {
    clearInterval(timer);
  }
}

const report: string[] = [];
afterAll(() => console.log(`\n${report.join("\n")}\n`));

describe.each(backends)("%s backend", (backend) => {
  let lab: ChronydLab;
  beforeAll(async () => {
    lab = await startChronydLab({ waitForSync: false });
  });
  afterAll(() => lab?.close());
  const open = (address: string, timeoutMs: number, retries: number) => ChronyConnection.open({ address, backend, libraryPath, timeoutMs, retries });

  it("chronyd frozen (SIGSTOP): 20 queries of 100 ms x 2 attempts time out in time, the loop keeps running, and it recovers after SIGCONT", async () => {
    const connection = await open(lab.client.socketPath, 100, 1);
    await connection.getTracking();
    lab.client.pause();
    const durations: number[] = [];
    let resumedAt = 0;
    try {
      const { blockedMs } = await longestBlock(async () => {
        for (let i = 0; i < 20; i++) {
          const started = performance.now();
          const error = await connection.getTracking().then(() => null, (e: unknown) => e);
          durations.push(performance.now() - started);
          expect(error).toBeInstanceOf(ChronyTimeoutError);
        }
      });
      const worst = Math.max(...durations);
      report.push(`${backend}: frozen chronyd: 20 timeouts, slowest ${worst.toFixed(0)} ms (target ${TARGETS.frozenQueryMs}); event loop blocked at most ${blockedMs.toFixed(1)} ms (target ${TARGETS.eventLoopBlockMs})`);
      expect(worst).toBeLessThan(TARGETS.frozenQueryMs);
      expect(blockedMs).toBeLessThan(TARGETS.eventLoopBlockMs);
    } finally {
      lab.client.resume();
      resumedAt = performance.now();
    }
    for (;;) {
      const ok = await connection.getTracking().then(() => true, () => false);
      if (ok) break;
      if (performance.now() - resumedAt > 10_000) throw new Error("no recovery within 10 s");
    }
    const recoveryMs = performance.now() - resumedAt;
    report.push(`${backend}: recovered ${recoveryMs.toFixed(0)} ms after SIGCONT (target ${TARGETS.recoveryMs})`);
    expect(recoveryMs).toBeLessThan(TARGETS.recoveryMs);
    await connection.close();
  });

  for (const via of ["unix", "udp"] as const) {
    it(`50 queries waiting at once on a silent chronyd (${via}) time out in time while fs stays responsive; 300 all fail typed`, async () => {
      // Over UDP a paused chronyd's kernel still queues requests: silence, as over the Unix socket.
      const address = via === "unix" ? lab.client.socketPath : lab.client.udpAddress;
      const fifty = await Promise.all(Array.from({ length: 50 }, () => open(address, 300, 0)));
      lab.client.pause();
      try {
        const started = performance.now();
        const queries = fifty.map((c) => c.getTracking().then(() => null, (e: unknown) => e));
        await new Promise((resolve) => setTimeout(resolve, 50));
        const readStarted = performance.now();
        await readFile(new URL(import.meta.url));
        const readMs = performance.now() - readStarted;
        const errors = await Promise.all(queries);
        const allMs = performance.now() - started;
        report.push(`${backend} over ${via}: 50 waiting queries ended in ${allMs.toFixed(0)} ms (target ${TARGETS.fiftyWaitingMs}); readFile meanwhile ${readMs.toFixed(1)} ms (target ${TARGETS.readFileMs})`);
        expect(errors.every((e) => e instanceof ChronyTimeoutError)).toBe(true);
        expect(allMs).toBeLessThan(TARGETS.fiftyWaitingMs);
        expect(readMs).toBeLessThan(TARGETS.readFileMs);

        const many = await Promise.all(Array.from({ length: 300 }, () => open(address, 300, 0)));
        const manyStarted = performance.now();
        const results = await Promise.all(many.map((c) => c.getTracking().then(() => null, (e: unknown) => e)));
        const typed = results.filter((e) => e instanceof ChronyError).length;
        report.push(`${backend} over ${via}: 300 waiting queries: ${typed} ended in a ChronyError, in ${(performance.now() - manyStarted).toFixed(0)} ms`);
        expect(typed).toBe(300);
        await Promise.all(many.map((c) => c.close()));
      } finally {
        lab.client.resume();
        await Promise.all(fifty.map((c) => c.close()));
      }
    });
  }

  it("a UDP port nobody listens on is reported at once, every time", async () => {
    const probe = createSocket("udp4");
    await new Promise<void>((resolve) => probe.bind(0, "127.0.0.1", resolve));
    const port = probe.address().port;
    await new Promise<void>((resolve) => probe.close(resolve));
    const connection = await open(`127.0.0.1:${port}`, 1000, 2);
    const durations: number[] = [];
    for (let i = 0; i < 20; i++) {
      const started = performance.now();
      await connection.getTracking().catch(() => undefined);
      durations.push(performance.now() - started);
    }
    report.push(`${backend}: closed UDP port: 20 refusals, slowest ${Math.max(...durations).toFixed(1)} ms`);
    expect(Math.max(...durations)).toBeLessThan(100);
    await connection.close();
  });

  it("chronyd restarted in the middle of a loop: the connection comes back by itself", async () => {
    const connection = await open(lab.client.socketPath, 200, 1);
    let failures = 0;
    let successes = 0;
    const restart = (async () => {
      await new Promise((resolve) => setTimeout(resolve, 200));
      await lab.client.stop();
      await lab.client.start();
    })();
    const until = performance.now() + 4000;
    while (performance.now() < until) {
      const ok = await connection.getTracking().then(() => true, (e: unknown) => {
        expect(e).toBeInstanceOf(ChronyError);
        return false;
      });
      if (ok) successes++;
      else failures++;
    }
    await restart;
    await expect(connection.getTracking()).resolves.toBeDefined();
    report.push(`${backend}: restart mid-loop: ${successes} answered, ${failures} failed (typed) while chronyd was down`);
    await connection.close();
  });
});
