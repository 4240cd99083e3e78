/** Simulated time over UDP: MockChronyd.advance() moves the served state as MockChronySession.advance() does (the same code). */
import { describe, expect, it } from "vitest";
import { MockChronySession, type ChronyStateConfig } from "@chrony/mock-session";
import { chronyc } from "./chronyc.js";

const UPSTREAM_LOST: ChronyStateConfig = {
  sources: [{ address: "192.0.2.1", poll: 6, lastSampleAgo: 10 }],
  timeline: [
    { at: 0, source: 0, answers: false },
    { at: 1000, source: "192.0.2.1", answers: true },
  ],
};

describe("MockChronyd.advance()", () => {
  it("serves what MockChronySession serves after the same advance(), and chronyc sees the source lost, then back", async () => {
    const { startMockChronyd } = await import("../src/index.js");
    await using server = await startMockChronyd(UPSTREAM_LOST);
    const session = new MockChronySession(UPSTREAM_LOST);
    const sources = async (): Promise<string[]> => (await chronyc(server.host, server.port, ["-n", "-c", "sources"])).lines;
    expect((await sources())[0]).toMatch(/^\^,\*,192\.0\.2\.1,2,6,377,10,/);
    for (const step of [54, 64, 448, 433.5, 0.5]) {
      server.advance(step);
      session.advance(step);
      expect(server.elapsed).toBe(session.elapsed);
    }
    expect(server.elapsed).toBe(1000);
    // At 1000 s the source answers again: its pending request first.
    expect((await sources())[0]).toMatch(/^\^,\*,192\.0\.2\.1,2,6,1,0,/);
    server.reset(UPSTREAM_LOST);
    session.reset(UPSTREAM_LOST);
    server.advance(600);
    session.advance(600);
    expect((await sources())[0]).toMatch(/^\^,\?,192\.0\.2\.1,2,6,0,610,/);
    const tracking = (await chronyc(server.host, server.port, ["-n", "-c", "tracking"])).lines[0]!.split(",");
    // Reference, stratum and leap status kept; root dispersion grown (chronyc prints it in seconds).
    expect(tracking[1]).toBe("192.0.2.1");
    expect(tracking[2]).toBe("3");
    expect(tracking.at(-1)).toBe("Normal");
    expect(Number(tracking[11])).toBeCloseTo(session.state.tracking.rootDispersion, 6);
    expect(session.state.tracking.rootDispersion).toBeGreaterThan(new MockChronySession(UPSTREAM_LOST).state.tracking.rootDispersion + 5e-4);
  });

  it("rejects a bad time and keeps the state", async () => {
    const { startMockChronyd } = await import("../src/index.js");
    await using server = await startMockChronyd(UPSTREAM_LOST);
    server.advance(1);
    expect(() => server.advance(-1)).toThrow(RangeError);
    expect(() => server.advance(NaN)).toThrow(RangeError);
    expect(server.elapsed).toBe(1);
    server.update({ tracking: { stratum: 5 } });
    expect(server.elapsed).toBe(1);
  });
});
