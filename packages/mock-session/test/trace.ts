/**
 * Reads the recorded libchrony traces (test/fixtures/…/README.md) and replays
 * them against the mock: one parsed call per `function(args) -> result` line.
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

export interface TracedCall {
  readonly line: number;
  readonly fn: string;
  readonly args: readonly (string | number | null)[];
  /** The result text, or `null` for void functions. */
  readonly result: string | null;
  /** The `---------- <report> record <i> ----------` block the call is in. */
  readonly record: { readonly report: string; readonly index: number } | null;
}

const CALL = /^(chrony_\w+)\((.*?)\)(?:\s+#[^>]*)?(?: -> (.*?))?(?:\s{2,}(?:#.*|\[errno.*\]))?$/;

function parseArgs(text: string): (string | number | null)[] {
  if (text === "") return [];
  return text.split(/,\s*(?=(?:[^"]*"[^"]*")*[^"]*$)/).map((arg) => {
    if (arg.startsWith('"')) return JSON.parse(arg) as string;
    if (arg === "NULL") return null;
    const n = Number(arg);
    return Number.isNaN(n) ? arg : n;
  });
}

export function readTrace(name: string): TracedCall[] {
  const path = fileURLToPath(new URL(`./fixtures/libchrony-0.2-chronyd-4.3/${name}`, import.meta.url));
  const calls: TracedCall[] = [];
  let record: TracedCall["record"] = null;
  readFileSync(path, "utf8")
    .split("\n")
    .forEach((text, i) => {
      const header = /^-{10} (\w+) record (\d+) -{10}$/.exec(text);
      if (header) record = { report: header[1]!, index: Number(header[2]) };
      if (/^#{10} REPORT/.test(text)) record = null;
      const match = CALL.exec(text);
      if (!match || text.includes("CRASH")) return;
      calls.push({ line: i + 1, fn: match[1]!, args: parseArgs(match[2]!), result: match[3] ?? null, record });
    });
  return calls;
}

/** A field's values as the trace shows them, by report, record and field name. */
export type TracedRecords = Map<string, Map<number, Map<string, string>>>;

/** Collects, per record, each field's value read by the getter of its own type. */
export function tracedRecords(calls: readonly TracedCall[]): TracedRecords {
  const getterOf: Record<string, string> = {
    "1": "chrony_get_field_uinteger",
    "2": "chrony_get_field_integer",
    "3": "chrony_get_field_float",
    "4": "chrony_get_field_timespec",
    "5": "chrony_get_field_string",
  };
  const records: TracedRecords = new Map();
  const names = new Map<number, string>();
  const types = new Map<number, string>();
  for (const call of calls) {
    if (!call.record) continue;
    const { report, index } = call.record;
    const byIndex = records.get(report) ?? new Map<number, Map<string, string>>();
    records.set(report, byIndex);
    const fields = byIndex.get(index) ?? new Map<string, string>();
    if (!byIndex.has(index)) {
      byIndex.set(index, fields);
      names.clear();
      types.clear();
    }
    const field = call.args[1];
    if (typeof field !== "number" || call.result === null) continue;
    if (call.fn === "chrony_get_field_name" && call.result !== "NULL") names.set(field, JSON.parse(call.result) as string);
    if (call.fn === "chrony_get_field_type") types.set(field, call.result.split(" ")[0]!);
    const name = names.get(field);
    if (name !== undefined && call.fn === getterOf[types.get(field) ?? ""]) fields.set(name, call.result);
  }
  return records;
}
