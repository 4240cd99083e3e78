/**
 * The TypeScript backend's speed against C: tracking queries to a real
 * chronyd over its Unix socket, made by two programs of their own, one in C
 * with libchrony (`tracking-from-c.c`, built here with `cc`) and one in
 * Node through ChronyConnection (`tracking-from-typescript.mjs`), in
 * alternating rounds of one run so that both meet the same machine.
 * Needs LIBCHRONY_PATH (a libchrony to load) and chronyd.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chronydAvailable, startChronydLab, type ChronydLab } from "../test/lab/chronyd.js";

/** The TypeScript backend's mean time per query, at most this many times C's (the median of the rounds). */
const TARGET_RATIO = 1.3;
const ROUNDS = 10;
const QUERIES = 10_000;
/** Queries before each timed run: the C library's caches, and V8's compiled code. */
const WARMUP = 2_000;

interface Timing {
  readonly mean: number;
  readonly median: number;
  readonly p99: number;
}

const libraryPath = process.env.LIBCHRONY_PATH;
if (!libraryPath) {
  console.warn(`\n${"!".repeat(78)}\n  SKIPPED: LIBCHRONY_PATH is not set, so there is no libchrony to compare the TypeScript backend with\n${"!".repeat(78)}\n`);
}

const middle = (values: readonly number[]): number => [...values].sort((a, b) => a - b)[values.length >> 1]!;
const format = (t: Timing): string => `mean ${t.mean.toFixed(1)} µs, median ${t.median.toFixed(1)}, p99 ${t.p99.toFixed(0)}`;

describe.skipIf(!libraryPath)("tracking over the Unix socket, side by side with C", () => {
  let directory: string;
  let program: string;
  let lab: ChronydLab;

  beforeAll(async () => {
    if (!chronydAvailable()) throw new Error("the comparison needs chronyd (apt-get install chrony)");
    directory = mkdtempSync(join(tmpdir(), "chrony-side-by-side-"));
    program = join(directory, "tracking-from-c");
    execFileSync(process.env.CC ?? "cc", ["-std=c11", "-O2", "-Wall", "-Werror", "-o", program, join(import.meta.dirname, "tracking-from-c.c"), "-ldl"]);
    lab = await startChronydLab();
  });

  afterAll(async () => {
    await lab?.close();
    if (directory) rmSync(directory, { recursive: true, force: true });
  });

  it(`takes at most ${TARGET_RATIO} times as long as C`, () => {
    // The lab's server: a chronyd as quiet as most are (the client polls 16 times a second, far from typical).
    const address = lab.server.socketPath;
    const lines: string[] = [];
    const ratios: number[] = [];
    const medianRatios: number[] = [];
    const run = (command: string, args: readonly string[]): Timing => JSON.parse(execFileSync(command, args, { encoding: "utf8" })) as Timing;
    for (let round = 1; round <= ROUNDS; round++) {
      const c = run(program, [libraryPath!, address, String(QUERIES), String(WARMUP)]);
      const ts = run(process.execPath, [join(import.meta.dirname, "tracking-from-typescript.mjs"), address, String(QUERIES), String(WARMUP)]);
      ratios.push(ts.mean / c.mean);
      medianRatios.push(ts.median / c.median);
      lines.push(`round ${round}: C ${format(c)} | TypeScript ${format(ts)} | ratio of means ${(ts.mean / c.mean).toFixed(2)}`);
    }
    const sorted = [...ratios].sort((a, b) => a - b);
    lines.push(`ratio of means over ${ROUNDS} rounds: median ${middle(ratios).toFixed(2)}, lowest ${sorted[0]!.toFixed(2)}, highest ${sorted.at(-1)!.toFixed(2)} (target ${TARGET_RATIO})`);
    // Not the target, but says how much of the difference is the tail (slow queries) rather than the typical query.
    lines.push(`ratio of medians over ${ROUNDS} rounds: median ${middle(medianRatios).toFixed(2)}`);
    console.log(`\n${lines.join("\n")}\n`);
    expect(middle(ratios)).toBeLessThanOrEqual(TARGET_RATIO);
  });
});
