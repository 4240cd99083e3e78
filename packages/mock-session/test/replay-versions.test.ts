/**
 * Differential test across chronyd versions: replays the calls real
 * libchrony 0.2 made against a real chronyd of each version
 * (fixtures/libchrony-0.2-chronyd-<V>/full-b-unix.txt, lab "server B":
 * a reference clock that never gets samples, a selected NTP server, an
 * unreachable one, smoothing on, no RTC) against the mock configured with
 * that chronyd's state and version, and requires the same result from
 * every call: the response variants each version sends (serverstats 2–4,
 * ntpdata 1–2) and what it sends for a source never heard from.
 */
import { describe, expect, it } from "vitest";
import { MockChronySession } from "../src/index.js";
import { labState } from "./lab-state.js";
import { readTrace, replayTrace, traceFolders, tracedRecords } from "./trace.js";

const folders = traceFolders();

describe("replay of real libchrony 0.2 traces against each chronyd version", () => {
  it("finds the recorded versions", () => {
    expect(folders.map((f) => f.version)).toEqual(expect.arrayContaining(["4.0", "4.2", "4.3", "4.4", "4.6", "4.8"]));
  });

  for (const { version, folder } of folders) {
    it(`chronyd ${version}: every report, record, field and getter`, () => {
      const calls = readTrace("full-b-unix.txt", folder);
      expect(calls.length).toBeGreaterThan(2000);
      const mock = new MockChronySession({ ...labState(tracedRecords(calls)), serverVersion: version }, { log: false });
      expect(replayTrace(mock, calls)).toEqual([]);
      expect(mock.openHandles).toEqual({ sockets: 0, sessions: 0 });
    });
  }
});
