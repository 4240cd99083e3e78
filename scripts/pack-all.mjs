#!/usr/bin/env node
// `pnpm pack:all`: builds and packs every published package into ./packed/,
// so the packages can be tried from a checkout before they are on npm:
//   npm install -D /path/to/chrony-ts/packed/*.tgz
import { mkdirSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { banner, packageDirs, pnpmCommand, ROOT, run } from "./lib.mjs";

const out = join(ROOT, "packed");
rmSync(out, { recursive: true, force: true });
mkdirSync(out);
const [pnpm, ...pnpmArgs] = pnpmCommand();
if (run(pnpm, [...pnpmArgs, "run", "build"], { cwd: ROOT }).status !== 0) process.exit(1);
for (const dir of packageDirs()) {
  if (JSON.parse(readFileSync(join(dir, "package.json"), "utf8")).private) continue;
  if (run(pnpm, [...pnpmArgs, "pack", "--pack-destination", out], { cwd: dir, capture: true }).status !== 0) {
    console.error(banner(false, `pack-all: packing ${dir} failed`));
    process.exit(1);
  }
}
console.log(`${banner(true, `pack-all: ${readdirSync(out).length} tarballs in ${out}`)}\n${readdirSync(out).map((f) => `  ${join(out, f)}`).join("\n")}`);
