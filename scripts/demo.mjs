#!/usr/bin/env node
// Demo: prints the @chrony/fields report registry. Run with `pnpm demo` (builds first).
import { REPORTS } from "@chrony/fields";

const names = Object.keys(REPORTS);
console.log(`@chrony/fields: ${names.length} reports in libchrony's data model\n`);
for (const name of names) {
  const report = REPORTS[name];
  const responses = report.responses ?? [];
  // A report may have several response versions (codes), each with its own field list.
  const perCode = responses.map((r) => `code ${r.code}: ${r.fields?.length ?? 0} fields`).join(", ");
  console.log(`  ${name.padEnd(16)} ${perCode || "(no responses)"}`);
}
