import { readFileSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { load } from "js-yaml";
import { describe, expect, it } from "vitest";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const read = (rel: string) => readFileSync(join(ROOT, rel), "utf8");
const rootPkg = JSON.parse(read("package.json")) as { packageManager: string };
const pnpmVersion = /^pnpm@(\d+\.\d+\.\d+)$/.exec(rootPkg.packageManager)?.[1];

interface Workflow {
  on: unknown;
  jobs: Record<string, { steps: Array<{ uses?: string; run?: string; with?: Record<string, unknown> }> }>;
}

describe("repository files", () => {
  it("pins pnpm as packageManager", () => {
    expect(pnpmVersion).toBeDefined();
  });

  it("README starts with the demo and test commands using the pinned pnpm", () => {
    const first = read("README.md").split("\n").slice(0, 4);
    expect(first[0]).toMatch(/^```/);
    expect(first[1]).toContain(`npx -y pnpm@${pnpmVersion} install && npx -y pnpm@${pnpmVersion} demo`);
    expect(first[2]).toContain(`npx -y pnpm@${pnpmVersion} install && npx -y pnpm@${pnpmVersion} test`);
  });

  it(".ci/run is executable, strict bash, and runs the README test command", () => {
    const run = read(".ci/run");
    expect(statSync(join(ROOT, ".ci/run")).mode & 0o111).not.toBe(0);
    expect(run).toMatch(/^#!\/usr\/bin\/env bash\n/);
    expect(run).toContain("set -euo pipefail");
    expect(run).toContain('npx -y "pnpm@${PNPM_VERSION}" install && npx -y "pnpm@${PNPM_VERSION}" test');
  });

  it("ci.yml runs the whole suite once, through .ci/run", () => {
    const wf = load(read(".github/workflows/ci.yml")) as Workflow;
    const runs = Object.values(wf.jobs).flatMap((j) => j.steps.map((s) => s.run ?? ""));
    expect(runs.filter((r) => r.includes(".ci/run"))).toHaveLength(1);
    expect(runs.some((r) => /\bpnpm test\b/.test(r))).toBe(false);
  });

  it("release.yml is valid YAML driving changesets/action with NPM_TOKEN", () => {
    const wf = load(read(".github/workflows/release.yml")) as Workflow;
    const steps = Object.values(wf.jobs).flatMap((j) => j.steps);
    const cs = steps.find((s) => s.uses?.startsWith("changesets/action@"));
    expect(cs).toBeDefined();
    expect(read(".github/workflows/release.yml")).toContain("secrets.NPM_TOKEN");
    // It publishes what CI tested, without testing it again.
    expect(JSON.stringify(wf.on)).toContain("workflow_run");
    expect(steps.some((s) => /\bpnpm test\b/.test(s.run ?? ""))).toBe(false);
  });
});
