/**
 * `chrony-mock-server --state FILE` with bad files: the built CLI prints one
 * line naming the problem and exits 2, never a stack trace; the state goes
 * through mock-session's validation like any other.
 */
import { execFileSync, spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ChronyConfigError } from "@chrony/mock-session";
import { loadStateFile } from "../src/index.js";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const CLI = join(ROOT, "dist", "cli.js");
const dir = mkdtempSync(join(tmpdir(), "mock-server-state-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Builds dist/ unless it is newer than every source file (turbo's test task does not wait for this package's own build). */
function ensureBuilt(): void {
  const newest = Math.max(...readdirSync(join(ROOT, "src")).map((f) => statSync(join(ROOT, "src", f)).mtimeMs));
  let built = 0;
  try {
    built = statSync(CLI).mtimeMs;
  } catch {
    // Not built yet.
  }
  if (built < newest) execFileSync(process.execPath, [createRequire(import.meta.url).resolve("typescript/bin/tsc"), "-p", "tsconfig.build.json"], { cwd: ROOT });
}

function file(name: string, content: string): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

/** Runs the CLI to its exit (it exits at once on a bad state; a good one would listen: killed after 5 s). */
function run(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill("SIGKILL"), 5000);
    child.on("error", reject);
    child.on("exit", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

const PRESET = readFileSync(join(ROOT, "..", "scenarios", "json", "ntp-synced.json"), "utf8");

beforeAll(ensureBuilt, 60_000);

describe("chrony-mock-server --state with a bad file: one line, exit 2, no stack trace", () => {
  const cases: [string, string, RegExp][] = [
    ["malformed.json", '{ "tracking": }', /^malformed\.json is not valid JSON: /],
    ["truncated.json", PRESET.slice(0, Math.floor(PRESET.length / 2)), /^truncated\.json is not valid JSON: /],
    // A truncated string whose error message quotes text across lines.
    ["newline.json", '{\n"tracking": {\n"stratum": "\n', /^newline\.json is not valid JSON: /],
    ["empty.json", "", /^empty\.json is not valid JSON: the file is empty$/],
    ["binary.json", "\u0000\u0001\u0002\uFFFD", /^binary\.json is not valid JSON: /],
    ["array.json", "[]", /^array\.json: expected a JSON object$/],
    ["number.json", "5", /^number\.json: expected a JSON object$/],
    ["proto.json", '{"__proto__":{"tracking":{"stratum":9}}}', /^proto\.json: config: unknown key "__proto__" \(expected one of the keys serverVersion, /],
    ["constructor.json", '{"tracking":{"constructor":1}}', /^constructor\.json: tracking: unknown key "constructor" \(expected one of the keys /],
    ["typo.json", '{"tracking":{"stratun":1}}', /^typo\.json: tracking: unknown key "stratun" \(expected one of the keys referenceId, /],
    ["wrapped.json", '{"sources":[{"selectdata":{"configuredOptions":4294967297}}]}', /^wrapped\.json: sources\[0\]\.selectdata\.configuredOptions: expected a combination of the bits 0xf, got 4294967297$/],
    ["flags.json", '{"sources":[{"ntpdata":{"flags":1099511627779}}]}', /^flags\.json: sources\[0\]\.ntpdata\.flags: expected a combination/],
    ["float.json", '{"tracking":{"offset":1e300}}', /^float\.json: tracking\.offset: expected a finite number from /],
    ["null-source.json", '{"sources":[null]}', /^null-source\.json: sources\[0\]: expected an object, got null$/],
    ["deep.json", `{"tracking":${'{"a":'.repeat(100_000)}1${"}".repeat(100_001)}`, /^deep\.json: tracking: unknown key "a"/],
    ["deep-sources.json", `${'{"sources":['.repeat(20_000)}{}${"]}".repeat(20_000)}`, /^deep-sources\.json: sources\[0\]: unknown key "sources"/],
    ["cross-field.json", '{"sources":[{"address":"GPS","ntpdata":{}}]}', /^cross-field\.json: sources\[0\]\.ntpdata: expected no ntpdata for a reference clock/],
    ["state-5.json", '{"state":5}', /^state-5\.json: config: expected an object, got 5$/],
    ["state-proto.json", '{"state":{"__proto__":{}}}', /^state-proto\.json: config: unknown key "__proto__"/],
    ["faults-5.json", '{"state":{},"faults":5}', /^faults-5\.json: faults: expected an array of faults, got 5$/],
    ["extra.json", '{"state":{},"statе":{}}', /^extra\.json: unknown key "statе" next to "state"/],
  ];

  it.each(cases)("%s", async (name, content, message) => {
    const path = file(name, content);
    const { code, stdout, stderr } = await run(["--state", path]);
    expect(code).toBe(2);
    expect(stdout).toBe("");
    const lines = stderr.split("\n").filter((line) => line !== "");
    expect(lines, stderr).toHaveLength(1);
    expect(lines[0]!.startsWith(`chrony-mock-server: ${path}`), lines[0]).toBe(true);
    expect(lines[0]!.slice(`chrony-mock-server: ${dir}/`.length)).toMatch(message);
    expect(lines[0]!.length).toBeLessThan(600);
  }, 20_000);

  it("a missing file and a directory", async () => {
    mkdirSync(join(dir, "a-directory"));
    for (const path of [join(dir, "missing.json"), join(dir, "a-directory")]) {
      const { code, stderr } = await run(["--state", path]);
      expect(code).toBe(2);
      expect(stderr).toMatch(/^chrony-mock-server: cannot read .*: E(NOENT|ISDIR)[^\n]*\n$/);
    }
  }, 20_000);

  it("a bad command line still points at --help", async () => {
    const { code, stderr } = await run(["--frobnicate"]);
    expect(code).toBe(2);
    expect(stderr).toBe("chrony-mock-server: unknown argument --frobnicate\nTry --help.\n");
  }, 20_000);

  it("serves a good file with a byte order mark", async () => {
    const path = file("bom.json", `\uFEFF${PRESET}`);
    const child = spawn(process.execPath, [CLI, "--state", path], { stdio: ["ignore", "pipe", "pipe"] });
    const line = await new Promise<string>((resolve, reject) => {
      let out = "";
      child.stdout.on("data", (d: Buffer) => {
        out += d.toString();
        if (out.includes("\n")) resolve(out.split("\n")[0]!);
      });
      child.on("exit", (code) => reject(new Error(`exited ${code}`)));
    });
    expect(line).toMatch(/^listening on 127\.0\.0\.1:\d+$/);
    const exited = new Promise<number | null>((resolve) => child.on("exit", resolve));
    child.kill("SIGTERM");
    expect(await exited).toBe(0);
  }, 20_000);

  it("keeps serving when a reload (SIGHUP) finds a bad file, and says so in one line", async () => {
    const path = file("reload.json", PRESET);
    const child = spawn(process.execPath, [CLI, "--state", path], { stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    const until = (test: () => boolean) =>
      new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`timed out; stdout ${stdout}, stderr ${stderr}`)), 5000);
        const check = () => {
          if (!test()) return;
          clearTimeout(timer);
          resolve();
        };
        child.stdout.on("data", (d: Buffer) => ((stdout += d.toString()), check()));
        child.stderr.on("data", check);
      });
    await until(() => stdout.includes("listening on"));
    writeFileSync(path, '{"__proto__":{"tracking":{"stratum":9}}}');
    child.kill("SIGHUP");
    await until(() => stderr.includes("\n"));
    expect(stderr).toMatch(/^chrony-mock-server: reload failed, keeping the old state: .*reload\.json: config: unknown key "__proto__" [^\n]*\n$/);
    const exited = new Promise<number | null>((resolve) => child.on("exit", resolve));
    child.kill("SIGTERM");
    expect(await exited).toBe(0);
  }, 20_000);
});

describe("loadStateFile", () => {
  it("returns the validated snapshot of the state, frozen", () => {
    const { state, faults } = loadStateFile(file("good.json", '{"$schema":"x","tracking":{"stratum":4}}'));
    expect(state).toEqual({ tracking: { stratum: 4 } });
    expect(Object.isFrozen(state)).toBe(true);
    expect(faults).toEqual([]);
  });

  it("throws a ChronyConfigError for a bad state, and a one-line Error for a bad file", () => {
    expect(() => loadStateFile(file("bad-state.json", '{"tracking":{"stratum":16}}'))).toThrow(ChronyConfigError);
    expect(() => loadStateFile(file("bad-wrapper.json", '{"state":{"sources":[{"prototype":1}]}}'))).toThrow(/^sources\[0\]: unknown key "prototype"/);
    expect(() => loadStateFile(file("bad-json.json", "{\n\n"))).toThrow(/^[^\n]*is not valid JSON: [^\n]*$/);
  });
});
