/** 10,000 open/query/close cycles through the C test library leave fds and the heap flat. */
import { expect, inject, it } from "vitest";
import { ChronyConnection } from "../src/index.js";
import { heapAfterGc, openFds } from "./memory.js";

const libraryPath = inject("fakeLibchronyPath");
const CYCLES = 10_000;

async function cycle(): Promise<void> {
  const connection = await ChronyConnection.open({ address: "test", libraryPath });
  await connection.getTracking();
  await connection.close();
}

it(`${CYCLES} open/query/close cycles leak no fds and no heap`, async () => {
  for (let i = 0; i < 200; i++) await cycle(); // warm up koffi, JIT and caches
  const fdsBefore = openFds();
  const heapBefore = heapAfterGc();
  for (let i = 0; i < CYCLES; i++) await cycle();
  const fdsAfter = openFds();
  const heapGrowth = heapAfterGc() - heapBefore;
  expect(fdsAfter).toBe(fdsBefore);
  // A leak of even 200 bytes per cycle would be 2 MB.
  expect(heapGrowth).toBeLessThan(2 * 1024 * 1024);
}, 120_000);
