import { LeapStatus } from "@chrony/fields";
import { ChronyConnection, ChronyTimeoutError } from "@chrony/bindings";
import { SCENARIO_LEAP_INSERT } from "@chrony/scenarios";
import { describe, expect } from "vitest";
import { faults, type MockChronySession } from "../src/index.js";
import { chronyTest } from "../src/vitest.js";

chronyTest("chrony: a connection on SCENARIO_NTP_SYNCED", async ({ chrony, chronySession }) => {
  expect((await chrony.getTracking()).stratum).toBe(2);
  expect(chrony.session).toBe(chronySession);
});

chronyTest.concurrent("concurrent tests each get their own session (a)", async ({ chrony, expect }) => {
  chrony.session.update({ tracking: { stratum: 6 } });
  await new Promise((r) => setTimeout(r, 10));
  expect((await chrony.getTracking()).stratum).toBe(6);
});

chronyTest.concurrent("concurrent tests each get their own session (b)", async ({ chrony, expect }) => {
  chrony.session.update({ tracking: { stratum: 8 } });
  await new Promise((r) => setTimeout(r, 5));
  expect((await chrony.getTracking()).stratum).toBe(8);
});

describe("chronyState / chronyOptions overrides", () => {
  const leapTest = chronyTest.override({ chronyState: SCENARIO_LEAP_INSERT, chronyOptions: { timeoutMs: 20, retries: 0 } });

  leapTest("state from the override", async ({ chrony }) => {
    expect((await chrony.getTracking()).leapStatus).toBe(LeapStatus.INSERT_SECOND);
  });

  leapTest("faults on the session, short timeout from the options", async ({ chrony, chronySession }) => {
    chronySession.inject(faults.noReply());
    await expect(chrony.getTracking()).rejects.toBeInstanceOf(ChronyTimeoutError);
  });
});

describe("a preset name as state", () => {
  chronyTest.override({ chronyState: "gps-refclock" });
  chronyTest("reads the GPS preset", async ({ chrony }) => {
    expect((await chrony.getTracking()).referenceIdName).toBe("GPS");
  });
});

describe("teardown after a failing test", () => {
  let failed: MockChronySession | undefined;

  // Expected to fail; the fixtures' teardown must still close everything.
  chronyTest.fails("a test body that throws mid-use", async ({ chrony, chronySession }) => {
    failed = chronySession;
    await ChronyConnection.open({ lib: chronySession.lib, address: "/run/chrony/chronyd.sock" }).then((c) => c.close());
    await chrony.getTracking();
    throw new Error("the test body failed");
  });

  chronyTest("left no open handles behind", () => {
    expect(failed).toBeDefined();
    expect(failed!.openHandles).toEqual({ sockets: 0, sessions: 0 });
  });
});
