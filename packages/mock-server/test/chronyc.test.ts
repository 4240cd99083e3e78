/**
 * Real chronyc against the fake chronyd: for every report and several states,
 * chronyc -n -c prints exactly the state's values (at its precision) or its
 * own error text for what the server refuses.
 */
import { describe, expect, it } from "vitest";
import type { ChronyStateConfig } from "@chrony/mock-session";
import { faults, startMockChronyd, type MockChronydOptions } from "../src/index.js";
import { CHRONYC_REPORTS, expectedChronyc, type ChronycReport } from "./chronyc-expected.js";
import { chronyc, chronycVersion } from "./chronyc.js";
import { EMPTY_41, SYNCED, UNSYNCHRONIZED, V44, V46 } from "./states.js";

const RESTRICTED: ReadonlySet<ChronycReport> = new Set(["selectdata", "serverstats", "authdata", "ntpdata"]);

const CASES: { name: string; state: ChronyStateConfig; options?: MockChronydOptions }[] = [
  { name: "synced 4.3 (GPS + IPv4 + IPv6 + peer, RTC, smoothing)", state: SYNCED },
  { name: "unsynchronized (no RTC, no smoothing)", state: UNSYNCHRONIZED },
  { name: "defaults as 4.1 (no sources)", state: EMPTY_41 },
  { name: "synced as 4.4", state: V44 },
  { name: "synced as 4.6", state: V46 },
  { name: "synced 4.3 over IPv6 loopback", state: SYNCED, options: { host: "::1" } },
  { name: "synced 4.3 with chronyd's UDP restrictions", state: SYNCED, options: { udpRestrictions: true } },
];

describe("chronyc against the fake chronyd", () => {
  it("has chronyc 4.x installed", () => {
    expect(chronycVersion()).toMatch(/^chronyc \(chrony\) version 4\./);
  });

  for (const { name, state, options } of CASES) {
    it(`prints every report of: ${name}`, async () => {
      await using server = await startMockChronyd(state, options);
      const results = await Promise.all(CHRONYC_REPORTS.map((report) => chronyc(server.host, server.port, ["-n", "-c", report])));
      CHRONYC_REPORTS.forEach((report, i) => {
        const expected = options?.udpRestrictions && RESTRICTED.has(report) ? ["501 Not authorised"] : expectedChronyc(state, report);
        expect({ report, lines: results[i]!.lines }).toEqual({ report, lines: expected });
        expect({ report, code: results[i]!.code }).toEqual({ report, code: expected[0]?.match(/^5\d\d /) ? 1 : 0 });
      });
    });
  }

  it("answers source-name requests (chronyc -N, sourcename) with the configured address; refclocks by refid", async () => {
    await using server = await startMockChronyd(SYNCED, { udpRestrictions: true });
    const sources = await chronyc(server.host, server.port, ["-N", "-c", "sources"]);
    expect(sources.lines.map((l) => l.split(",")[2])).toEqual(["GPS", "192.0.2.1", "2001:db8::1", "198.51.100.7"]);
    expect((await chronyc(server.host, server.port, ["sourcename", "2001:db8::1"])).lines).toEqual(["2001:db8::1"]);
    const unknown = await chronyc(server.host, server.port, ["sourcename", "192.0.2.99"]);
    expect(unknown).toMatchObject({ lines: ["503 No such source"], code: 1 });
  });

  it("refuses control commands without changing the state, and follows updates", async () => {
    await using server = await startMockChronyd(UNSYNCHRONIZED);
    expect((await chronyc(server.host, server.port, ["makestep"])).lines).toEqual(["501 Not authorised"]);
    expect((await chronyc(server.host, server.port, ["burst", "1/1"])).lines).toEqual(["501 Not authorised"]);
    expect((await chronyc(server.host, server.port, ["-n", "-c", "smoothing"])).lines).toEqual(expectedChronyc(UNSYNCHRONIZED, "smoothing"));
    server.update({ smoothing: {}, rtc: { samples: 3 } });
    expect((await chronyc(server.host, server.port, ["-n", "-c", "smoothing"])).lines).toEqual(expectedChronyc(server.config, "smoothing"));
    expect((await chronyc(server.host, server.port, ["-n", "-c", "rtcdata"])).lines).toEqual(expectedChronyc(server.config, "rtcdata"));
    server.reset(SYNCED);
    expect((await chronyc(server.host, server.port, ["-n", "-c", "sources"])).lines).toEqual(expectedChronyc(SYNCED, "sources"));
  });

  it("shows injected faults the way chronyc reports them", async () => {
    await using server = await startMockChronyd(SYNCED);
    {
      using _ = server.inject(faults.status("NOTENABLED", { report: "tracking" }));
      expect((await chronyc(server.host, server.port, ["-n", "-c", "tracking"])).lines).toEqual(["505 Facility not enabled in daemon"]);
    }
    // A reply with a wrong sequence number is ignored: chronyc retries with a new sequence and succeeds.
    server.inject(faults.wrongSequence({ report: "tracking", nth: 1 }));
    expect((await chronyc(server.host, server.port, ["-n", "-c", "tracking"])).lines).toEqual(expectedChronyc(SYNCED, "tracking"));
    // Dropping every reply: chronyc gives up.
    server.inject(faults.noReply({ report: "activity" }));
    const dropped = await chronyc(server.host, server.port, ["-n", "-c", "-m", "timeout 100", "retries 1", "activity"]);
    expect(dropped.lines.at(-1)).toBe("506 Cannot talk to daemon");
    expect(server.stats.dropped).toBeGreaterThanOrEqual(2);
  });
});
