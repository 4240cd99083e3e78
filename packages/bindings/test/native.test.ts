/** The koffi layer against a real shared library: test/native/fake-libchrony.c, compiled by globalSetup. */
import { ChronyErr, LIBCHRONY_FUNCTIONS } from "@chrony/fields";
import { describe, expect, inject, it } from "vitest";
import { ChronyConnection, ChronyConnectionError, ChronyPermissionError, ChronyTimeoutError, loadNativeLibChrony } from "../src/index.js";

const libraryPath = inject("fakeLibchronyPath");
const open = (address: string, options = {}) => ChronyConnection.open({ address, libraryPath, ...options });

describe("koffi binding over a real shared library", () => {
  it("binds all 24 functions of chrony.h plus waitReadable and lastErrno", async () => {
    const lib = await loadNativeLibChrony(libraryPath);
    for (const name of LIBCHRONY_FUNCTIONS) expect(typeof lib[name], name).toBe("function");
    expect(typeof lib.waitReadable).toBe("function");
    expect(lib.chrony_get_error_string(ChronyErr.DISABLED)).toBe("Disabled");
    expect(lib.chrony_get_report_name(0)).toBe("tracking");
    expect(lib.chrony_get_report_name(99)).toBeNull();
  });

  it("passes the session out-pointer, bool, strings and the fd", async () => {
    const lib = await loadNativeLibChrony(libraryPath);
    const fd = lib.chrony_open_socket("test");
    const out: [import("@chrony/fields").ChronySessionHandle | null] = [null];
    expect(lib.chrony_init_session(out, fd)).toBe(ChronyErr.OK);
    const session = out[0]!;
    expect(lib.chrony_get_fd(session)).toBe(fd);
    expect(lib.chrony_request_report_number_records(session, "sources")).toBe(ChronyErr.OK);
    expect(lib.chrony_needs_response(session)).toBe(true);
    expect(await lib.waitReadable!(fd, 1000)).toBe(true);
    expect(lib.chrony_process_response(session)).toBe(ChronyErr.OK);
    expect(lib.chrony_needs_response(session)).toBe(false);
    expect(lib.chrony_get_report_number_records(session)).toBe(2);
    expect(lib.chrony_process_response(session)).toBe(ChronyErr.UNEXPECTED_CALL);
    lib.chrony_deinit_session(session);
    lib.chrony_close_socket(fd);
  });

  it("reads timespec by value, doubles, strings and enum names into the models", async () => {
    await using connection = await open("test");
    const tracking = await connection.getTracking();
    expect(tracking.refTimeExact).toEqual({ sec: 1700000000n, nsec: 123456789 });
    expect(tracking.refTime).toBeCloseTo(1700000000 + 0.123456789, 6);
    expect(tracking).toMatchObject({ referenceIp: "127.0.0.1", stratum: 3, offset: -1.5e-6, frequency: -12.375, updateInterval: 64.5 });
    expect(tracking.isLeapPending()).toBe(true);
    const report = await connection.getReport("tracking");
    expect(report.records[0]!.fields.find((f) => f.name === "leap status")!.constantName).toBe("insert second");
  });

  it("keeps uint64 beyond 2^53 exact (koffi gives bigint) and restores the INT16 sign", async () => {
    await using connection = await open("test");
    const counters = await connection.getServerStats();
    expect(counters.receivedNtpRequests).toBe(9007199254740993n);
    expect(counters.acceptedNtsKeConnections).toBe(2n ** 64n - 1n);
    expect(counters.receivedCommandRequests).toBe(78n);
    const [ntp, refclock] = await connection.getSources();
    expect(ntp).toMatchObject({ address: "192.0.2.1", poll: -2 });
    expect(refclock).toMatchObject({ address: "GPS", poll: 4, mode: 2 });
    const stats = await connection.getSourceStats();
    expect(stats.map((s) => s.address)).toEqual(["192.0.2.1", "GPS"]);
    expect(await connection.getRtcData()).toBeNull();
    expect((await connection.getSmoothing())!.isActive()).toBe(true);
    const smoothing = await connection.getReport("smoothing");
    expect(smoothing.records[0]!.fields[0]!.flagNames).toEqual(["active"]);
  });

  it("times out with poll() off the event loop, and keeps the loop running meanwhile", async () => {
    await using connection = await open("never-answers", { timeoutMs: 60, retries: 1 });
    let ticks = 0;
    const timer = setInterval(() => ticks++, 5);
    const started = performance.now();
    const error = await connection.getSources().catch((e: unknown) => e);
    clearInterval(timer);
    expect(error).toBeInstanceOf(ChronyTimeoutError);
    expect(performance.now() - started).toBeGreaterThanOrEqual(110);
    expect(ticks).toBeGreaterThan(5);
  });

  it("reports errno from chrony_open_socket through koffi.errno()", async () => {
    await expect(open("denied")).rejects.toBeInstanceOf(ChronyPermissionError);
    await expect(open("refused")).rejects.toMatchObject({ name: "ChronyConnectionError", errno: 111 });
    await expect(open("refused")).rejects.toBeInstanceOf(ChronyConnectionError);
  });
});
