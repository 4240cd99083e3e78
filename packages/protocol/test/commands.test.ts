/** chronyd's command table by version (candm.h, pktlength.c). */
import { describe, expect, it } from "vitest";
import { REPORTS } from "@chrony/fields";
import { OPEN_COMMANDS, argumentLength, expectedRequestLength, reportOfCommand, requestTypeCount, responseFor } from "../src/index.js";

describe("command table", () => {
  it("pads requests to chronyd 4.3's lengths (pktlength.c)", () => {
    // Facts measured from chrony 4.3's PKL_CommandLength.
    const lengths: Record<number, number> = { 14: 32, 15: 76, 33: 104, 34: 84, 35: 56, 44: 48, 51: 52, 54: 72, 57: 152, 65: 284, 67: 52, 69: 76, 0: 28, 41: 416, 12: 0, 32: 0, 72: 0 };
    for (const [command, length] of Object.entries(lengths)) expect([Number(command), expectedRequestLength(4.03, Number(command))]).toEqual([Number(command), length]);
    expect(expectedRequestLength(4.04, 54)).toBe(196);
    expect(expectedRequestLength(4.06, 57)).toBe(172);
    expect(expectedRequestLength(4.07, 0)).toBe(0);
  });

  it("knows which variant each chronyd version sends", () => {
    const codes = (name: "serverstats" | "ntpdata" | "selectdata", version: number) => responseFor(REPORTS[name], version)?.code ?? null;
    expect([3.05, 4.0, 4.01, 4.02, 4.03, 4.04, 4.08].map((v) => codes("serverstats", v))).toEqual([14, 22, 22, 24, 24, 25, 25]);
    expect([4.05, 4.06, 4.08].map((v) => codes("ntpdata", v))).toEqual([16, 26, 26]);
    expect(codes("selectdata", 3.05)).toBeNull();
  });

  it("names the report of a command and the argument its answer depends on", () => {
    expect(reportOfCommand(REPORTS.tracking.recordRequest.code)).toBe("tracking");
    expect(reportOfCommand(REPORTS.sources.countRequest!.request.code)).toBe("count");
    expect(reportOfCommand(0)).toBeNull();
    expect(argumentLength(REPORTS.ntpdata.recordRequest.code)).toBe(20);
    expect(argumentLength(REPORTS.sources.recordRequest.code)).toBe(4);
    expect(argumentLength(REPORTS.tracking.recordRequest.code)).toBe(0);
  });

  it("opens the monitoring reports over UDP and nothing that needs the Unix socket", () => {
    for (const name of ["tracking", "sources", "sourcestats", "activity", "rtcdata", "smoothing"] as const) expect(OPEN_COMMANDS).toContain(REPORTS[name].recordRequest.code);
    for (const name of ["selectdata", "authdata", "ntpdata", "serverstats"] as const) expect(OPEN_COMMANDS).not.toContain(REPORTS[name].recordRequest.code);
    expect(requestTypeCount(4.03)).toBe(72);
  });
});
