#!/usr/bin/env node
// Pack check: for every packages/* package, pack it with pnpm (as `changeset publish`
// would: workspace: ranges rewritten), then run publint --strict and
// attw --profile esm-only on the tarball. Fails if any package fails.
// Needs the packages built first (`pnpm build`).
import { mkdirSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { basename, join, posix, relative } from "node:path";
import { banner, packageDirs, pnpmCommand, ROOT, run } from "./lib.mjs";

const outRoot = join(ROOT, ".pack-check");
rmSync(outRoot, { recursive: true, force: true });
const [pnpm, ...pnpmArgs] = pnpmCommand();
const failures = [];

for (const dir of packageDirs()) {
  const name = JSON.parse(readFileSync(join(dir, "package.json"), "utf8")).name;
  const rel = relative(ROOT, dir);
  if (JSON.parse(readFileSync(join(dir, "package.json"), "utf8")).private) continue;
  console.log(`\n--- check-pack: ${name} (${rel})`);
  const out = join(outRoot, basename(dir));
  mkdirSync(out, { recursive: true });
  const packed = run(pnpm, [...pnpmArgs, "pack", "--pack-destination", out], { cwd: dir, capture: true });
  const tgz = readdirSync(out).find((f) => f.endsWith(".tgz"));
  if (packed.status !== 0 || !tgz) {
    console.error(packed.stdout, packed.stderr);
    failures.push(`${name}: pnpm pack failed`);
    continue;
  }
  const tarball = join(out, tgz);
  const entries = new Set(run("tar", ["-tzf", tarball], { capture: true }).stdout.split("\n").filter(Boolean));
  if (!entries.has("package/LICENSE")) failures.push(`${name}: no LICENSE in the tarball`);
  // Source maps must point at sources the tarball ships.
  const extract = join(out, "x");
  mkdirSync(extract);
  run("tar", ["-xzf", tarball, "-C", extract], { capture: true });
  for (const entry of entries) {
    if (!entry.endsWith(".map")) continue;
    const map = JSON.parse(readFileSync(join(extract, entry), "utf8"));
    for (const source of map.sources ?? []) {
      const resolved = posix.join(posix.dirname(entry), source);
      if (!entries.has(resolved)) failures.push(`${name}: ${entry} points at ${source}, which is not in the tarball`);
    }
  }
  if (run("publint", ["run", tarball, "--strict"], { cwd: dir }).status !== 0) {
    failures.push(`${name}: publint --strict failed`);
  }
  if (run("attw", [tarball, "--profile", "esm-only", "--format", "table-flipped"], { cwd: dir }).status !== 0) {
    failures.push(`${name}: attw --profile esm-only failed`);
  }
}
rmSync(outRoot, { recursive: true, force: true });

if (failures.length) {
  console.error(banner(false, `check-pack: ${failures.length} problem(s)`));
  for (const f of failures) console.error(`  ✗ ${f}`);
  process.exit(1);
}
console.log(banner(true, "check-pack: every package passes publint --strict and attw (esm-only)"));
