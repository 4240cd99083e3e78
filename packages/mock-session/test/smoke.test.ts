import { describe, expect, it } from "vitest";
import { REPORT_NAMES } from "@chrony/fields";
import { MockChronySession } from "../src/index.js";
import { openSession, readReport } from "./drive.js";

describe("smoke", () => {
  it("reads every report", () => {
    const mock = new MockChronySession({ sources: [{ address: "GPS", mode: 2 }, { address: "192.0.2.1", state: 4 }], rtc: {}, smoothing: {} , serverVersion: "4.8"});
    const { s, close } = openSession(mock.lib);
    for (const name of REPORT_NAMES) console.log(name, JSON.stringify(readReport(mock.lib, s, name), (_, v) => typeof v === "bigint" ? `${v}n` : v));
    close();
    expect(mock.openHandles).toEqual({ sockets: 0, sessions: 0 });
  });
});
