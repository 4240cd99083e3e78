/**
 * Against a real chronyd: every model field is compared with
 * `chronyc -n -c <report>` taken right after, through both backends and
 * over both of chronyd's command sockets. Live values drift between the two
 * queries, so measured floats are compared with a tolerance; identities,
 * counts and states exactly.
 *
 * The lab (two chronyd on loopback, Debian's chrony in CI) always runs the
 * TypeScript backend; the libchrony backend runs where `LIBCHRONY_PATH`
 * names a built libchrony. `CHRONY_TEST_ADDRESS` adds a chronyd of your own.
 */
import { execFileSync } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LEAP_STATUS, NTP_MODE } from "@chrony/fields";
import { ChronyConnection, ChronyPermissionError, type ChronyBackend, type SourceStats } from "../src/index.js";
import { chronydAvailable, startChronydLab, type ChronydLab } from "./lab/chronyd.js";

const libraryPath = process.env.LIBCHRONY_PATH;
const externalAddress = process.env.CHRONY_TEST_ADDRESS;
const labAvailable = chronydAvailable();

function banner(text: string): void {
  console.warn("\n" + "!".repeat(78) + `\n  SKIPPED: ${text}\n` + "!".repeat(78) + "\n");
}
if (!labAvailable) banner("no chronyd/chronyc installed: the real-chronyd integration suite cannot run (apt-get install chrony)");
if (!libraryPath) banner("LIBCHRONY_PATH is not set: the libchrony backend is not compared with real chronyd (the TypeScript backend is)");

/** What one run of the suite talks to. */
interface Target {
  readonly label: string;
  readonly backend: ChronyBackend;
  /** The connection address, and how chronyc reaches the same chronyd. */
  address(): string;
  chronycArgs(): string[];
}

let lab: ChronydLab | undefined;

const labTargets = (backend: ChronyBackend): Target[] => [
  { label: `${backend} backend, lab chronyd over its Unix socket`, backend, address: () => lab!.client.socketPath, chronycArgs: () => ["-h", lab!.client.socketPath] },
  { label: `${backend} backend, lab chronyd over UDP`, backend, address: () => lab!.client.udpAddress, chronycArgs: () => ["-h", "127.0.0.1", "-p", String(lab!.client.udpPort)] },
];

const targets: Target[] = [
  ...(labAvailable ? labTargets("typescript") : []),
  ...(labAvailable && libraryPath ? labTargets("libchrony") : []),
  ...(externalAddress
    ? (["typescript", ...(libraryPath ? (["libchrony"] as const) : [])] as const).map((backend) => ({
        label: `${backend} backend, chronyd at ${externalAddress}`,
        backend,
        address: () => externalAddress,
        chronycArgs: () => {
          const [host, port] = externalAddress.startsWith("/") ? [externalAddress, undefined] : externalAddress.split(/:(?=\d+$)/);
          return ["-h", host!, ...(port ? ["-p", port] : [])];
        },
      }))
    : []),
];

beforeAll(async () => {
  if (labAvailable) lab = await startChronydLab();
}, 30_000);
afterAll(async () => {
  await lab?.close();
});

const SOURCE_MODES = ["^", "=", "#"];
const SOURCE_STATES = ["*", "?", "x", "~", "+", "-"];

describe.skipIf(targets.length === 0).each(targets)("integration: $label", (target) => {
  let connection: ChronyConnection;
  beforeAll(async () => {
    connection = await ChronyConnection.open({ address: target.address(), backend: target.backend, libraryPath: target.backend === "libchrony" ? libraryPath : undefined });
  });
  afterAll(() => connection?.close());

  /** `chronyc -n -c` for one report, as rows of CSV fields; `null` when chronyc refuses (e.g. "501 Not authorised"). */
  function chronyc(report: string): string[][] | null {
    try {
      const output = execFileSync("chronyc", ["-n", "-c", ...target.chronycArgs(), report], { encoding: "utf8", timeout: 10_000 });
      return output.trim().split("\n").filter(Boolean).map((line) => line.split(","));
    } catch {
      return null;
    }
  }

  /**
   * chronyc before and after our read: the lab's client polls 16 times a
   * second, so measured values and reachability may move in between, and
   * ours must lie between the two readings (within `tolerance`).
   */
  async function bracket<T>(report: string, read: () => Promise<T>): Promise<{ value: T; before: string[][]; after: string[][] }> {
    const before = chronyc(report)!;
    const value = await read();
    const after = chronyc(report)!;
    return { value, before, after };
  }

  /** Within the two readings, widened by `tolerance` and by as much again as the value moved between them. */
  function between(actual: number, before: string | undefined, after: string | undefined, tolerance: number, what: string): void {
    const [low, high] = [Number(before), Number(after)].sort((x, y) => x - y) as [number, number];
    const slack = tolerance + (high - low);
    expect(actual >= low - slack && actual <= high + slack, `${what}: ${actual} not within [${before}, ${after}] ± ${slack}`).toBe(true);
  }

  it("tracking matches chronyc tracking", async () => {
    const { value: t, before, after } = await bracket("tracking", () => connection.getTracking());
    const [b, a] = [before[0]!, after[0]!];
    const [refid, ip, stratum] = a;
    expect(t.referenceId.toString(16).toUpperCase().padStart(8, "0")).toBe(refid);
    expect(t.referenceIp).toBe(ip);
    expect(t.stratum).toBe(Number(stratum));
    const measured: [number, number, number][] = [
      [t.refTime, 3, 1],
      [t.offset, 4, 1e-4],
      [t.lastOffset, 5, 1e-4],
      [t.rmsOffset, 6, 1e-4],
      [t.frequency, 7, 0.5],
      [t.residualFreq, 8, 0.5],
      [t.skew, 9, 0.5],
      [t.rootDelay, 10, 1e-4],
      [t.rootDispersion, 11, 1e-4],
      [t.updateInterval, 12, 1],
    ];
    for (const [actual, column, tolerance] of measured) between(actual, b[column], a[column], tolerance, `tracking column ${column}`);
  });

  it("sources match chronyc sources", async () => {
    const { value: sources, before, after } = await bracket("sources", () => connection.getSources());
    expect(sources).toHaveLength(after.length);
    sources.forEach((s, i) => {
      const [b, a] = [before[i]!, after[i]!];
      const [mode, state, name, stratum, poll] = a;
      expect(SOURCE_MODES[s.mode]).toBe(mode);
      expect([b[1], state]).toContain(SOURCE_STATES[s.state]);
      expect(s.address).toBe(name);
      expect(s.stratum).toBe(Number(stratum));
      expect(s.poll).toBe(Number(poll));
      expect([b[5], a[5]].map((reach) => Number.parseInt(reach!, 8))).toContain(s.reachability);
      between(s.latestMeas, b[7], a[7], 1e-4, `${name} adjusted offset`);
      between(s.origLatestMeas, b[8], a[8], 1e-4, `${name} measured offset`);
      between(s.latestMeasErr, b[9], a[9], 1e-4, `${name} error`);
    });
  });

  it("sourcestats match chronyc sourcestats", async () => {
    const { value: stats, before, after } = await bracket("sourcestats", () => connection.getSourceStats());
    expect(stats).toHaveLength(after.length);
    stats.forEach((s: SourceStats, i) => {
      const [b, a] = [before[i]!, after[i]!];
      expect(s.address).toBe(a[0]);
      between(s.samples, b[1], a[1], 1, `${a[0]} samples`);
      between(s.residFreq, b[4], a[4], 1, `${a[0]} residual frequency`);
      between(s.skew, b[5], a[5], 1, `${a[0]} skew`);
      between(s.offset, b[6], a[6], 1e-4, `${a[0]} offset`);
      between(s.stdDev, b[7], a[7], 1e-4, `${a[0]} standard deviation`);
    });
  });

  it("activity, smoothing and rtcdata agree with chronyc (null where chronyc says disabled)", async () => {
    const activity = await connection.getActivity();
    expect([activity.onlineSources, activity.offlineSources, activity.burstOnlineReturnSources, activity.burstOfflineReturnSources, activity.unresolvedSources].map(String)).toEqual(chronyc("activity")![0]);
    // Smoothing turns active and inactive as the lab's offsets move: ours must be one of chronyc's two readings.
    const { value: smoothing, before, after } = await bracket("smoothing", () => connection.getSmoothing());
    expect(smoothing === null).toBe(after === null);
    if (smoothing && before && after) expect([before[0]![0], after[0]![0]]).toContain(smoothing.isActive() ? "Yes" : "No");
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
      expect(r.authenticated ? "Y" : "N").toBe(row[2]);
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
