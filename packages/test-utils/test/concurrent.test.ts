// Concurrent tests in one file, each with its own state, interleaving at awaits:
// the override's AsyncLocalStorage scope gives every test body its own mock session.
import { setTimeout as sleep } from "node:timers/promises";
import { LeapStatus } from "@chrony/fields";
import { ChronyConnection } from "@chrony/bindings";
import { describe, expect, test } from "vitest";
import { setupChronyMock } from "../src/index.js";
import { useChronyMock } from "../src/vitest.js";

/** Code under test: opens its own connection, twice, with a pause between (so tests interleave). */
async function observe(pauseMs: number): Promise<{ leap: number; stratum: number; sources: number }[]> {
  const seen = [];
  for (let i = 0; i < 2; i++) {
    await using connection = await ChronyConnection.open();
    const tracking = await connection.getTracking();
    seen.push({ leap: tracking.leapStatus, stratum: tracking.stratum, sources: (await connection.getSources()).length });
    await sleep(pauseMs);
  }
  return seen;
}

/** Records the order tests pass their checkpoints, to prove they interleaved. */
const events: string[] = [];

describe("useChronyMock(): aroundEach + run() per test", () => {
  const chrony = useChronyMock(setupChronyMock("ntp-synced"));

  const cases = [
    { name: "insert", leap: LeapStatus.INSERT_SECOND, stratum: 4, pause: 30 },
    { name: "delete", leap: LeapStatus.DELETE_SECOND, stratum: 7, pause: 5 },
    { name: "normal", leap: LeapStatus.NORMAL, stratum: 9, pause: 15 },
  ] as const;

  for (const c of cases) {
    test.concurrent(`sees only its own state: ${c.name}`, async ({ expect }) => {
      events.push(`${c.name}:start`);
      chrony.use({ tracking: { leapStatus: c.leap, stratum: c.stratum } });
      await sleep(10); // the others set their state meanwhile
      const seen = await observe(c.pause);
      events.push(`${c.name}:end`);
      expect(seen).toEqual([
        { leap: c.leap, stratum: c.stratum, sources: 1 },
        { leap: c.leap, stratum: c.stratum, sources: 1 },
      ]);
      expect(chrony.session.currentConfig.tracking?.stratum).toBe(c.stratum);
    });
  }

  test.concurrent("one that replaces the sources", async ({ expect }) => {
    events.push("sources:start");
    chrony.use({ sources: [] });
    await sleep(20);
    expect((await observe(1)).map((s) => s.sources)).toEqual([0, 0]);
    events.push("sources:end");
  });

  test("they interleaved (all started before any ended)", () => {
    const firstEnd = events.findIndex((e) => e.endsWith(":end"));
    expect(events.slice(0, firstEnd).filter((e) => e.endsWith(":start"))).toHaveLength(4);
  });

  test("the root scope never saw any of it", async () => {
    expect(chrony.listening).toBe(true);
    // This test runs in its own scope too; its fresh session has the initial state.
    expect((await observe(0))[0]).toEqual({ leap: LeapStatus.NORMAL, stratum: 2, sources: 1 });
  });
});

describe("run() by hand, without vitest hooks (any runner)", () => {
  test("parallel run() calls with different presets stay apart", async () => {
    const chrony = setupChronyMock();
    chrony.listen();
    try {
      const names = ["gps-refclock", "unsync", "stratum-max", "leap-insert", "many-sources"] as const;
      const results = await Promise.all(
        names.map((name, i) =>
          chrony.run(name, async () => {
            await sleep((names.length - i) * 3);
            return observe(i);
          }),
        ),
      );
      expect(results.map((r) => r[1]!.stratum)).toEqual([1, 0, 15, 2, 3]);
      expect(results.map((r) => r[0]!.sources)).toEqual([1, 0, 1, 1, 64]);
    } finally {
      chrony.close();
    }
  });
});
