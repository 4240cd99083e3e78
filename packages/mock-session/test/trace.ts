/**
 * Reads the recorded libchrony traces (test/fixtures/…/README.md) and replays
 * them against the mock: one parsed call per `function(args) -> result` line.
 */
import { readFileSync, readdirSync } from "node:fs";
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { ChronySessionHandle, SessionOut } from "@chrony/fields";
import type { MockChronySession } from "../src/index.js";

/** The folder holding one folder of traces per libchrony + chronyd pair. */
export const FIXTURES = fileURLToPath(new URL("./fixtures/", import.meta.url));

/** The fixture folder of libchrony 0.2 against chronyd 4.3 (Debian 12), the default of `readTrace`. */
export const DEFAULT_FOLDER = "libchrony-0.2-chronyd-4.3";

/** Fixture folders of libchrony 0.2 traces against each chronyd version, e.g. `{ version: "4.6", folder: "libchrony-0.2-chronyd-4.6" }`, oldest first. */
export function traceFolders(): { version: string; folder: string }[] {
  return readdirSync(FIXTURES, { withFileTypes: true })
    .flatMap((entry) => {
      const match = entry.isDirectory() ? /^libchrony-0\.2-chronyd-(\d+)\.(\d+)$/.exec(entry.name) : null;
      return match ? [{ version: `${match[1]}.${match[2]}`, folder: entry.name, order: Number(match[1]) * 1000 + Number(match[2]) }] : [];
    })
    .sort((a, b) => a.order - b.order)
    .map(({ version, folder }) => ({ version, folder }));
}

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

/**
 * Parses trace `name` of a fixture folder (a folder name under test/fixtures,
 * or an absolute path); the folder defaults to the chronyd 4.3 traces.
 */
export function readTrace(name: string, folder: string = DEFAULT_FOLDER): TracedCall[] {
  const path = resolve(FIXTURES, folder, name);
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

/** One call whose result differs between the trace and the mock. */
export interface Mismatch {
  readonly line: number;
  readonly call: string;
  readonly expected: string;
  readonly actual: string;
}

/** Formats a mock result the way the trace program printed it. */
export function formatResult(value: unknown): string {
  if (value === null) return "NULL";
  if (typeof value === "string") return JSON.stringify(value);
  if (typeof value === "object") {
    const ts = value as { tv_sec: number | bigint; tv_nsec: number | bigint };
    return `{tv_sec=${ts.tv_sec}, tv_nsec=${ts.tv_nsec}}`;
  }
  return String(value);
}

/** Only the part of a traced result the mock is asked to reproduce (the trace adds names and hex). */
function expectedValue(call: TracedCall): string {
  const result = call.result!;
  if (call.fn === "chrony_open_socket") return Number(result.split(" ")[0]) >= 0 ? "fd" : result.split(" ")[0]!;
  if (call.fn === "chrony_get_fd") return "fd";
  if (call.fn === "chrony_get_field_float") return String(Number(result));
  if (result.startsWith('"') || result.startsWith("{")) return result;
  return result.split(" ")[0]!;
}

/**
 * Replays traced calls against the mock's libchrony, in order, and returns
 * every call whose result differs (return codes, counts, names, types,
 * contents, every getter's value). File descriptors compare as "fd".
 */
export function replayTrace(mock: MockChronySession, calls: readonly TracedCall[]): Mismatch[] {
  const lib = mock.lib;
  let session: ChronySessionHandle | null = null;
  let fd = -1;
  const mismatches: Mismatch[] = [];
  for (const call of calls) {
    let actual: string;
    switch (call.fn) {
      case "chrony_open_socket":
        fd = lib.chrony_open_socket(call.args[0] as string | null);
        actual = fd >= 0 ? "fd" : String(fd);
        break;
      case "chrony_init_session": {
        const out: SessionOut = [null];
        actual = formatResult(lib.chrony_init_session(out, fd));
        session = out[0];
        break;
      }
      case "chrony_close_socket":
        lib.chrony_close_socket(fd);
        continue;
      case "chrony_get_fd":
        actual = lib.chrony_get_fd(session!) === fd ? "fd" : "other";
        break;
      case "chrony_get_error_string":
      case "chrony_get_report_name":
      case "chrony_get_number_supported_reports":
        actual = formatResult((lib[call.fn] as (...a: unknown[]) => unknown)(...call.args));
        break;
      default:
        actual = formatResult((lib[call.fn as keyof typeof lib] as (...a: unknown[]) => unknown)(session, ...call.args.slice(1)));
    }
    if (call.result === null) continue;
    const expected = expectedValue(call);
    if (actual !== expected) mismatches.push({ line: call.line, call: `${call.fn}(${call.args.map((a) => JSON.stringify(a)).join(", ")})`, expected, actual });
  }
  return mismatches;
}
