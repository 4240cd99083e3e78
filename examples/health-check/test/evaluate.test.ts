// The verdict logic alone, on reports built with @chrony/test-utils' factories.
import { makeRtcData, makeSource, makeTracking } from "@chrony/test-utils";
import { describe, expect, it } from "vitest";
import { evaluateHealth } from "../src/index.js";

const INSERT_SECOND = 1;
const NOT_SYNCHRONIZED = 3;
const FALSETICKER = 2;
const SELECTABLE = 5;

const healthy = { tracking: makeTracking(), sources: [makeSource()], rtc: null };

describe("evaluateHealth", () => {
  it("ok for a healthy snapshot", () => {
    expect(evaluateHealth(healthy)).toMatchObject({ verdict: "ok", reasons: [] });
  });

  it("warns about a pending leap second", () => {
    const report = evaluateHealth({ ...healthy, tracking: makeTracking({ leapStatus: INSERT_SECOND }) });
    expect(report.verdict).toBe("warn");
    expect(report.reasons).toEqual(["leap second pending: insert second at the end of the day"]);
  });

  it("critical when not synchronized", () => {
    const tracking = makeTracking({ referenceId: 0, referenceIp: "", stratum: 0, leapStatus: NOT_SYNCHRONIZED });
    expect(evaluateHealth({ ...healthy, tracking }).verdict).toBe("critical");
  });

  it("counts reachable and selectable sources", () => {
    const sources = [makeSource(), makeSource({ address: "192.0.2.2", state: SELECTABLE }), makeSource({ address: "192.0.2.3", state: FALSETICKER, reachability: 0 })];
    const report = evaluateHealth({ ...healthy, sources });
    expect(report.values).toMatchObject({ sources: 3, reachableSources: 2, selectableSources: 2, falsetickers: 1 });
    expect(report.reasons).toEqual(["1 of 3 source(s) unreachable", "1 falseticker(s)"]);
  });

  it("critical with no reachable source", () => {
    const report = evaluateHealth({ ...healthy, sources: [makeSource({ reachability: 0 })] });
    expect(report.verdict).toBe("critical");
    expect(report.reasons).toContain("none of the 1 source(s) is reachable");
  });

  it("a minimum of selectable sources", () => {
    expect(evaluateHealth(healthy, { minSelectableSources: 2 }).reasons).toEqual(["1 selectable source(s), need 2"]);
  });

  it("RTC drift against its limit", () => {
    expect(evaluateHealth({ ...healthy, rtc: makeRtcData({ freqOffset: 12 }) }).verdict).toBe("ok");
    expect(evaluateHealth({ ...healthy, rtc: makeRtcData({ freqOffset: -250 }) }).reasons).toEqual(["RTC drifting -250.000 ppm (beyond 100 ppm)"]);
    expect(evaluateHealth({ ...healthy, rtc: makeRtcData({ freqOffset: -250 }) }, { rtcDriftWarnPpm: 300 }).verdict).toBe("ok");
  });

  it("critical reasons come before warnings", () => {
    const tracking = makeTracking({ offset: 2, leapStatus: INSERT_SECOND });
    const report = evaluateHealth({ ...healthy, tracking });
    expect(report.verdict).toBe("critical");
    expect(report.reasons[0]).toMatch(/^offset 2\.000 s beyond 1\.000 s/);
    expect(report.reasons.at(-1)).toMatch(/^leap second pending/);
  });
});
