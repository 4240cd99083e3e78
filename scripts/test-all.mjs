#!/usr/bin/env node
// The whole suite, in order: `pnpm test`. Runs every step even after a failure,
// then prints a summary and exits 1 if any step failed.
import { banner, run } from "./lib.mjs";

const steps = [
  ["dependency edges (scripts/check-deps.mjs)", "node", ["scripts/check-deps.mjs"]],
  ["tooling tests (scripts/test, vitest)", "vitest", ["run", "--config", "scripts/vitest.config.ts"]],
  ["lint tooling (eslint scripts)", "eslint", ["scripts", "eslint.config.js"]],
  ["packages: turbo run build typecheck lint test", "turbo", ["run", "build", "typecheck", "lint", "test", "--continue"]],
  ["pack check: publint + attw (scripts/check-pack.mjs)", "node", ["scripts/check-pack.mjs"]],
  ["README examples (scripts/check-readme.mjs)", "node", ["scripts/check-readme.mjs"]],
  ["isolated install from tarballs (scripts/check-isolated-install.mjs)", "node", ["scripts/check-isolated-install.mjs"]],
];

const results = [];
for (const [title, cmd, args] of steps) {
  console.log(`\n>>> ${title}\n>>> $ ${cmd} ${args.join(" ")}\n`);
  const started = Date.now();
  const r = run(cmd, args);
  const ok = r.status === 0;
  if (r.error) console.error(r.error);
  results.push({ title, ok, secs: ((Date.now() - started) / 1000).toFixed(1) });
  if (!ok) console.error(banner(false, `${title} (exit ${r.status ?? r.signal})`));
}

const failed = results.filter((r) => !r.ok);
console.log("\nSummary:");
for (const r of results) console.log(`  ${r.ok ? "✔ pass" : "✗ FAIL"}  ${r.title}  (${r.secs}s)`);
console.log(failed.length ? banner(false, `${failed.length} of ${results.length} steps failed: ${failed.map((f) => f.title).join("; ")}`) : banner(true, `all ${results.length} steps passed`));
console.log(`steps: ${results.length - failed.length} passed, ${failed.length} failed`);
process.exit(failed.length ? 1 : 0);
