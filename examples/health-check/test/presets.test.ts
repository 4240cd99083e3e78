// Every preset of @chrony/scenarios through the health check, which opens its own
// ChronyConnection: the scoped override of @chrony/test-utils gives each
// (concurrent) test its own mock session.
import { SCENARIOS, type ScenarioName } from "@chrony/scenarios";
import { setupChronyMock } from "@chrony/test-utils";
import { useChronyMock } from "@chrony/test-utils/vitest";
import { describe, expect, test } from "vitest";
import { checkHealth, type Verdict } from "../src/index.js";

/** The expected verdict of every preset, and a reason it must give (none for ok). */
const EXPECTED: Record<ScenarioName, { verdict: Verdict; because?: RegExp }> = {
  "ntp-synced": { verdict: "ok" },
  unsync: { verdict: "critical", because: /not synchronized/ },
  "leap-insert": { verdict: "warn", because: /leap second pending: insert second/ },
  "leap-delete": { verdict: "warn", because: /leap second pending: delete second/ },
  "gps-refclock": { verdict: "ok" },
  "pps-refclock": { verdict: "ok" },
  "rtc-available": { verdict: "warn", because: /RTC drifting -107\.623 ppm/ },
  "rtc-unavailable": { verdict: "ok" },
  "multi-source": { verdict: "warn", because: /1 of 5 source\(s\) unreachable; 1 falseticker/ },
  falseticker: { verdict: "warn", because: /1 falseticker/ },
  "no-majority": { verdict: "critical", because: /not synchronized.*0 selectable source\(s\)/ },
  "all-unreachable": { verdict: "critical", because: /none of the 3 source\(s\) is reachable/ },
  "upstream-lost": { verdict: "ok" },
  "network-partition": { verdict: "ok" },
  "falseticker-appears": { verdict: "ok" },
  "leap-second": { verdict: "warn", because: /leap second pending: insert second/ },
  "resume-from-suspend": { verdict: "ok" },
  "source-added": { verdict: "warn", because: /1 of 3 source\(s\) unreachable/ },
  jittery: { verdict: "warn", because: /2 source\(s\) too jittery/ },
  "local-reference": { verdict: "warn", because: /local clock only/ },
  "peer-mode": { verdict: "ok" },
  "ipv6-sources": { verdict: "ok" },
  "nts-authenticated": { verdict: "ok" },
  "large-offset": { verdict: "critical", because: /offset 12\.346 s beyond 1\.000 s/ },
  "frequency-drift": { verdict: "warn", because: /skew 4\.567 ppm/ },
  "smoothing-active": { verdict: "ok" },
  "busy-server": { verdict: "ok" },
  "many-sources": { verdict: "warn", because: /4 of 64 source\(s\) unreachable; 2 falseticker\(s\); 1 source\(s\) too jittery/ },
  "stratum-1": { verdict: "ok" },
  "stratum-max": { verdict: "warn", because: /stratum 15/ },
  "captured-lan-client": { verdict: "ok" },
  "captured-local-reference": { verdict: "warn", because: /local clock only/ },
  "captured-mixed-ipv4-ipv6": { verdict: "ok" },
};

describe("checkHealth over every preset", () => {
  const chrony = useChronyMock(setupChronyMock());

  test("the table covers exactly the presets", () => {
    expect(Object.keys(EXPECTED).sort()).toEqual(Object.keys(SCENARIOS).sort());
  });

  for (const [name, info] of Object.entries(SCENARIOS) as [ScenarioName, (typeof SCENARIOS)[ScenarioName]][]) {
    const expected = EXPECTED[name];
    test.concurrent(`${name}: ${expected.verdict} (${info.description})`, async ({ expect }) => {
      chrony.session.reset(info.config);
      const report = await checkHealth();
      expect(report.verdict, report.reasons.join("; ")).toBe(expected.verdict);
      if (expected.because) expect(report.reasons.join("; ")).toMatch(expected.because);
      else expect(report.reasons).toEqual([]);
      expect(report.values.error).toBeNull();
      expect(report.values.stratum).toBe(chrony.session.state.tracking.stratum);
      expect(chrony.openHandles).toEqual({ sockets: 0, sessions: 0 });
    });
  }
});

describe("values", () => {
  const chrony = useChronyMock(setupChronyMock("ntp-synced"));

  test("root distance is rootDelay/2 + rootDispersion + |offset|", async () => {
    chrony.use({ tracking: { rootDelay: 0.02, rootDispersion: 0.005, offset: -0.001 } });
    const { values, verdict } = await checkHealth();
    expect(values.rootDistance).toBeCloseTo(0.016, 6);
    expect(verdict).toBe("ok");
  });

  test("root distance beyond the limits: warn, then critical", async () => {
    chrony.use({ tracking: { rootDispersion: 0.3 } });
    expect((await checkHealth()).reasons).toEqual([expect.stringMatching(/^root distance 0\.300 s beyond 0\.100 s$/)]);
    chrony.use({ tracking: { rootDispersion: 2 } });
    expect((await checkHealth()).verdict).toBe("critical");
  });

  test("offset beyond the warn limit; custom thresholds", async () => {
    chrony.use({ tracking: { offset: 0.08 } });
    expect((await checkHealth()).reasons).toContain("offset 80.000 ms beyond 50.000 ms");
    expect((await checkHealth({ thresholds: { offsetWarn: 0.1 } })).verdict).toBe("ok");
  });

  test("the values of a synced host", async () => {
    const { values } = await checkHealth();
    expect(values).toMatchObject({
      synchronized: true,
      reference: "192.168.1.100",
      stratum: 2,
      leap: "normal",
      sources: 1,
      reachableSources: 1,
      selectableSources: 1,
      falsetickers: 0,
      rtcDriftPpm: null,
      error: null,
    });
  });
});

describe("upstream-lost over simulated time", () => {
  const chrony = useChronyMock(setupChronyMock("upstream-lost"));

  test("leap status stays normal and synchronized all along: only reachability (and, a day later, root distance) gives the loss away", async () => {
    const at = async (seconds: number) => {
      chrony.session.advance(seconds - chrony.session.elapsed);
      return checkHealth();
    };
    // 0 s: as ntp-synced.
    const start = await at(0);
    expect(start.verdict).toBe("ok");
    // 543 s: 7 polls unanswered, the register still holds one 1 (0o200): still ok, root dispersion grown by 543 × 1.022 µs.
    const before = await at(543);
    expect(before.verdict).toBe("ok");
    expect(before.values.leap).toBe("normal");
    expect(before.values.rootDispersion! - start.values.rootDispersion!).toBeCloseTo(543 * 1.022e-6, 6);
    // 544 s: the 8th unanswered poll empties the register: no reachable or selectable source. Leap still normal.
    const lost = await at(544);
    expect(lost.verdict).toBe("critical");
    expect(lost.reasons).toEqual(["none of the 1 source(s) is reachable", "0 selectable source(s), need 1"]);
    expect(lost.values).toMatchObject({ synchronized: true, reference: "192.168.1.100", stratum: 2, leap: "normal" });
    // 200000 s (2.3 days): root dispersion has grown past the 0.1 s root-distance limit too.
    const later = await at(200_000);
    expect(later.reasons).toContain("root distance 0.205 s beyond 0.100 s");
    expect(later.values.leap).toBe("normal");
  });
});

/** What the check says at each time: the verdict and its reasons, joined. */
const along = (chrony: ReturnType<typeof useChronyMock>, at: number[]) =>
  chrony.checkAlong(at, async () => {
    const { verdict, reasons } = await checkHealth();
    return `${verdict}${reasons.length ? `: ${reasons.join("; ")}` : ""}`;
  });

describe("network-partition over simulated time", () => {
  const chrony = useChronyMock(setupChronyMock("network-partition"));

  test("ok while the registers drain, critical once all three are unreachable, ok again on the first answer after the partition", async () => {
    const steps = await along(chrony, [0, 543, 544, 1799, 1800]);
    expect(steps.map((s) => s.result)).toEqual([
      "ok",
      "ok",
      "critical: none of the 3 source(s) is reachable; 0 selectable source(s), need 1",
      "critical: none of the 3 source(s) is reachable; 0 selectable source(s), need 1",
      "ok",
    ]);
    // Synchronised all along: a check on leap status or on "synchronized" alone never fires.
    expect((await checkHealth()).values).toMatchObject({ synchronized: true, leap: "normal", reachableSources: 3 });
  });
});

describe("falseticker-appears over simulated time", () => {
  const chrony = useChronyMock(setupChronyMock("falseticker-appears"));

  test("warns from the moment the third server is voted out, and stays synchronised", async () => {
    const steps = await along(chrony, [0, 599, 600, 3600]);
    expect(steps.map((s) => s.result)).toEqual(["ok", "ok", "warn: 1 falseticker(s)", "warn: 1 falseticker(s)"]);
    expect((await checkHealth()).values).toMatchObject({ synchronized: true, reference: "192.168.1.100", selectableSources: 2, falsetickers: 1 });
  });
});

describe("leap-second over simulated time", () => {
  const chrony = useChronyMock(setupChronyMock("leap-second"));

  test("warns until the leap second has passed at midnight, then is ok", async () => {
    const steps = await along(chrony, [0, 3599, 3600, 7200]);
    expect(steps.map((s) => s.result)).toEqual([
      "warn: leap second pending: insert second at the end of the day",
      "warn: leap second pending: insert second at the end of the day",
      "ok",
      "ok",
    ]);
  });
});

describe("resume-from-suspend over simulated time", () => {
  const chrony = useChronyMock(setupChronyMock("resume-from-suspend"));

  test("critical from the poll that measures the 4 s error until the slew brings it under 1 s, then warn, then ok", async () => {
    const steps = await along(chrony, [0, 159, 160, 200, 207, 209]);
    expect(steps.map((s) => s.result)).toEqual([
      "ok",
      // The clock is 4 s off from 100 s on, but chronyd only knows at its next poll.
      "ok",
      "critical: offset 4.000 s beyond 1.000 s; root distance 4.000 s beyond 1.000 s",
      "warn: offset 0.667 s beyond 50.000 ms; root distance 0.667 s beyond 0.100 s",
      "warn: offset 83.335 ms beyond 50.000 ms",
      "ok",
    ]);
    expect((await checkHealth()).values).toMatchObject({ synchronized: true, leap: "normal", selectableSources: 1 });
  });
});
