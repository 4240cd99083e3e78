/** checkAlong: a check at each point of simulated time, on a moving preset. */
import { LeapStatus } from "@chrony/fields";
import { ChronyConnection } from "@chrony/bindings";
import { describe, expect, it } from "vitest";
import { checkAlong, MockChronySession, SCENARIOS } from "../src/index.js";

describe("checkAlong", () => {
  it("advances to each time and collects the check's results: upstream lost, reachability drains while leap stays normal", async () => {
    const session = new MockChronySession(SCENARIOS["upstream-lost"].config);
    const steps = await checkAlong(session, [0, 64, 600], async () => {
      await using chrony = await ChronyConnection.open({ lib: session.lib });
      const [source] = await chrony.getSources();
      return { reachability: source!.reachability, leap: (await chrony.getTracking()).leapStatus };
    });
    expect(steps.map((s) => s.at)).toEqual([0, 64, 600]);
    expect(steps[0]!.result.reachability).toBe(0o377);
    expect(steps[2]!.result.reachability).toBe(0);
    expect(steps.every((s) => s.result.leap === LeapStatus.NORMAL)).toBe(true);
    expect(session.elapsed).toBe(600);
  });

  it("refuses times that go backwards, before the session's time, or are not finite, before moving anything", async () => {
    const session = new MockChronySession(SCENARIOS["upstream-lost"].config);
    session.advance(10);
    for (const at of [[20, 15], [5], [Number.NaN]]) {
      await expect(checkAlong(session, at, () => null)).rejects.toThrow(RangeError);
      expect(session.elapsed).toBe(10);
    }
  });
});

describe("ChronyMock.advance and ChronyMock.checkAlong", () => {
  it("move the current scope's session; resetHandlers() sets the time back to 0", async () => {
    const { setupChronyMock } = await import("../src/index.js");
    const chrony = setupChronyMock("network-partition");
    chrony.listen();
    try {
      chrony.advance(600);
      expect(chrony.session.elapsed).toBe(600);
      await chrony.run(async (session) => {
        // A run has its own session and its own time.
        expect(session.elapsed).toBe(0);
        const steps = await chrony.checkAlong([544, 1800], async () => {
          await using conn = await ChronyConnection.open();
          return (await conn.getSources()).map((s) => s.reachability);
        });
        expect(steps).toEqual([
          { at: 544, result: [0, 0, 0] },
          { at: 1800, result: [1, 1, 1] },
        ]);
      });
      expect(chrony.session.elapsed).toBe(600);
      chrony.resetHandlers();
      expect(chrony.session.elapsed).toBe(0);
    } finally {
      chrony.close();
    }
  });
});
