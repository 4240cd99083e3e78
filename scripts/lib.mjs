// Small helpers shared by the workspace scripts. Node builtins only.
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { delimiter, dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");

/** The pinned pnpm version, from the root package.json's packageManager field. */
export function pinnedPnpmVersion() {
  const pm = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")).packageManager ?? "";
  const m = /^pnpm@(\d+\.\d+\.\d+)/.exec(pm);
  if (!m) throw new Error(`root package.json packageManager is not pnpm@x.y.z: "${pm}"`);
  return m[1];
}

/** [command, ...prefixArgs] that runs the pinned pnpm, reusing the running one when possible. */
export function pnpmCommand() {
  const execpath = process.env.npm_execpath ?? "";
  if (/pnpm(\.c?js)?$/.test(execpath) && /\.c?js$/.test(execpath)) return [process.execPath, execpath];
  return ["npx", "-y", `pnpm@${pinnedPnpmVersion()}`];
}

/** Environment with the workspace's node_modules/.bin first on PATH. */
export function toolEnv(extra = {}) {
  return {
    ...process.env,
    PATH: [join(ROOT, "node_modules", ".bin"), process.env.PATH].join(delimiter),
    TURBO_TELEMETRY_DISABLED: "1",
    TURBO_NO_UPDATE_NOTIFIER: "1",
    ...extra,
  };
}

/**
 * Runs a command, inheriting stdio unless capture is set. Returns spawnSync's result;
 * with `timeoutMs`, the command is sent SIGTERM when it runs longer (`error.code` is "ETIMEDOUT").
 */
export function run(cmd, args, { cwd = ROOT, capture = false, timeoutMs } = {}) {
  return spawnSync(cmd, args, {
    cwd,
    env: toolEnv(),
    stdio: capture ? ["ignore", "pipe", "pipe"] : "inherit",
    encoding: "utf8",
    timeout: timeoutMs,
  });
}

/** Workspace package dirs (absolute) under packages/ that have a package.json. */
export function packageDirs() {
  return listDirs(join(ROOT, "packages"));
}

import { existsSync, readdirSync } from "node:fs";
function listDirs(parent) {
  if (!existsSync(parent)) return [];
  return readdirSync(parent, { withFileTypes: true })
    .filter((e) => e.isDirectory() && existsSync(join(parent, e.name, "package.json")))
    .map((e) => join(parent, e.name))
    .sort();
}

export function banner(ok, text) {
  const bar = ok ? "=".repeat(72) : "!".repeat(72);
  return `\n${bar}\n${ok ? "✔" : "✗✗✗ FAILED:"} ${text}\n${bar}\n`;
}
