#!/usr/bin/env node
// The whole suite, in order: `pnpm test`. Runs every step even after a failure,
// then prints a summary and exits 1 if any step failed.
import { banner, run } from "./lib.mjs";

// Each step's time budget in minutes: a hung test fails its step with a message well within
// CI's limit, and the steps after it still run. A whole clean run takes about 5 minutes.
const steps = [
  ["dependency edges (scripts/check-deps.mjs)", 1, "node", ["scripts/check-deps.mjs"]],
  ["tooling tests (scripts/test, vitest)", 3, "vitest", ["run", "--config", "scripts/vitest.config.ts"]],
  ["lint tooling (eslint scripts)", 2, "eslint", ["scripts", "eslint.config.js"]],
  ["packages: turbo run build typecheck lint test", 12, "turbo", ["run", "build", "typecheck", "lint", "test", "--continue"]],
  ["pack check: publint + attw (scripts/check-pack.mjs)", 4, "node", ["scripts/check-pack.mjs"]],
  ["README examples (scripts/check-readme.mjs)", 3, "node", ["scripts/check-readme.mjs"]],
  ["isolated install from tarballs (scripts/check-isolated-install.mjs)", 5, "node", ["scripts/check-isolated-install.mjs"]],
];

const results = [];
for (const [title, minutes, cmd, args] of steps) {
  console.log(`\n>>> ${title}\n>>> $ ${cmd} ${args.join(" ")}\n`);
  const started = Date.now();
  const r = run(cmd, args, { timeoutMs: minutes * 60_000 });
  const timedOut = r.error?.code === "ETIMEDOUT";
  const ok = r.status === 0 && !timedOut;
  if (r.error && !timedOut) console.error(r.error);
  results.push({ title, ok, secs: ((Date.now() - started) / 1000).toFixed(1) });
  if (!ok) console.error(banner(false, timedOut ? `${title}: still running after its ${minutes} min budget, stopped` : `${title} (exit ${r.status ?? r.signal})`));
}

const failed = results.filter((r) => !r.ok);
console.log("\nSummary:");
for (const r of results) console.log(`  ${r.ok ? "✔ pass" : "✗ FAIL"}  ${r.title}  (${r.secs}s)`);
console.log(failed.length ? banner(false, `${failed.length} of ${results.length} steps failed: ${failed.map((f) => f.title).join("; ")}`) : banner(true, `all ${results.length} steps passed`));
console.log(`steps: ${results.length - failed.length} passed, ${failed.length} failed`);
process.exit(failed.length ? 1 : 0);
