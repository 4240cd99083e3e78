#!/usr/bin/env node
// README examples check: every ```ts block of README.md and packages/*/README.md is
// written to <package>/.readme-check/blockN.ts (root README: ./.readme-check/) so that
// `@chrony/*` imports resolve through the workspace's node_modules, then type-checked
// with tsc (noEmit, the workspace's strict options). Only blocks fenced exactly as
// ```ts are checked: fence a block as ```ts no-check (or anything else) to skip it.
// Needs the packages built first (`pnpm build`), since imports resolve to dist/.
// Also checks that the root README's commands use the pnpm pinned in package.json.
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join, relative, sep } from "node:path";
import { banner, packageDirs, pinnedPnpmVersion, ROOT, run } from "./lib.mjs";

/** @returns {{ code: string, line: number }[]} blocks and the README line of their first code line */
export function extractTsBlocks(markdown) {
  const lines = markdown.split(/\r?\n/);
  const blocks = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^(\s*)(`{3,}|~{3,})(.*)$/.exec(lines[i]);
    if (!open) continue;
    const [, indent, fence, info] = open;
    const end = lines.findIndex((l, j) => j > i && l.trimStart().startsWith(fence) && l.trim() === fence.trim());
    const stop = end === -1 ? lines.length : end;
    if (info.trim() === "ts") {
      blocks.push({
        code: lines.slice(i + 1, stop).map((l) => (l.startsWith(indent) ? l.slice(indent.length) : l)).join("\n"),
        line: i + 2,
      });
    }
    i = stop;
  }
  return blocks;
}

const failures = [];
let checked = 0;

// The pinned pnpm version must be the one the root README tells people to run.
const pinned = pinnedPnpmVersion();
const rootReadme = readFileSync(join(ROOT, "README.md"), "utf8");
for (const m of rootReadme.matchAll(/pnpm@(\d+\.\d+\.\d+)/g)) {
  if (m[1] !== pinned) failures.push(`README.md: mentions pnpm@${m[1]} but package.json pins pnpm@${pinned}`);
}
if (!rootReadme.includes(`npx -y pnpm@${pinned} install && npx -y pnpm@${pinned} test`)) {
  failures.push(`README.md: lacks the test command "npx -y pnpm@${pinned} install && npx -y pnpm@${pinned} test"`);
}

const targets = [{ readme: join(ROOT, "README.md"), dir: ROOT }, ...packageDirs().map((dir) => ({ readme: join(dir, "README.md"), dir }))];

for (const { readme, dir } of targets) {
  const checkDir = join(dir, ".readme-check");
  rmSync(checkDir, { recursive: true, force: true });
  if (!existsSync(readme)) continue;
  const relReadme = relative(ROOT, readme).split(sep).join("/");
  const blocks = extractTsBlocks(readFileSync(readme, "utf8"));
  if (!blocks.length) continue;
  mkdirSync(checkDir, { recursive: true });
  const base = relative(checkDir, join(ROOT, "tsconfig.base.json")).split(sep).join("/");
  writeFileSync(
    join(checkDir, "tsconfig.json"),
    JSON.stringify({ extends: base, compilerOptions: { noEmit: true }, include: ["*.ts"] }, null, 2),
  );
  blocks.forEach((b, n) => {
    // `export {}` makes every block a module (top-level await, no global clashes).
    writeFileSync(join(checkDir, `block${n + 1}.ts`), `${b.code}\nexport {};\n`);
  });
  checked += blocks.length;
  const tsc = run("tsc", ["-p", join(checkDir, "tsconfig.json"), "--pretty", "false"], { cwd: checkDir, capture: true });
  if (tsc.status !== 0) {
    const out = `${tsc.stdout}${tsc.stderr}`;
    const mapped = out.replace(/^(?:.*[\\/])?block(\d+)\.ts\((\d+),(\d+)\)/gm, (_, n, l, c) => {
      const b = blocks[Number(n) - 1];
      return `${relReadme} ts block #${n} (README line ${b.line + Number(l) - 1}, col ${c})`;
    });
    console.error(mapped.trim());
    failures.push(`${relReadme}: ts example(s) fail to type-check (see above)`);
  } else {
    console.log(`check-readme: ${relReadme}: ${blocks.length} ts block(s) type-check`);
  }
}

if (failures.length) {
  console.error(banner(false, `check-readme: ${failures.length} problem(s)`));
  for (const f of failures) console.error(`  ✗ ${f}`);
  process.exit(1);
}
console.log(banner(true, `check-readme: ${checked} README ts block(s) type-check; README pins pnpm@${pinned}`));
