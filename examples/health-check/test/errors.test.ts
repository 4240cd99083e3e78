// Every injectable error of the mock, through the health check: each one is a
// critical verdict whose reason says what happened — never an exception.
import { ChronyErr, ReplyStatus } from "@chrony/fields";
import { faults, setupChronyMock, type Fault } from "@chrony/test-utils";
import { useChronyMock } from "@chrony/test-utils/vitest";
import { describe, expect, test } from "vitest";
import { checkHealth } from "../src/index.js";

/** Short timeouts so "no reply" costs milliseconds. */
const FAST = { timeoutMs: 20, retries: 1 };

describe("injected errors", () => {
  const chrony = useChronyMock(setupChronyMock("ntp-synced"));

  const critical = async (fault: Fault) => {
    chrony.use(fault);
    const report = await checkHealth(FAST);
    expect(report.verdict).toBe("critical");
    expect(report.reasons).toHaveLength(1);
    expect(chrony.openHandles).toEqual({ sockets: 0, sessions: 0 });
    return report;
  };

  test.concurrent("permission denied on the socket: critical, with the fix", async () => {
    const report = await critical(faults.permissionDenied());
    expect(report.values.error).toBe("ChronyPermissionError");
    expect(report.reasons[0]).toMatch(/^not allowed to talk to chronyd/);
    expect(report.reasons[0]).toMatch(/usermod -aG chrony/);
  });

  test.concurrent("chronyd not running: critical", async () => {
    const report = await critical(faults.notRunning());
    expect(report.values.error).toBe("ChronyConnectionError");
    expect(report.reasons[0]).toMatch(/cannot reach chronyd \(is it running\?\)/);
  });

  test.concurrent("no reply: critical after the timeout and retries", async () => {
    const report = await critical(faults.noReply());
    expect(report.values.error).toBe("ChronyTimeoutError");
    expect(report.reasons[0]).toBe("chronyd did not answer (2 attempt(s) of 20 ms)");
  });

  test.concurrent("no reply for sources only: still critical", async () => {
    const report = await critical(faults.noReply({ report: "sources" }));
    expect(report.values.error).toBe("ChronyTimeoutError");
  });

  test.concurrent("unauthorised status from chronyd: critical, with the fix", async () => {
    const report = await critical(faults.status("UNAUTH", { report: "tracking" }));
    expect(report.values.error).toBe("ChronyPermissionError");
    expect(report.reasons[0]).toMatch(/UNAUTHORIZED/);
    expect(report.reasons[0]).toMatch(/chrony` group|`chrony`/);
  });

  test.concurrent("disabled RTC (status 'not enabled'): RTC skipped, verdict ok", async () => {
    // A tracked, drifting RTC first, to see the check reads it...
    chrony.use({ rtc: { refTime: { sec: 1705319451, nsec: 0 }, samples: 18, runs: 7, span: 549, offset: -1.6, freqOffset: -107.6 } });
    expect((await checkHealth(FAST)).verdict).toBe("warn"); // drifting RTC seen
    // ...then chronyd answers "not enabled" (CHRONY_DISABLED): no RTC tracking, nothing to warn about.
    chrony.use(faults.status(ReplyStatus.NOTENABLED, { report: "rtcdata" }));
    const report = await checkHealth(FAST);
    expect(report.verdict).toBe("ok");
    expect(report.values.rtcDriftPpm).toBeNull();
  });

  test.concurrent("chronyd answers too late: critical (timeout)", async () => {
    const report = await critical(faults.delay(100, { report: "tracking" }));
    expect(report.values.error).toBe("ChronyTimeoutError");
  });

  test.concurrent("chronyd answers with a wrong sequence number: ignored, then critical (timeout)", async () => {
    const report = await critical(faults.wrongSequence({ report: "tracking" }));
    expect(report.values.error).toBe("ChronyTimeoutError");
  });

  test.concurrent("a reply cut short: critical", async () => {
    const report = await critical(faults.truncate(40, { report: "tracking" }));
    expect(report.reasons[0]).toContain("INVALID_RESPONSE");
  });

  test.concurrent("garbled field (leap status 7): ChronyDataError, critical", async () => {
    const report = await critical(faults.field("tracking", "leap status", 7));
    expect(report.values.error).toBe("ChronyDataError");
    expect(report.reasons[0]).toMatch(/^chronyd sent invalid data in leapStatus: .*leapStatus: 7/);
  });

  test.concurrent("garbled source field (reachability 300): critical", async () => {
    const report = await critical(faults.field("sources", "reachability", 300));
    expect(report.reasons[0]).toMatch(/in reachability/);
  });

  test.concurrent("NaN from the float getter: critical", async () => {
    const report = await critical(faults.returns("chrony_get_field_float", Number.NaN, { report: "tracking" }));
    expect(report.values.error).toBe("ChronyDataError");
    expect(report.reasons[0]).toMatch(/is not a finite number/);
  });

  test.concurrent("NaN in one field only (root dispersion): critical naming it", async () => {
    chrony.use({ ...faults.returns("chrony_get_field_float", Number.NaN, { report: "tracking" }), field: "root dispersion" });
    const report = await checkHealth(FAST);
    expect(report.verdict).toBe("critical");
    expect(report.reasons[0]).toMatch(/in rootDispersion/);
  });

  const CODES = [
    ["UNEXPECTED_STATUS", ChronyErr.UNEXPECTED_STATUS, "ChronyError"],
    ["INVALID_RESPONSE", ChronyErr.INVALID_RESPONSE, "ChronyError"],
    ["OLD_SERVER", ChronyErr.OLD_SERVER, "ChronyError"],
    ["NEW_SERVER", ChronyErr.NEW_SERVER, "ChronyError"],
    ["NO_MEMORY", ChronyErr.NO_MEMORY, "ChronyError"],
    ["INVALID_ARGUMENT", ChronyErr.INVALID_ARGUMENT, "ChronyError"],
    ["UNEXPECTED_CALL", ChronyErr.UNEXPECTED_CALL, "ChronyError"],
    ["UNAUTHORIZED", ChronyErr.UNAUTHORIZED, "ChronyPermissionError"],
    ["RECV_FAILED", ChronyErr.RECV_FAILED, "ChronyConnectionError"],
    ["SEND_FAILED", ChronyErr.SEND_FAILED, "ChronyConnectionError"],
  ] as const;
  for (const [name, code, errorClass] of CODES) {
    test.concurrent(`chrony_process_response() returns ${name}: critical (${errorClass})`, async () => {
      const report = await critical(faults.returns("chrony_process_response", code, { report: "tracking" }));
      expect(report.values.error).toBe(errorClass);
      expect(report.reasons[0]).toContain(name);
    });
  }
});
