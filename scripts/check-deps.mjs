#!/usr/bin/env node
// Dependency-edge check for the chrony-ts workspace. No dependencies: node only.
//
// 1. Every packages/*/package.json may list in `dependencies`, `peerDependencies`
//    and `optionalDependencies` only the names allowed for it in ALLOWED_EDGES.
//    (devDependencies are not governed: they never reach a user's install.)
// 2. Every import in packages/*/src/**/*.{ts,mts,cts,tsx} of a bare package
//    (other than a node builtin) must be allowed for that package, must not be a
//    deep import (`@chrony/x/src/...`, or any `@chrony/x/<subpath>`), and no
//    relative import may escape the package directory (`../../other-package`).
//
// A package missing from ALLOWED_EDGES is itself a violation: adding a package
// means deciding its edges here.
import { builtinModules } from "node:module";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

/** Allowed runtime edges, per package. Keep in sync with README.md's graph. */
export const ALLOWED_EDGES = Object.freeze({
  "@chrony/fields": [],
  "@chrony/bindings": ["@chrony/fields", "@chrony/protocol", "koffi"],
  "@chrony/protocol": ["@chrony/fields"],
  "@chrony/mock-session": ["@chrony/protocol", "@chrony/fields"],
  "@chrony/mock-server": ["@chrony/mock-session", "@chrony/protocol", "@chrony/fields"],
  "@chrony/cli": ["@chrony/bindings", "@chrony/scenarios", "@chrony/protocol", "@chrony/fields", "cli-table3"],
  "@chrony/scenarios": ["@chrony/mock-session", "@chrony/fields"],
  // vitest: optional peer, imported only by the "@chrony/test-utils/vitest" entry.
  "@chrony/test-utils": ["@chrony/bindings", "@chrony/mock-session", "@chrony/scenarios", "vitest"],
});

const RUNTIME_DEP_FIELDS = ["dependencies", "peerDependencies", "optionalDependencies"];
const SOURCE_EXT = /\.(?:ts|mts|cts|tsx)$/;
const BUILTINS = new Set(builtinModules);

/**
 * @typedef {{ package: string, dir: string, kind: string, message: string, file?: string, line?: number }} Violation
 */

/** @param {string} spec */
function packageNameOf(spec) {
  const parts = spec.split("/");
  return spec.startsWith("@") ? parts.slice(0, 2).join("/") : parts[0];
}

/** @param {string} spec */
function isBuiltin(spec) {
  return spec.startsWith("node:") || BUILTINS.has(packageNameOf(spec));
}

/** Removes comments, keeping line numbers (newlines) intact. Crude but good enough. */
function stripComments(src) {
  return src
    .replace(/\/\*[\s\S]*?\*\//g, (m) => m.replace(/[^\n]/g, " "))
    .replace(/(^|[^:"'`\\])\/\/.*$/gm, "$1");
}

const IMPORT_PATTERNS = [
  // import x from "y"; import { a } from "y"; export * from "y"; import type ... from "y"
  /\b(?:import|export)\s+(?:type\s+)?[^;"'`]*?\bfrom\s*["']([^"']+)["']/g,
  // import "y";
  /\bimport\s*["']([^"']+)["']/g,
  // import("y"), require("y")
  /\b(?:import|require)\s*\(\s*["']([^"']+)["']\s*\)/g,
];

/** @param {string} source @returns {{ spec: string, line: number }[]} */
export function findImports(source) {
  const text = stripComments(source);
  const found = [];
  for (const re of IMPORT_PATTERNS) {
    re.lastIndex = 0;
    for (let m; (m = re.exec(text)); ) {
      const line = text.slice(0, m.index + m[0].indexOf(m[1])).split("\n").length;
      found.push({ spec: m[1], line });
    }
  }
  return found.sort((a, b) => a.line - b.line);
}

/** @param {string} dir */
function walk(dir) {
  if (!existsSync(dir)) return [];
  /** @type {string[]} */
  const out = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== "node_modules") out.push(...walk(p));
    } else if (SOURCE_EXT.test(entry.name) && !entry.name.endsWith(".d.ts")) out.push(p);
  }
  return out;
}

/**
 * Checks the workspace rooted at rootDir. Returns the list of violations (empty when clean).
 * @param {string} rootDir
 * @param {Record<string, readonly string[]>} [allowedEdges]
 * @returns {Violation[]}
 */
export function checkWorkspace(rootDir, allowedEdges = ALLOWED_EDGES) {
  const packagesDir = join(rootDir, "packages");
  /** @type {Violation[]} */
  const violations = [];
  if (!existsSync(packagesDir)) return violations;

  for (const entry of readdirSync(packagesDir).sort()) {
    const dir = join(packagesDir, entry);
    const pkgJsonPath = join(dir, "package.json");
    if (!statSync(dir).isDirectory() || !existsSync(pkgJsonPath)) continue;
    const pkg = JSON.parse(readFileSync(pkgJsonPath, "utf8"));
    const name = pkg.name ?? `(unnamed: packages/${entry})`;
    const relDir = relative(rootDir, dir).split(sep).join("/");
    const allowed = allowedEdges[name];
    const report = (kind, message, extra = {}) =>
      violations.push({ package: name, dir: relDir, kind, message, ...extra });

    if (!allowed) {
      report(
        "unknown-package",
        `${name} has no entry in the allowed-edges table (scripts/check-deps.mjs ALLOWED_EDGES); add one`,
      );
      continue;
    }
    const allowedText = allowed.length ? allowed.join(", ") : "(none)";

    // 1. Declared runtime dependencies.
    for (const field of RUNTIME_DEP_FIELDS) {
      for (const dep of Object.keys(pkg[field] ?? {})) {
        if (!allowed.includes(dep)) {
          report(
            "declared-edge",
            `${name} declares ${field}["${dep}"]: edge ${name} -> ${dep} is not allowed. Allowed edges of ${name}: ${allowedText}`,
            { file: `${relDir}/package.json` },
          );
        }
      }
    }

    // 2. Imports in src.
    const srcDir = join(dir, "src");
    for (const file of walk(srcDir)) {
      const relFile = relative(rootDir, file).split(sep).join("/");
      for (const { spec, line } of findImports(readFileSync(file, "utf8"))) {
        const where = `${relFile}:${line}`;
        if (spec.startsWith(".") || spec.startsWith("/")) {
          const target = resolve(dirname(file), spec);
          const fromPkg = relative(dir, target);
          if (fromPkg.startsWith("..") || resolve(target) === resolve(dir, "..")) {
            report(
              "deep-import",
              `${where}: relative import "${spec}" escapes ${relDir}/; import other packages by name (${allowedText})`,
              { file: relFile, line },
            );
          }
          continue;
        }
        if (isBuiltin(spec)) continue;
        const target = packageNameOf(spec);
        if (target === name) {
          if (spec !== name) {
            report("deep-import", `${where}: deep self-import "${spec}"; use a relative import`, {
              file: relFile,
              line,
            });
          }
          continue;
        }
        if (target.startsWith("@chrony/") && spec !== target) {
          report(
            "deep-import",
            `${where}: deep import "${spec}"; import "${target}" (its public exports) instead`,
            { file: relFile, line },
          );
        }
        if (!allowed.includes(target)) {
          report(
            "import-edge",
            `${where}: import of "${spec}": edge ${name} -> ${target} is not allowed. Allowed edges of ${name}: ${allowedText}`,
            { file: relFile, line },
          );
        }
      }
    }
  }
  return violations;
}

/** @param {Violation[]} violations */
export function formatViolations(violations) {
  return violations.map((v) => `  ✗ [${v.kind}] ${v.message}`).join("\n");
}

const isMain = process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href;
if (isMain) {
  const root = resolve(process.argv[2] ?? join(dirname(fileURLToPath(import.meta.url)), ".."));
  const violations = checkWorkspace(root);
  if (violations.length) {
    console.error(`\n✗✗✗ check-deps: ${violations.length} dependency-edge violation(s) in ${root}:\n`);
    console.error(formatViolations(violations));
    console.error("\nAllowed edges:");
    for (const [pkg, deps] of Object.entries(ALLOWED_EDGES)) {
      console.error(`  ${pkg} -> ${deps.length ? deps.join(", ") : "(none)"}`);
    }
    process.exit(1);
  }
  console.log("check-deps: OK — every package's runtime deps and src imports follow the allowed edges");
}
