/**
 * The TypeScript backend against a real chronyd leaks nothing: 20,000
 * queries on one connection keep fds and the heap flat, and open/close
 * cycles leave no client socket behind next to chronyd's socket.
 */
import { readdirSync } from "node:fs";
import { dirname } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ChronyConnection } from "../src/index.js";
import { heapAfterGc, openFds } from "./memory.js";
import { chronydAvailable, startChronydLab, type ChronydLab } from "./lab/chronyd.js";

const available = chronydAvailable();
if (!available) console.warn("\n" + "!".repeat(78) + "\n  SKIPPED: no chronyd installed: the real-chronyd leak test cannot run\n" + "!".repeat(78) + "\n");

describe.skipIf(!available)("TypeScript backend against real chronyd: nothing grows", () => {
  let lab: ChronydLab;
  beforeAll(async () => {
    lab = await startChronydLab({ waitForSync: false });
  }, 30_000);
  afterAll(() => lab?.close());

  const clientSockets = () => readdirSync(dirname(lab.client.socketPath)).filter((name) => name !== "chronyd.sock");

  for (const via of ["unix", "udp"] as const) {
    it(`20,000 queries on one connection over ${via}: fds and heap flat`, async () => {
      await using connection = await ChronyConnection.open({ address: via === "unix" ? lab.client.socketPath : lab.client.udpAddress });
      for (let i = 0; i < 500; i++) await connection.getTracking(); // warm up JIT and caches
      const fdsBefore = openFds();
      const heapBefore = heapAfterGc();
      for (let i = 0; i < 20_000; i++) await connection.getTracking();
      expect(openFds()).toBe(fdsBefore);
      // A leak of 100 bytes per query would be 2 MB.
      expect(heapAfterGc() - heapBefore).toBeLessThan(2 * 1024 * 1024);
    }, 120_000);
  }

  it("200 open/query/close cycles over the Unix socket leave no client socket and no fd behind", async () => {
    const fdsBefore = openFds();
    expect(clientSockets()).toEqual([]);
    for (let i = 0; i < 200; i++) {
      const connection = await ChronyConnection.open({ address: lab.client.socketPath });
      await connection.getTracking();
      expect(clientSockets()).toHaveLength(1);
      await connection.close();
    }
    expect(clientSockets()).toEqual([]);
    expect(openFds()).toBe(fdsBefore);
  }, 60_000);
});
