/**
 * Against a real chronyd through the real libchrony: every model field is
 * compared with `chronyc -n -c -h <addr> <report>` taken right after. Live
 * values drift between the two queries, so measured floats are compared
 * with a tolerance; identities, counts and states exactly.
 */
import { execFileSync } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LEAP_STATUS, NTP_MODE } from "@chrony/fields";
import { ChronyConnection, ChronyPermissionError, type SourceStats } from "../src/index.js";

const libraryPath = process.env.LIBCHRONY_PATH;
const address = process.env.CHRONY_TEST_ADDRESS;
const enabled = Boolean(libraryPath && address);

if (!enabled) {
  console.warn(
    "\n" + "!".repeat(78) + "\n  SKIPPED: integration suite needs LIBCHRONY_PATH=... and CHRONY_TEST_ADDRESS=...\n" + "!".repeat(78) + "\n",
  );
}

/** `chronyc -n -c` for one report, as rows of CSV fields; `null` when chronyc refuses (e.g. "501 Not authorised"). */
function chronyc(report: string): string[][] | null {
  const [host, port] = address!.startsWith("/") ? [address!, undefined] : address!.split(/:(?=\d+$)/);
  const args = ["-n", "-c", "-h", host!, ...(port ? ["-p", port] : []), report];
  try {
    return execFileSync("chronyc", args, { encoding: "utf8" }).trim().split("\n").filter(Boolean).map((line) => line.split(","));
  } catch {
    return null;
  }
}

const SOURCE_MODES = ["^", "=", "#"];
const SOURCE_STATES = ["*", "?", "x", "~", "+", "-"];

describe.skipIf(!enabled)(`integration: real libchrony and chronyd at ${address}`, () => {
  let connection: ChronyConnection;
  beforeAll(async () => {
    connection = await ChronyConnection.open({ address: address! });
  });
  afterAll(() => connection?.close());

  it("tracking matches chronyc tracking", async () => {
    const t = await connection.getTracking();
    const [row] = chronyc("tracking")!;
    const [refid, ip, stratum, refTime, correction, lastOffset, rms, freq, resid, skew, rootDelay, rootDisp, interval] = row!;
    expect(t.referenceId.toString(16).toUpperCase().padStart(8, "0")).toBe(refid);
    expect(t.referenceIp).toBe(ip);
    expect(t.stratum).toBe(Number(stratum));
    expect(Math.abs(t.refTime - Number(refTime))).toBeLessThan(5);
    expect(Math.abs(t.offset - Number(correction))).toBeLessThan(1e-3);
    expect(Math.abs(t.lastOffset - Number(lastOffset))).toBeLessThan(1e-3);
    expect(Math.abs(t.rmsOffset - Number(rms))).toBeLessThan(1e-3);
    expect(Math.abs(t.frequency - Number(freq))).toBeLessThan(1);
    expect(Math.abs(t.residualFreq - Number(resid))).toBeLessThan(1);
    expect(Math.abs(t.skew - Number(skew))).toBeLessThan(1);
    expect(Math.abs(t.rootDelay - Number(rootDelay))).toBeLessThan(1e-3);
    expect(Math.abs(t.rootDispersion - Number(rootDisp))).toBeLessThan(1e-3);
    expect(Math.abs(t.updateInterval - Number(interval))).toBeLessThan(5);
  });

  it("sources match chronyc sources", async () => {
    const sources = await connection.getSources();
    const rows = chronyc("sources")!;
    expect(sources).toHaveLength(rows.length);
    sources.forEach((s, i) => {
      const [mode, state, name, stratum, poll, reach, , adjusted, measured, error] = rows[i]!;
      expect(SOURCE_MODES[s.mode]).toBe(mode);
      expect(SOURCE_STATES[s.state]).toBe(state);
      expect(s.address).toBe(name);
      expect(s.stratum).toBe(Number(stratum));
      expect(s.poll).toBe(Number(poll));
      expect(s.reachability).toBe(Number.parseInt(reach!, 8));
      expect(Math.abs(s.latestMeas - Number(adjusted))).toBeLessThan(1e-3);
      expect(Math.abs(s.origLatestMeas - Number(measured))).toBeLessThan(1e-3);
      expect(Math.abs(s.latestMeasErr - Number(error))).toBeLessThan(1e-3);
    });
  });

  it("sourcestats match chronyc sourcestats", async () => {
    const stats: SourceStats[] = await connection.getSourceStats();
    const rows = chronyc("sourcestats")!;
    expect(stats).toHaveLength(rows.length);
    stats.forEach((s, i) => {
      const [name, samples, , , residFreq, skew, offset, stdDev] = rows[i]!;
      expect(s.address).toBe(name);
      expect(Math.abs(s.samples - Number(samples))).toBeLessThanOrEqual(1);
      expect(Math.abs(s.residFreq - Number(residFreq))).toBeLessThan(1);
      expect(Math.abs(s.skew - Number(skew))).toBeLessThan(1);
      expect(Math.abs(s.offset - Number(offset))).toBeLessThan(1e-3);
      expect(Math.abs(s.stdDev - Number(stdDev))).toBeLessThan(1e-3);
    });
  });

  it("activity, smoothing and rtcdata agree with chronyc (null where chronyc says disabled)", async () => {
    const activity = await connection.getActivity();
    expect([activity.onlineSources, activity.offlineSources, activity.burstOnlineReturnSources, activity.burstOfflineReturnSources, activity.unresolvedSources].map(String)).toEqual(chronyc("activity")![0]);
    const smoothing = await connection.getSmoothing();
    const smoothingRow = chronyc("smoothing");
    expect(smoothing === null).toBe(smoothingRow === null);
    if (smoothing && smoothingRow) expect(smoothing.isActive()).toBe(smoothingRow[0]![0] === "Yes");
    const rtc = await connection.getRtcData();
    expect(rtc === null).toBe(chronyc("rtcdata") === null);
  });

  /**
   * Reports chronyd answers only over its Unix socket: over UDP both chronyc
   * ("501 Not authorised") and the binding (ChronyPermissionError) refuse.
   */
  async function bothOrNeither<T>(report: string, read: () => Promise<T>): Promise<{ value: T; rows: string[][] } | null> {
    const rows = chronyc(report);
    if (rows === null) {
      await expect(read()).rejects.toBeInstanceOf(ChronyPermissionError);
      return null;
    }
    return { value: await read(), rows };
  }

  /** chronyc's leap text (client.c) for libchrony's leap names. */
  const leapText = (leap: number) => ({ normal: "Normal", "insert second": "Insert second", "delete second": "Delete second", "not synchronized": "Not synchronised" })[LEAP_STATUS.nameOf(leap)!];

  it("selectdata matches chronyc selectdata", async () => {
    const result = await bothOrNeither("selectdata", () => connection.getSelectData());
    if (!result) return;
    const { value: records, rows } = result;
    expect(records).toHaveLength(rows.length);
    records.forEach((r, i) => {
      const row = rows[i]!;
      expect(String.fromCharCode(r.state)).toBe(row[0]);
      expect(r.address).toBe(row[1]);
      expect(r.authentication ? "Y" : "N").toBe(row[2]);
      expect(Math.abs(r.lastSampleAgo - Number(row[13]))).toBeLessThanOrEqual(5);
      expect(Math.abs(r.score - Number(row[14]))).toBeLessThan(0.1);
      expect(Math.abs(r.lowLimit - Number(row[15]))).toBeLessThan(1e-3);
      expect(Math.abs(r.highLimit - Number(row[16]))).toBeLessThan(1e-3);
      expect(leapText(r.leapStatus)).toBe(row[17]);
    });
  });

  it("serverstats matches chronyc serverstats", async () => {
    const result = await bothOrNeither("serverstats", () => connection.getServerStats());
    if (!result) return;
    const { value: s, rows } = result;
    const counters = [s.receivedNtpRequests, s.acceptedNtsKeConnections, s.receivedCommandRequests, s.droppedNtpRequests, s.droppedNtsKeConnections, s.droppedCommandRequests, s.droppedClientLogRecords, s.receivedAuthenticatedNtpRequests, s.receivedInterleavedNtpRequests, s.heldNtpTimestamps, s.ntpTimestampSpan];
    const row = rows[0]!;
    counters.slice(0, row.length).forEach((value, i) => {
      // Command requests count every query, ours and chronyc's, so the two reads differ by a few.
      const tolerance = i === 2 ? 20n : 0n;
      const diff = BigInt(row[i]!) - (value ?? 0n);
      expect(diff >= -tolerance && diff <= tolerance, `serverstats column ${i}: ${value} vs ${row[i]}`).toBe(true);
    });
  });

  it("authdata matches chronyc authdata (reference clocks have none)", async () => {
    const result = await bothOrNeither("authdata", () => connection.getAuthData());
    if (!result) return;
    const sources = await connection.getSources();
    const named = result.value.flatMap((a, i) => (a ? [{ a, address: sources[i]!.address }] : []));
    expect(named).toHaveLength(result.rows.length);
    named.forEach(({ a, address }, i) => {
      const [name, mode, keyId, keyType, keyLength, , attempts, nak, cookies, cookieLength] = result.rows[i]!;
      expect(address).toBe(name);
      expect(["-", "SK", "NTS"][a.mode]).toBe(mode);
      expect([a.keyId, a.keyType, a.keyLength, a.keyEstablishmentAttempts, a.nak ? 1 : 0, a.cookies, a.cookieLength].map(String)).toEqual([keyId, keyType, keyLength, attempts, nak, cookies, cookieLength]);
    });
  });

  it("ntpdata matches chronyc ntpdata (reference clocks have none)", async () => {
    const result = await bothOrNeither("ntpdata", () => connection.getNtpData());
    if (!result) return;
    const records = result.value.filter((n) => n !== null);
    expect(records).toHaveLength(result.rows.length);
    records.forEach((n, i) => {
      const row = result.rows[i]!;
      expect(n.remoteAddress).toBe(row[0]);
      expect(String(n.remotePort)).toBe(row[2]);
      expect(n.localAddress === "" ? "[UNSPEC]" : n.localAddress).toBe(row[3]);
      expect(leapText(n.leapStatus)).toBe(row[5]);
      expect(String(n.version)).toBe(row[6]);
      expect(NTP_MODE.nameOf(n.mode)?.replace(/^./, (c) => c.toUpperCase()) ?? "Invalid").toBe(row[7]);
      expect([n.stratum, n.poll, n.precision].map(String)).toEqual([row[8], row[9], row[11]]);
      expect(n.referenceId.toString(16).toUpperCase().padStart(8, "0")).toBe(row[15]);
      expect(Math.abs(n.receivedMessages - Number(row[31]))).toBeLessThanOrEqual(5);
    });
  });

  it("getReport returns every field of every report the server allows", async () => {
    const sources = await connection.getReport("sources");
    expect(sources.records.every((record) => record !== null && record.fields.length === 11)).toBe(true);
  });
});
