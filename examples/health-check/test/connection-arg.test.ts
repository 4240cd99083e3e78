// checkHealth(conn): the caller's connection, left open; here from the vitest fixture.
import { SCENARIO_LEAP_INSERT } from "@chrony/scenarios";
import { faults, withMockChrony } from "@chrony/test-utils";
import { chronyTest } from "@chrony/test-utils/vitest";
import { describe, expect } from "vitest";
import { checkHealth } from "../src/index.js";

chronyTest("checks the connection it is given and leaves it open", async ({ chrony }) => {
  expect((await checkHealth(chrony)).verdict).toBe("ok");
  expect(chrony.closed).toBe(false);
  expect((await chrony.getTracking()).stratum).toBe(2);
});

describe("a leap-second host", () => {
  const leapTest = chronyTest.override({ chronyState: SCENARIO_LEAP_INSERT });
  leapTest("warns", async ({ chrony }) => {
    expect((await checkHealth(chrony)).reasons).toEqual(["leap second pending: insert second at the end of the day"]);
  });
});

chronyTest("a fault on the fixture's session", async ({ chrony, chronySession }) => {
  using _ = chronySession.inject(faults.status("UNAUTH"));
  expect((await checkHealth(chrony)).values.error).toBe("ChronyPermissionError");
});

chronyTest("withMockChrony works too", async () => {
  const verdict = await withMockChrony("unsync", async (conn) => (await checkHealth(conn)).verdict);
  expect(verdict).toBe("critical");
});
