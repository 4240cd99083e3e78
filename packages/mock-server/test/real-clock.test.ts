/**
 * `clock: "real"`: simulated time follows a monotonic real clock, read when a
 * request arrives (no timer), and advance() jumps ahead on top of it. Most
 * tests fake `performance.now()` to stay exact; one lets real chronyc watch
 * real seconds pass.
 */
import { afterEach, describe, expect, it, vi } from "vitest";
import { MAX_ELAPSED, configAt, stateAt, type ChronyStateConfig } from "@chrony/mock-session";
import { USAGE } from "../src/cli-args.js";
import { parseArguments, startMockChronyd, type MockChronyd } from "../src/index.js";
import { expectedChronyc } from "./chronyc-expected.js";
import { chronyc, chronycVersion } from "./chronyc.js";

// The server's own stateAt, spied on (and otherwise unchanged) to make it refuse a time once.
vi.mock("@chrony/mock-session", async (importOriginal) => {
  const actual = await importOriginal<typeof import("@chrony/mock-session")>();
  return { ...actual, stateAt: vi.fn(actual.stateAt) };
});

/** A source polling every second that stops answering at the start: its register shifts a 0 in every second. */
const LOST_AT_START: ChronyStateConfig = {
  sources: [{ address: "192.0.2.1", poll: 0, lastSampleAgo: 0 }],
  timeline: [{ at: 0, source: 0, answers: false }],
};

const sources = async (server: MockChronyd): Promise<string[]> => (await chronyc(server.host, server.port, ["-n", "-c", "sources"])).lines;
/** What chronyc prints for LOST_AT_START `elapsed` simulated seconds after the start. */
const sourcesAt = (elapsed: number): string[] => expectedChronyc(configAt(LOST_AT_START, elapsed), "sources");
/** The reachability register chronyc prints (octal), the sixth field of `-c sources`. */
const reach = (line: string | undefined): string | undefined => line?.split(",")[5];

describe('startMockChronyd(state, { clock: "real" }) with a faked performance.now()', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it("serves the state at the real seconds since the start, plus advance(), and restarts at 0 on reset()", async () => {
    vi.useFakeTimers({ toFake: ["performance"] });
    await using server = await startMockChronyd(LOST_AT_START, { clock: "real" });
    expect(reach((await sources(server))[0])).toBe("377");
    vi.advanceTimersByTime(3000);
    expect(server.elapsed).toBe(3);
    const after3s = await sources(server);
    expect(after3s).toEqual(sourcesAt(3));
    expect(reach(after3s[0])).not.toBe("377");
    // advance() jumps ahead of the real clock.
    server.advance(10);
    vi.advanceTimersByTime(500);
    expect(server.elapsed).toBe(13.5);
    expect(await sources(server)).toEqual(sourcesAt(13.5));
    // An update is served at the current time too: without the timeline, the source has answered all along.
    server.update({ timeline: [] });
    expect(server.elapsed).toBe(13.5);
    const answering = await sources(server);
    expect(answering).toEqual(expectedChronyc(configAt(server.config, 13.5), "sources"));
    expect(reach(answering[0])).toBe("377");
    server.reset(LOST_AT_START);
    expect(server.elapsed).toBe(0);
    vi.advanceTimersByTime(1000);
    expect(server.elapsed).toBe(1);
    expect(await sources(server)).toEqual(sourcesAt(1));
  });

  it("moves nothing in manual mode (the default) until advance()", async () => {
    vi.useFakeTimers({ toFake: ["performance"] });
    for (const options of [{}, { clock: "manual" as const }]) {
      await using server = await startMockChronyd(LOST_AT_START, options);
      vi.advanceTimersByTime(3000);
      expect(server.elapsed).toBe(0);
      expect(await sources(server)).toEqual(sourcesAt(0));
      server.advance(3);
      expect(server.elapsed).toBe(3);
      expect(await sources(server)).toEqual(sourcesAt(3));
    }
  });

  it("stays within the simulation's range when real time carries advances past it", async () => {
    vi.useFakeTimers({ toFake: ["performance"] });
    // No sources: nothing but the time limits how far this state can be simulated.
    await using server = await startMockChronyd({}, { clock: "real" });
    server.advance(MAX_ELAPSED - 1);
    vi.advanceTimersByTime(5000);
    expect(server.elapsed).toBe(MAX_ELAPSED);
    const { lines } = await chronyc(server.host, server.port, ["-n", "-c", "tracking"]);
    expect(lines).toEqual(expectedChronyc(configAt({}, MAX_ELAPSED), "tracking"));
    expect(() => server.advance(MAX_ELAPSED)).toThrow(RangeError);
    expect(server.elapsed).toBe(MAX_ELAPSED);
  });

  it("keeps answering from the last state when the simulation refuses the time real seconds reached", async () => {
    vi.useFakeTimers({ toFake: ["performance"] });
    await using server = await startMockChronyd(LOST_AT_START, { clock: "real" });
    vi.advanceTimersByTime(3000);
    const atStart = sourcesAt(0);
    const refuse = vi.mocked(stateAt).mockImplementation(() => {
      throw new RangeError("beyond the simulation");
    });
    try {
      expect(await sources(server)).toEqual(atStart);
    } finally {
      refuse.mockReset();
    }
    expect(await sources(server)).toEqual(sourcesAt(3));
  });
});

describe("the clock option and --real-time", () => {
  it("rejects any other clock before binding, naming the allowed values", async () => {
    await using taken = await startMockChronyd();
    // On a port already in use, a bind would fail with EADDRINUSE: the TypeError shows nothing was bound.
    for (const clock of ["wall", "", "REAL", 1, null]) {
      await expect(startMockChronyd({}, { port: taken.port, clock: clock as never })).rejects.toThrow(
        expect.objectContaining({ name: "TypeError", message: expect.stringMatching(/^clock: expected "manual" or "real", got /) }),
      );
    }
    await expect(startMockChronyd({}, { clock: "wall" as never })).rejects.toThrow('clock: expected "manual" or "real", got "wall"');
  });

  it("--real-time sets clock: \"real\" and is in --help", () => {
    expect(parseArguments(["--state", "s.json", "--real-time"]).options).toEqual({ clock: "real" });
    expect(parseArguments(["--state", "s.json"]).options.clock).toBeUndefined();
    expect(USAGE).toMatch(/^ {2}--real-time {2,}\S/m);
  });
});

describe('real chronyc against clock: "real"', () => {
  it("sees the reachability register shift as real seconds pass", async () => {
    expect(chronycVersion()).toMatch(/^chronyc \(chrony\) version 4\./);
    await using server = await startMockChronyd(LOST_AT_START, { clock: "real" });
    expect(reach((await sources(server))[0])).toBe("377");
    await new Promise((resolve) => setTimeout(resolve, 2200));
    const before = server.elapsed;
    const [line] = await sources(server);
    const after = server.elapsed;
    expect(before).toBeGreaterThanOrEqual(2.2);
    expect(reach(line)).not.toBe("377");
    // The state moves at whole seconds: chronyc saw the one at `before` or at a whole second up to `after`.
    const times = [before];
    for (let t = Math.floor(before) + 1; t <= after; t++) times.push(t);
    expect(times.map((t) => sourcesAt(t)[0])).toContain(line);
  });
});
