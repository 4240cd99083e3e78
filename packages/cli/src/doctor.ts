/**
 * `chrony-ts doctor`: tries chronyd's command sockets in libchrony's order
 * and says which work, and for the others why not and what to do.
 *
 * @module
 */
import { existsSync } from "node:fs";
import { DEFAULT_SOCKET_PATHS, DEFAULT_UDP_ADDRESSES } from "@chrony/bindings";
import { diagnose, type ConnectOptions, type TransportDiagnosis } from "./diagnose.js";
import { paint, toJson, type Output } from "./format.js";
import { inferVersion } from "./version.js";

/** The addresses doctor tries: the given one, or the default Unix sockets that exist (all when none does), then UDP. */
function candidates(address: string | undefined): string[] {
  if (address !== undefined) return [address];
  const existing = DEFAULT_SOCKET_PATHS.filter((path) => existsSync(path));
  return [...(existing.length > 0 ? existing : DEFAULT_SOCKET_PATHS), ...DEFAULT_UDP_ADDRESSES];
}

/** Runs the diagnosis; exit code 0 when every address tried works, 1 otherwise. */
export async function doctor(address: string | undefined, options: ConnectOptions, json: boolean, output: Output): Promise<number> {
  const results: TransportDiagnosis[] = [];
  for (const candidate of candidates(address)) {
    if (output.color && !json) output.stderr.write(paint(output, "dim", `trying ${candidate}…\n`));
    results.push(await diagnose(candidate, options));
  }
  const layouts = Object.assign({}, ...results.map((r) => r.layouts)) as TransportDiagnosis["layouts"];
  const version = inferVersion(layouts);
  const ok = results.every((r) => r.works);
  if (json) {
    output.stdout.write(`${toJson({ ok, chronydVersion: version, transports: results.map(({ layouts: _, ...rest }) => rest) })}\n`);
    return ok ? 0 : 1;
  }
  for (const r of results) {
    const mark = r.works ? paint(output, "green", "✔") : paint(output, "red", "✘");
    const served = Object.entries(r.reports).filter(([, o]) => o === "ok").map(([name]) => name);
    output.stdout.write(`${mark} ${r.address} (${r.kind === "unix" ? "Unix socket" : "UDP"})${r.works ? `: ${served.length} reports readable` : ""}\n`);
    for (const problem of r.problems) {
      const label = problem.kind === "disabled" ? paint(output, "dim", "  note:") : paint(output, r.works ? "yellow" : "red", "  problem:");
      output.stdout.write(`${label} ${problem.message}\n`);
      if (problem.fix) output.stdout.write(`${paint(output, "dim", "  fix:")} ${problem.fix}\n`);
    }
  }
  output.stdout.write(`chronyd version: ${version?.range ?? "unknown (no report with a version-specific layout could be read)"}\n`);
  return ok ? 0 : 1;
}
