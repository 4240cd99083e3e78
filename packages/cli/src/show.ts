/**
 * `chrony-ts show`: reports as tables or JSON.
 *
 * @module
 */
import { ChronyError, type ChronyConnection } from "@chrony/bindings";
import type { ReportName } from "@chrony/fields";
import { paint, table, toJson, type Output } from "./format.js";
import { READERS } from "./reports.js";

/** Reads the reports; returns the exit code: 1 when a report the user named could not be read, or none could. */
export async function show(connection: ChronyConnection, reports: readonly ReportName[], named: boolean, json: boolean, output: Output): Promise<number> {
  const values: Partial<Record<ReportName, unknown>> = {};
  const failed: ReportName[] = [];
  for (const report of reports) {
    try {
      values[report] = await READERS[report](connection);
    } catch (error) {
      if (!(error instanceof ChronyError)) throw error;
      failed.push(report);
      output.stderr.write(`${paint(output, "yellow", `${report}:`)} ${error.message}\n`);
    }
  }
  if (json) output.stdout.write(`${toJson(values)}\n`);
  else {
    for (const [report, value] of Object.entries(values)) {
      output.stdout.write(`${value === null ? `${paint(output, "bold", report)}\n(disabled in chronyd)` : table(output, report, value as object)}\n\n`);
    }
  }
  const nothing = Object.keys(values).length === 0;
  return (named && failed.length > 0) || nothing ? 1 : 0;
}
