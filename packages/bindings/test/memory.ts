/** What the leak tests measure: open file descriptors, and the heap after full collections. */
import { readdirSync } from "node:fs";

export const openFds = (): number => readdirSync("/proc/self/fd").length;

export function heapAfterGc(): number {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error("run with --expose-gc (vitest.config.ts sets execArgv)");
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}
