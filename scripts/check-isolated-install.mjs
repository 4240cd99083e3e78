#!/usr/bin/env node
// Isolated-install check: the packages work as a user gets them from npm, outside the
// workspace. Needs the packages built first (`pnpm build`); run by `pnpm test`.
//
// 1. `pnpm pack` every public package (workspace: ranges become real versions).
// 2. Project A, in os.tmpdir(): npm-install only the @chrony/mock-session,
//    @chrony/scenarios, @chrony/protocol and @chrony/fields tarballs; assert no koffi and no `.node` file
//    anywhere in node_modules (the mock is pure TypeScript), then drive a preset
//    through the mock's `lib` (libchrony's C API) and check a value.
// 3. Project B: npm-install @chrony/test-utils with its @chrony tarballs (koffi and vitest
//    from the registry), copy examples/health-check's src + tests there with a vitest
//    config, and run the example's test suite against the tarballs.
// Fails loudly with the step and its output; always removes its temp dirs.
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join, relative } from "node:path";
import { banner, packageDirs, pnpmCommand, ROOT } from "./lib.mjs";

const started = Date.now();
const work = mkdtempSync(join(tmpdir(), "chrony-isolated-"));
const elapsed = () => `${((Date.now() - started) / 1000).toFixed(1)}s`;

class StepError extends Error {}

/** Runs a command; on failure throws with the step, the command and its whole output. */
function step(title, cmd, args, { cwd, env = {} } = {}) {
  console.log(`--- [${elapsed()}] ${title}\n    $ ${cmd} ${args.join(" ")}${cwd ? `   (in ${cwd})` : ""}`);
  const r = spawnSync(cmd, args, {
    cwd,
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, npm_config_audit: "false", npm_config_fund: "false", npm_config_update_notifier: "false", ...env },
    maxBuffer: 64 * 1024 * 1024,
  });
  if (r.status !== 0) {
    throw new StepError(
      `step "${title}" failed (${r.error ? r.error.message : `exit ${r.status ?? r.signal}`})\n$ ${cmd} ${args.join(" ")}\n--- stdout\n${r.stdout ?? ""}\n--- stderr\n${r.stderr ?? ""}`,
    );
  }
  return r.stdout;
}

function check(title, ok, detail = "") {
  if (!ok) throw new StepError(`check "${title}" failed${detail ? `:\n${detail}` : ""}`);
  console.log(`    ✔ ${title}`);
}

/** Every file under dir (node_modules included) whose name ends with suffix. */
function findFiles(dir, suffix, found = []) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    if (entry.isDirectory()) findFiles(p, suffix, found);
    else if (entry.name.endsWith(suffix)) found.push(p);
  }
  return found;
}

function project(name, dependencies = {}, devDependencies = {}) {
  const dir = join(work, name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "package.json"), JSON.stringify({ name, private: true, type: "module", dependencies, devDependencies }, null, 2));
  return dir;
}

const npm = process.platform === "win32" ? "npm.cmd" : "npm";
const npmInstall = ["install", "--no-audit", "--no-fund", "--no-package-lock", "--loglevel=error"];

try {
  // 1. Pack.
  const [pnpm, ...pnpmArgs] = pnpmCommand();
  const tarballs = {};
  const packDir = join(work, "tarballs");
  for (const dir of packageDirs()) {
    const pkg = JSON.parse(readFileSync(join(dir, "package.json"), "utf8"));
    if (pkg.private) continue;
    if (!existsSync(join(dir, "dist"))) throw new StepError(`${pkg.name} is not built (${relative(ROOT, dir)}/dist missing): run \`pnpm build\` first`);
    const out = join(packDir, basename(dir));
    mkdirSync(out, { recursive: true });
    step(`pack ${pkg.name}`, pnpm, [...pnpmArgs, "pack", "--pack-destination", out], { cwd: dir });
    const tgz = readdirSync(out).find((f) => f.endsWith(".tgz"));
    if (!tgz) throw new StepError(`pnpm pack of ${pkg.name} wrote no .tgz into ${out}`);
    tarballs[pkg.name] = join(out, tgz);
  }
  const need = (name) => {
    if (!tarballs[name]) throw new StepError(`no tarball for ${name} (packed: ${Object.keys(tarballs).join(", ")})`);
    return tarballs[name];
  };

  // 2. The mock alone: no native code at all.
  const a = project("mock-only");
  step("project A: npm install mock-session + scenarios + protocol + fields tarballs", npm, [...npmInstall, need("@chrony/fields"), need("@chrony/protocol"), need("@chrony/mock-session"), need("@chrony/scenarios")], { cwd: a });
  const modules = join(a, "node_modules");
  check("node_modules/koffi is absent", !existsSync(join(modules, "koffi")));
  const native = findFiles(modules, ".node");
  check("no .node file anywhere in node_modules", native.length === 0, native.join("\n"));
  const installed = readdirSync(modules).filter((n) => !n.startsWith("."));
  check("only @chrony packages installed", installed.every((n) => n === "@chrony"), `node_modules: ${installed.join(", ")}`);
  writeFileSync(
    join(a, "drive.mjs"),
    `import assert from "node:assert/strict";
import { MockChronySession } from "@chrony/mock-session";
import { SCENARIO_GPS_REFCLOCK, SCENARIOS } from "@chrony/scenarios";

const mock = new MockChronySession(SCENARIO_GPS_REFCLOCK);
const { lib } = mock;
const fd = lib.chrony_open_socket("/run/chrony/chronyd.sock");
assert.ok(fd >= 0, "chrony_open_socket");
const out = [null];
assert.equal(lib.chrony_init_session(out, fd), 0, "chrony_init_session");
const s = out[0];
assert.equal(lib.chrony_request_record(s, "tracking", 0), 0, "chrony_request_record");
while (lib.chrony_needs_response(s)) assert.equal(lib.chrony_process_response(s), 0, "chrony_process_response");
const stratum = lib.chrony_get_field_uinteger(s, lib.chrony_get_field_index(s, "stratum"));
const refid = lib.chrony_get_field_uinteger(s, lib.chrony_get_field_index(s, "reference ID"));
lib.chrony_deinit_session(s);
lib.chrony_close_socket(fd);
assert.equal(stratum, 1);
assert.equal(refid, 0x47505300); // "GPS"
assert.deepEqual(mock.openHandles, { sockets: 0, sessions: 0 });
assert.equal(Object.keys(SCENARIOS).length >= 25, true);
console.log("drive.mjs: gps-refclock through the mock's lib: stratum", stratum, "refid", refid.toString(16));
`,
  );
  console.log(step("project A: drive a preset through the mock's lib", process.execPath, ["drive.mjs"], { cwd: a }).trim().replace(/^/gm, "    "));

  // 3. test-utils + the example's test suite.
  const rootPkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8"));
  const vitestVersion = rootPkg.devDependencies.vitest;
  const deps = ["@chrony/fields", "@chrony/protocol", "@chrony/bindings", "@chrony/mock-session", "@chrony/scenarios", "@chrony/test-utils"];
  const b = project("health-check", Object.fromEntries(deps.map((d) => [d, `file:${need(d)}`])), { vitest: vitestVersion });
  const example = join(ROOT, "examples", "health-check");
  cpSync(join(example, "src"), join(b, "src"), { recursive: true });
  cpSync(join(example, "test"), join(b, "test"), { recursive: true });
  // vitest's transform follows tsconfig's target: ES2022 lowers `await using` for Node 20.
  writeFileSync(
    join(b, "tsconfig.json"),
    JSON.stringify({ compilerOptions: { target: "ES2022", module: "NodeNext", moduleResolution: "NodeNext", strict: true, skipLibCheck: true, lib: ["ES2023", "ESNext.Disposable"] } }, null, 2),
  );
  writeFileSync(join(b, "vitest.config.mjs"), `export default { test: { include: ["test/**/*.test.ts"] } };\n`);
  step(`project B: npm install @chrony/test-utils (+ @chrony tarballs; koffi, vitest@${vitestVersion} from the registry)`, npm, npmInstall, { cwd: b });
  check("koffi came from the registry for @chrony/bindings", existsSync(join(b, "node_modules", "koffi", "package.json")));
  for (const d of deps) {
    const version = JSON.parse(readFileSync(join(b, "node_modules", d, "package.json"), "utf8")).version;
    check(`${d}@${version} installed from its tarball`, existsSync(join(b, "node_modules", d, "dist")));
  }
  const vitestBin = join(b, "node_modules", "vitest", "vitest.mjs");
  const output = step("project B: the example's test suite against the tarballs", process.execPath, [vitestBin, "run", "--reporter=dot"], { cwd: b, env: { CI: "1" } });
  const summary = output.split("\n").filter((l) => /Test Files|Tests /.test(l)).join("\n");
  const ansi = new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, "g");
  console.log(summary.replace(ansi, "").replace(/^/gm, "    "));

  console.log(banner(true, `check-isolated-install: mock-only install has no native code; example suite passes on the tarballs (${elapsed()})`));
} catch (error) {
  console.error(error instanceof StepError ? error.message : error);
  console.error(banner(false, `check-isolated-install (after ${elapsed()})`));
  process.exitCode = 1;
} finally {
  rmSync(work, { recursive: true, force: true });
}
