/** The call log is a bounded window by default: long tests do not grow the heap. */
import { describe, expect, it } from "vitest";
import { DEFAULT_CALL_LOG_SIZE, MockChronySession } from "../src/index.js";
import { openSession, readReport } from "./drive.js";

/** One tracking read the way a client does it: open, read, close. */
function drive(lib: MockChronySession["lib"]): void {
  const { s, close } = openSession(lib);
  readReport(lib, s, "tracking");
  close();
}

function heapAfterGc(): number {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error("run with --expose-gc (vitest.config.ts sets execArgv)");
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

describe("call log", () => {
  it("keeps the latest calls only, so 100,000 tracking reads with default options leave the heap flat", { timeout: 120_000 }, () => {
    const mock = new MockChronySession();
    drive(mock.lib);
    const before = heapAfterGc();
    for (let i = 0; i < 100_000; i++) drive(mock.lib);
    const grown = heapAfterGc() - before;
    expect(mock.calls).toHaveLength(DEFAULT_CALL_LOG_SIZE);
    expect(mock.calls.at(-1)!.fn).toBe("chrony_close_socket");
    // Unbounded, the same loop kept millions of records (hundreds of MiB).
    expect(grown).toBeLessThan(8 * 1024 * 1024);
  });

  it("takes a window size, Infinity, or false", () => {
    const small = new MockChronySession({}, { log: 5 });
    drive(small.lib);
    expect(small.calls).toHaveLength(5);
    const all = new MockChronySession({}, { log: Infinity });
    for (let i = 0; i < 200; i++) drive(all.lib);
    expect(all.calls.length).toBeGreaterThan(DEFAULT_CALL_LOG_SIZE);
    const none = new MockChronySession({}, { log: false });
    drive(none.lib);
    expect(none.calls).toEqual([]);
  });

  it("rejects a window that is not a size", () => {
    for (const log of [-1, 1.5, Number.NaN]) expect(() => new MockChronySession({}, { log })).toThrow(RangeError);
  });
});
