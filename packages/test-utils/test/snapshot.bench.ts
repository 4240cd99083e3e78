/**
 * A full snapshot — tracking, four sources with their
 * sourcestats, rtcdata — through `ChronyConnection` over the mock session.
 * pychrony's mock takes about 0.7 ms for this on our machines; the goal is
 * at least fifty times faster (≤ 14 µs per snapshot).
 */
import { bench, describe } from "vitest";
import { ChronyConnection } from "@chrony/bindings";
import { MockChronySession } from "@chrony/mock-session";

const STATE = {
  sources: [{ address: "192.0.2.1" }, { address: "192.0.2.2", state: 4 as const }, { address: "2001:db8::3", state: 4 as const }, { address: "GPS", state: 5 as const }],
  rtc: {},
};

async function snapshotBench(log: boolean): Promise<() => Promise<void>> {
  const session = new MockChronySession(STATE, { log });
  const conn = await ChronyConnection.open({ lib: session.lib });
  return async () => {
    await conn.getTracking();
    await conn.getSources();
    await conn.getSourceStats();
    await conn.getRtcData();
    session.clearCalls();
  };
}

describe("full snapshot through ChronyConnection + MockChronySession", async () => {
  bench("call log off", await snapshotBench(false), { time: 2000 });
  bench("call log on (default)", await snapshotBench(true), { time: 2000 });
});
