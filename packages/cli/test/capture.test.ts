/**
 * capture against a real chronyd: the captured state, served by the fake
 * chronyd, makes chronyc print what it printed for the real one, field for
 * field, apart from what moved while capturing (chronyc before and after
 * the capture tell which fields moved, and by how much).
 */
import { execFile, spawn } from "node:child_process";
import { createSocket } from "node:dgram";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { promisify } from "node:util";
import { loadScenario } from "@chrony/scenarios";
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from "vitest";
import { ChronyConnection } from "@chrony/bindings";
import { MockChronySession, faults, type ChronyStateConfig } from "@chrony/mock-session";
import { capture, captureJson, redactState } from "../src/index.js";
import { chronydAvailable, startChronydLab, type ChronydLab } from "../../bindings/test/lab/chronyd.js";

const MOCK_SERVER_CLI = join(dirname(createRequire(import.meta.url).resolve("@chrony/mock-server/package.json")), "dist/cli.js");

async function freePort(): Promise<number> {
  const socket = createSocket("udp4");
  await new Promise<void>((resolve) => socket.bind(0, "127.0.0.1", resolve));
  const { port } = socket.address();
  await new Promise<void>((resolve) => socket.close(resolve));
  return port;
}

const REPORTS = ["tracking", "sources", "sourcestats", "selectdata", "activity", "authdata", "ntpdata", "serverstats", "rtcdata", "smoothing"];

/** chronyc -n -c of every report: rows of CSV fields, or the error line chronyc printed. */
async function chronycAll(hostArgs: string[]): Promise<Map<string, string[][] | string>> {
  const results = new Map<string, string[][] | string>();
  for (const report of REPORTS) {
    const { stdout, error } = await promisify(execFile)("chronyc", ["-n", "-c", ...hostArgs, report], { timeout: 10_000 }).then(
      (r) => ({ stdout: r.stdout, error: null as string | null }),
      (e: { stdout?: string; stderr?: string }) => ({ stdout: e.stdout ?? "", error: (e.stdout ?? "").trim() || (e.stderr ?? "").trim() }),
    );
    results.set(report, error !== null ? error : stdout.trim().split("\n").filter(Boolean).map((line) => line.split(",")));
  }
  return results;
}

/** Differences between the fake's chronyc output and the real one's, given the real one before and after. */
function differences(before: Map<string, string[][] | string>, after: Map<string, string[][] | string>, fake: Map<string, string[][] | string>): string[] {
  const found: string[] = [];
  for (const report of REPORTS) {
    const [b, a, f] = [before.get(report)!, after.get(report)!, fake.get(report)!];
    if (typeof a === "string" || typeof f === "string") {
      if (a !== f) found.push(`${report}: real "${String(a)}", fake "${String(f)}"`);
      continue;
    }
    if (typeof b === "string" || a.length !== f.length) {
      found.push(`${report}: ${a.length} rows real, ${f.length} fake`);
      continue;
    }
    a.forEach((row, i) =>
      row.forEach((value, j) => {
        const [was, got] = [b[i]?.[j], f[i]?.[j]];
        if (was === value) {
          if (got !== value) found.push(`${report}[${i}][${j}]: real ${value}, fake ${got}`);
          return;
        }
        // Moved while capturing: a number must lie between the two readings (widened by as much as it moved).
        const [x, y, z] = [Number(was), Number(value), Number(got)];
        if ([x, y].some(Number.isNaN)) return;
        const slack = Math.abs(y - x);
        if (!(z >= Math.min(x, y) - slack && z <= Math.max(x, y) + slack)) found.push(`${report}[${i}][${j}]: fake ${got} outside ${was}…${value}`);
      }),
    );
  }
  return found;
}

/** Waits (at most 15 s) until the client has heard its upstream on each of the last 8 polls. */
async function reachFull(chronyc: (args: readonly string[]) => string): Promise<void> {
  const until = Date.now() + 15_000;
  while (!chronyc(["sources"]).split("\n").some((line) => line.split(",")[5] === "377")) {
    if (Date.now() > until) throw new Error("the lab client never reached its upstream 8 times in a row");
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const available = chronydAvailable();
if (!available) console.warn("\n" + "!".repeat(78) + "\n  SKIPPED: no chronyd installed: capture against real chronyd cannot run\n" + "!".repeat(78) + "\n");

describe.skipIf(!available)("capture of a real chronyd", () => {
  let lab: ChronydLab;
  beforeAll(async () => {
    lab = await startChronydLab();
  }, 30_000);
  afterAll(() => lab?.close());

  for (const which of ["client", "server"] as const) {
    it(`reproduces the lab's ${which} for chronyc, every report, field for field`, async () => {
      const chronyd = lab[which];
      const real = ["-h", chronyd.socketPath];
      // A full reachability register only shifts zeros in while the upstream is held: a reading between two others.
      if (which === "client") await reachFull(chronyd.chronyc.bind(chronyd));
      // The client polls its upstream 16 times a second: with the upstream held, its measurements stand still while
      // it is captured, and only what chronyd moves by itself (seconds ago, reachability, dispersion, counters) moves.
      if (which === "client") lab.server.pause();
      let before: Map<string, string[][] | string>;
      let after: Map<string, string[][] | string>;
      let captured: Awaited<ReturnType<typeof capture>>;
      try {
        before = await chronycAll(real);
        await using connection = await ChronyConnection.open({ address: chronyd.socketPath });
        captured = await capture(connection);
        after = await chronycAll(real);
      } finally {
        if (which === "client") lab.server.resume();
      }
      expect(captured.skipped).toEqual([]);
      expect(captured.serverVersion).toBe("4.3");
      // Through the JSON file, as a user keeps it, served by the fake chronyd's own command line.
      const dir = mkdtempSync(join(tmpdir(), "capture-"));
      onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
      const file = join(dir, "state.json");
      writeFileSync(file, captureJson(captured));
      const port = await freePort();
      const server = spawn(process.execPath, [MOCK_SERVER_CLI, "--state", file, "--port", String(port)], { stdio: ["ignore", "pipe", "pipe"] });
      try {
        await new Promise<void>((resolve, reject) => {
          server.stdout.on("data", (chunk: Buffer) => chunk.toString().includes("listening") && resolve());
          server.once("exit", (code) => reject(new Error(`chrony-mock-server exited with ${code}`)));
        });
        const served = await chronycAll(["-h", "127.0.0.1", "-p", String(port)]);
        expect(differences(before, after, served)).toEqual([]);
      } finally {
        server.kill();
      }
    });
  }

  it("redacts addresses consistently, with reference IDs recomputed", async () => {
    await using connection = await ChronyConnection.open({ address: lab.client.socketPath });
    const plain = await capture(connection);
    const redacted = redactState(plain.state);
    const text = JSON.stringify(redacted, (_k, v: unknown) => (typeof v === "bigint" ? v.toString() : v));
    // The lab's upstream is on loopback, which stays; its unreachable source 127.0.0.2 too.
    expect(text).not.toMatch(/\b(?!127\.)(?:\d{1,3}\.){3}\d{1,3}\b(?<!192\.0\.2\.\d{1,3})/);
    type Sample = { sources: { address: string; referenceId?: number; ntpdata?: { localAddress: string; referenceId: number } }[]; tracking: { referenceIp: string; referenceId: number } };
    const fake: Sample = { sources: [{ address: "10.1.2.3", referenceId: 0x0a010203, ntpdata: { localAddress: "10.9.9.9", referenceId: 0x0a010203 } }, { address: "2a00:1450::1" }], tracking: { referenceIp: "10.1.2.3", referenceId: 0x0a010203 } };
    const out = redactState(fake) as Sample;
    expect(out.sources[0]!.address).toBe("192.0.2.1");
    expect(out.tracking.referenceIp).toBe("192.0.2.1");
    expect(out.tracking.referenceId).toBe(0xc0000201);
    expect(out.sources[0]!.referenceId).toBe(0xc0000201);
    expect(out.sources[0]!.ntpdata!.referenceId).toBe(0xc0000201);
    expect(out.sources[0]!.ntpdata!.localAddress).toBe("192.0.2.2");
    expect(out.sources[1]!.address).toBe("2001:db8::1");
    // Redacted, the state is still one the mock accepts.
    expect(() => loadScenario(redactState(plain.state))).not.toThrow();
  });
});

describe("capture of a chronyd that changes between its reports", () => {
  it("reads again when the reports disagree (a reselection between sources and selectdata)", async () => {
    const session = new MockChronySession({ sources: [{ address: "192.0.2.1" }] });
    // The first selectdata read says stale while sources says selected, as a real chronyd can mid-reselection.
    using stale = session.inject(faults.field("selectdata", "state", "S".charCodeAt(0), { nth: 1 }));
    await using connection = await ChronyConnection.open({ lib: session.lib });
    const { state } = await capture(connection, { chronydVersion: "4.3" });
    expect(stale.fired).toBe(1);
    expect((state as ChronyStateConfig).sources?.[0]?.selectdata?.state).toBe("*".charCodeAt(0));
  });

  it("gives up after five reads that disagree, with the mock's error", async () => {
    const session = new MockChronySession({ sources: [{ address: "192.0.2.1" }] });
    using stale = session.inject(faults.field("selectdata", "state", "S".charCodeAt(0)));
    await using connection = await ChronyConnection.open({ lib: session.lib });
    await expect(capture(connection, { chronydVersion: "4.3" })).rejects.toThrow(/^sources\[0\]\.selectdata\.state: expected a selection state that chronyd reports as source state 0, got "S"/);
    expect(stale.fired).toBe(5);
  });
});
