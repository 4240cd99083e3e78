#!/usr/bin/env node
// Demo: runs the example health check (examples/health-check) over every preset of
// @chrony/scenarios through the mock — no chronyd, no libchrony — and prints a table.
// Run with `pnpm demo`; builds what it needs with turbo first.
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { banner, pnpmCommand, ROOT, run } from "./lib.mjs";

const [pnpm, ...pnpmArgs] = pnpmCommand();
const build = run(pnpm, [...pnpmArgs, "exec", "turbo", "run", "build", "--filter=@chrony/example-health-check...", "--filter=@chrony/test-utils...", "--output-logs=errors-only"], { capture: true });
if (build.status !== 0) {
  console.error(build.stdout, build.stderr, build.error ?? "");
  console.error(banner(false, "demo: building the health check and @chrony/test-utils failed"));
  process.exit(1);
}

const { setupChronyMock, SCENARIOS } = await import("@chrony/test-utils");
const { checkHealth } = await import(pathToFileURL(join(ROOT, "examples/health-check/dist/index.js")).href);

// Every ChronyConnection.open() the health check makes gets the scope's mock session.
const chrony = setupChronyMock();
chrony.listen();
const rows = [];
try {
  for (const name of Object.keys(SCENARIOS)) {
    rows.push({ name, report: await chrony.run(name, () => checkHealth()) });
  }
} finally {
  chrony.close();
}

const seconds = (v) => (v === null ? "-" : v === 0 ? "0" : Math.abs(v) >= 0.1 ? `${v.toFixed(3)} s` : Math.abs(v) >= 1e-4 ? `${(v * 1e3).toFixed(3)} ms` : `${(v * 1e6).toFixed(3)} µs`);
const mark = { ok: "✔ ok", warn: "▲ warn", critical: "✗ critical" };
const table = rows.map(({ name, report: { verdict, reasons, values: v } }) => [
  name,
  String(v.stratum ?? "-"),
  seconds(v.offset),
  seconds(v.rootDistance),
  v.sources === null ? "-" : `${v.reachableSources}/${v.selectableSources}/${v.sources}`,
  v.leap ?? "-",
  mark[verdict],
  reasons.join("; ") || "all checks passed",
]);
const head = ["scenario", "stratum", "offset", "root distance", "reach/sel/all", "leap", "verdict", "why"];
const widths = head.map((h, i) => Math.max(h.length, ...table.slice(0).map((r) => (i === head.length - 1 ? 0 : r[i].length))));
const line = (cells) => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]))).join("  ");
console.log(`Health check (examples/health-check) over the ${rows.length} presets of @chrony/scenarios, through @chrony/mock-session:\n`);
console.log(line(head));
console.log(line(widths.map((w, i) => "-".repeat(i === head.length - 1 ? 3 : w))));
for (const r of table) console.log(line(r));
const count = (v) => rows.filter((r) => r.report.verdict === v).length;
console.log(`\n${count("ok")} ok, ${count("warn")} warn, ${count("critical")} critical`);

// Scenarios that move: what the check says at points of simulated time. chronyd keeps
// its reference and a normal leap status when its upstreams go quiet; the check
// notices through reachability first, root distance much later.
const { checkAlong } = await import("@chrony/test-utils");
const MOVING = [
  ["upstream-lost", [0, 300, 543, 544, 3600, 200_000]],
  ["network-partition", [0, 544, 1799, 1800]],
  ["falseticker-appears", [599, 600]],
  ["leap-second", [3599, 3600]],
  ["resume-from-suspend", [159, 160, 200, 209]],
];
chrony.listen();
const moving = [];
try {
  for (const [name, times] of MOVING) moving.push([name, await chrony.run(name, (session) => checkAlong(session, times, () => checkHealth()))]);
} finally {
  chrony.close();
}
const when = (s) => (s < 3600 ? `${s} s` : `${(s / 3600).toFixed(1)} h`);
console.log(`\nScenarios that move, over simulated time (MockChronySession.advance, checkAlong of @chrony/test-utils):`);
for (const [name, steps] of moving) {
  console.log(`\n${name}: ${SCENARIOS[name].description}`);
  for (const { at, result } of steps) {
    const v = result.values;
    console.log(`  ${when(at).padStart(7)}  ${mark[result.verdict].padEnd(10)}  leap ${String(v.leap).padEnd(13)}  root distance ${seconds(v.rootDistance).padEnd(10)}  ${result.reasons.join("; ") || "all checks passed"}`);
  }
}
