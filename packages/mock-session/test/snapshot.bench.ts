/**
 * A full snapshot — tracking, four sources with their sourcestats, rtcdata —
 * read straight through the mock's C API, as a binding would.
 */
import { bench, describe } from "vitest";
import { MockChronySession, type ChronyStateConfig } from "../src/index.js";
import { openSession, readReport } from "./drive.js";

const STATE: ChronyStateConfig = {
  sources: [{ address: "192.0.2.1" }, { address: "192.0.2.2", state: 4 }, { address: "2001:db8::3", state: 4 }, { address: "GPS", state: 5 }],
  rtc: {},
};

function snapshotBench(log: boolean) {
  const mock = new MockChronySession(STATE, { log });
  const { s } = openSession(mock.lib);
  return () => {
    readReport(mock.lib, s, "tracking");
    readReport(mock.lib, s, "sources");
    readReport(mock.lib, s, "sourcestats");
    readReport(mock.lib, s, "rtcdata");
    mock.clearCalls();
  };
}

describe("full snapshot through the C API", () => {
  bench("call log off", snapshotBench(false));
  bench("call log on", snapshotBench(true));
});
