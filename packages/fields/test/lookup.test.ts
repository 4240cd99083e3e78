import { describe, expect, it } from "vitest";
import {
  ChronyErr,
  REPORTS,
  ReplyStatus,
  errorName,
  errorOfStatus,
  errorString,
  fieldConstants,
  fieldContentCode,
  fieldTypeCode,
  findField,
  findReportByRequestCode,
  findResponseByCode,
  getReport,
  isReportName,
} from "../src/index.js";

describe("lookups", () => {
  it("finds reports by name and rejects unknown names with the valid list", () => {
    expect(getReport("rtcdata").recordRequest.code).toBe(35);
    expect(isReportName("smoothing")).toBe(true);
    expect(isReportName("toString")).toBe(false);
    expect(() => getReport("clients")).toThrow(/Unknown report "clients"; expected one of: tracking, sources/);
  });

  it("finds a field over all variants, newest first", () => {
    const span = findField("serverstats", "NTP timestamp span");
    expect(span?.response.code).toBe(25);
    expect(span?.index).toBe(10);
    expect(span && fieldTypeCode(span.field)).toBe(1);
    expect(findField("sources", "reference ID")?.index).toBe(0);
    expect(findField("ntpdata", "hardware receive timestamps")?.response.codeName).toBe("RPY_NTP_DATA2");
  });

  it("maps codes both ways", () => {
    expect(findResponseByCode(24)?.report.name).toBe("serverstats");
    expect(findResponseByCode(2)).toBeUndefined();
    expect(findReportByRequestCode(57)?.name).toBe("ntpdata");
    const leap = REPORTS.tracking.responses[0].fields[3];
    expect(fieldContentCode(leap)).toBe(12);
    expect(fieldConstants(leap)?.map((c) => c.name)).toEqual(["normal", "insert second", "delete second", "not synchronized"]);
    expect(fieldConstants(REPORTS.tracking.responses[0].fields[0])).toBeNull();
  });

  it("gives libchrony's error strings and names", () => {
    expect(errorString(ChronyErr.UNEXPECTED_CALL)).toBe("Unexpected function call");
    expect(errorString(14)).toBe("Invalid response");
    expect(errorString(15)).toBe("Unknown error");
    expect(errorString(-1)).toBe("Unknown error");
    expect(errorName(10)).toBe("DISABLED");
    expect(errorName(99)).toBeUndefined();
  });

  it("maps reply statuses as message.c's process_response", () => {
    expect(errorOfStatus(ReplyStatus.SUCCESS)).toBe(ChronyErr.OK);
    expect(errorOfStatus(ReplyStatus.UNAUTH)).toBe(ChronyErr.UNAUTHORIZED);
    expect(errorOfStatus(ReplyStatus.INVALID)).toBe(ChronyErr.OLD_SERVER);
    expect(errorOfStatus(ReplyStatus.NOTENABLED)).toBe(ChronyErr.DISABLED);
    expect(errorOfStatus(ReplyStatus.NORTC)).toBe(ChronyErr.DISABLED);
    expect(errorOfStatus(ReplyStatus.BADPKTVERSION)).toBe(ChronyErr.NEW_SERVER);
    expect(errorOfStatus(ReplyStatus.BADPKTLENGTH)).toBe(ChronyErr.NEW_SERVER);
    expect(errorOfStatus(ReplyStatus.NOSUCHSOURCE)).toBe(ChronyErr.UNEXPECTED_STATUS);
    expect(errorOfStatus(ReplyStatus.FAILED)).toBe(ChronyErr.UNEXPECTED_STATUS);
  });
});
