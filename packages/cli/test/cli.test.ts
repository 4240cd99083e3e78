/**
 * `chrony-ts` against a real chronyd on loopback (Debian's chrony) and the
 * fake chronyd: what it prints, what it exits with, and that mistakes get
 * one line, never a stack trace.
 */
import { execFile } from "node:child_process";
import { chmodSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { startMockChronyd } from "@chrony/mock-server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { run, type Output } from "../src/index.js";
import { chronydAvailable, startChronydLab, type ChronydLab } from "../../bindings/test/lab/chronyd.js";

const CLI = join(dirname(fileURLToPath(import.meta.url)), "../dist/cli.js");

/** Runs the CLI in process, capturing what it writes. */
async function cli(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = "";
  let stderr = "";
  const output: Output = {
    stdout: { write: (s: string) => ((stdout += s), true) } as unknown as NodeJS.WritableStream,
    stderr: { write: (s: string) => ((stderr += s), true) } as unknown as NodeJS.WritableStream,
    color: false,
  };
  const code = await run(argv, output);
  return { code, stdout, stderr };
}

describe("usage errors: one line, exit 2", () => {
  it.each([
    [["frobnicate"], /unknown command "frobnicate"/],
    [["show", "trackin"], /unknown report "trackin"; reports: tracking,/],
    [["show", "--bogus"], /Unknown option '--bogus'/],
    [["show", "--timeout", "soon"], /--timeout must be a whole number/],
    [["doctor", "--backend", "rust"], /--backend must be typescript or libchrony/],
    [["doctor", "extra"], /Unexpected argument 'extra'/],
    [["capture", "--chronyd-version", "latest"], /--chronyd-version must look like 4\.3/],
    [["show", "--redact"], /--redact is not an option of show/],
    [["capture", "--json"], /--json is not an option of capture/],
  ])("%j", async (argv, message) => {
    const { code, stderr, stdout } = await cli(...argv);
    expect(code).toBe(2);
    expect(stdout).toBe("");
    expect(stderr).toMatch(message);
    expect(stderr).toMatch(/--help for usage/);
    expect(stderr).not.toMatch(/\n\s+at /);
  });

  it("has help for each command", async () => {
    for (const command of ["show", "capture", "doctor"]) {
      const { code, stdout } = await cli(command, "--help");
      expect(code).toBe(0);
      expect(stdout).toMatch(new RegExp(`^Usage: chrony-ts ${command}`));
    }
  });

  it("reports an unreachable address in one line and exits 1", async () => {
    const { code, stderr } = await cli("show", "tracking", "-a", "/nonexistent/chronyd.sock");
    expect(code).toBe(1);
    expect(stderr.trim().split("\n")).toHaveLength(1);
    expect(stderr).toMatch(/^chrony-ts: Cannot connect to chronyd at \/nonexistent\/chronyd.sock .*ENOENT/);
  });
});

describe("show against the fake chronyd", () => {
  it("prints JSON a script reads, 64-bit counters as strings", async () => {
    await using server = await startMockChronyd({ sources: [{ address: "192.0.2.1" }, { address: "GPS" }] });
    const { code, stdout } = await cli("show", "tracking", "sources", "serverstats", "--json", "-a", server.address);
    expect(code).toBe(0);
    const json = JSON.parse(stdout) as { tracking: { stratum: number }; sources: { address: string }[]; serverstats: Record<string, unknown> };
    expect(json.sources.map((s) => s.address)).toEqual(["192.0.2.1", "GPS"]);
    expect(typeof json.tracking.stratum).toBe("number");
    expect(Object.values(json.serverstats).some((v) => typeof v === "string" && /^\d+$/.test(v))).toBe(true);
  });

  it("prints tables a person reads, and names on stderr what chronyd refused", async () => {
    await using server = await startMockChronyd({ sources: [{ address: "192.0.2.1" }] }, { udpRestrictions: true });
    const { code, stdout, stderr } = await cli("show", "-a", server.address);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^tracking\n┌/);
    expect(stdout).toMatch(/192\.0\.2\.1/);
    expect(stderr).toMatch(/^serverstats: .*over UDP/m);
    // Named explicitly, a refused report is a failure.
    expect((await cli("show", "serverstats", "-a", server.address)).code).toBe(1);
  });
});

const available = chronydAvailable();
if (!available) console.warn("\n" + "!".repeat(78) + "\n  SKIPPED: no chronyd installed: chrony-ts against real chronyd cannot run\n" + "!".repeat(78) + "\n");

describe.skipIf(!available)("against real chronyd", () => {
  let lab: ChronydLab;
  beforeAll(async () => {
    lab = await startChronydLab();
    // The bin runs as nobody below: it must be able to read the built CLI and its dependencies.
    chmodSync(CLI, 0o755);
  }, 30_000);
  afterAll(() => lab?.close());

  it("show reads every report over the Unix socket as chronyc sees it", async () => {
    const { code, stdout } = await cli("show", "--json", "-a", lab.client.socketPath);
    expect(code).toBe(0);
    const json = JSON.parse(stdout) as Record<string, unknown>;
    expect(Object.keys(json).sort()).toEqual(["activity", "authdata", "ntpdata", "rtcdata", "selectdata", "serverstats", "smoothing", "sources", "sourcestats", "tracking"]);
    expect(json.rtcdata).toBeNull();
    const addresses = (json.sources as { address: string }[]).map((s) => s.address);
    const chronyc = lab.client.chronyc(["sources"]).trim().split("\n").map((line) => line.split(",")[2]);
    expect(addresses).toEqual(chronyc);
  });

  it("doctor as root against a healthy chronyd exits 0 and infers the version", async () => {
    const { code, stdout } = await cli("doctor", "-a", lab.client.socketPath);
    expect(stdout).toMatch(/✔ .*chronyd\.sock \(Unix socket\): 9 reports readable/);
    expect(stdout).toMatch(/chronyd version: 4\.2–4\.3/);
    expect(code).toBe(0);
  });

  it("doctor over UDP only names the reports chronyd refuses there and how to open them", async () => {
    const { code, stdout } = await cli("doctor", "--json", "-a", lab.client.udpAddress);
    const report = JSON.parse(stdout) as { ok: boolean; transports: { works: boolean; reports: Record<string, string>; problems: { kind: string; fix: string }[] }[] };
    expect(code).toBe(0);
    const [udp] = report.transports;
    expect(udp!.works).toBe(true);
    expect(Object.entries(udp!.reports).filter(([, o]) => o === "refused").map(([r]) => r).sort()).toEqual(["authdata", "ntpdata", "selectdata", "serverstats"]);
    const refused = udp!.problems.find((p) => p.kind === "refused-over-udp")!;
    expect(refused.fix).toMatch(/opencommands .*serverstats/);
  });

  it("doctor as an unprivileged user against a 0700 socket directory exits non-zero and names the permission problem", async () => {
    const nobody = { uid: 65534, gid: 65534 };
    const result = await promisify(execFile)(process.execPath, [CLI, "doctor", "-a", lab.client.socketPath], { ...nobody, cwd: "/" }).then(
      (r) => ({ code: 0, stdout: r.stdout }),
      (e: { code: number; stdout: string }) => ({ code: e.code, stdout: e.stdout }),
    );
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/problem: \/tmp\/chronyd-lab-client-\w+ \(root:root, mode 0700\) is closed to nobody/);
    expect(result.stdout).toMatch(/fix: Run as root/);
  });
});
