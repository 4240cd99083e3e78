/**
 * Checks faults as strictly as state, so a typo never silently injects
 * nothing. One validator for every front end; {@link validateFault} with a
 * front end also rejects what that front end cannot apply, saying which one does.
 */
import {
  LIBCHRONY_FUNCTIONS,
  REPORTS,
  REPORT_NAMES,
  ReplyStatus,
  isReportName,
  type ReportName,
  type ResponseDef,
  type WireType,
} from "@chrony/fields";
import type { Fault } from "../faults.js";
import { ChronyConfigError } from "./errors.js";

/** The front ends that apply faults: the in-process `MockChronySession`, and `@chrony/mock-server`'s fake chronyd on UDP. */
export type FaultFrontEnd = "mock-session" | "mock-server";

const SCOPE_KEYS = ["report", "command", "nth", "times"] as const;
const KEYS = {
  call: ["call", "returns", "errno", "field", "report", "nth", "times"],
  none: ["reply", ...SCOPE_KEYS],
  delay: ["reply", "ms", ...SCOPE_KEYS],
  status: ["reply", "status", ...SCOPE_KEYS],
  sequence: ["reply", "xor", ...SCOPE_KEYS],
  truncate: ["reply", "length", ...SCOPE_KEYS],
  oversize: ["reply", "extra", "fill", ...SCOPE_KEYS],
  field: ["reply", "report", "field", "value", "command", "nth", "times"],
} as const satisfies Record<string, readonly string[]>;
type ReplyKind = Exclude<keyof typeof KEYS, "call">;
const REPLY_KINDS = Object.keys(KEYS).filter((k) => k !== "call") as ReplyKind[];

/** Wire types a raw number can be sent in (the rest are addresses and times). */
const NUMERIC_WIRE: readonly WireType[] = ["uint64", "uint32", "uint16", "uint8", "int16", "int8", "float"];

/** Every field name of a report over its response variants (and the sources report's "reference ID"), with its wire type. */
const FIELDS = {} as Record<ReportName, ReadonlyMap<string, WireType>>;
for (const report of REPORT_NAMES) {
  const fields = new Map<string, WireType>();
  for (const response of REPORTS[report].responses as readonly ResponseDef[]) {
    for (const field of response.fields) {
      fields.set(field.name, field.wire);
      if (field.referenceClockForm) fields.set(field.referenceClockForm.name, field.wire);
    }
  }
  FIELDS[report] = fields;
}
const ALL_FIELDS: ReadonlySet<string> = new Set(REPORT_NAMES.flatMap((report) => [...FIELDS[report].keys()]));

/** Getters whose first argument is a field index, which a call fault may scope by the field's name. */
const FIELD_GETTERS = LIBCHRONY_FUNCTIONS.filter((fn) => fn.startsWith("chrony_get_field_") && fn !== "chrony_get_field_index");

function integerIn(value: unknown, path: string, min: number, max: number, optional = false): void {
  if (optional && value === undefined) return;
  if (typeof value !== "number" || !Number.isInteger(value) || value < min || value > max) {
    const allowed = min === 1 && max === Number.MAX_SAFE_INTEGER ? "a positive integer" : `an integer from ${min} to ${max}`;
    throw new ChronyConfigError(path, allowed, value);
  }
}

function isTopic(value: unknown): boolean {
  return typeof value === "string" && (isReportName(value) || value === "count" || value === "sourcename");
}

function checkKeys(f: Record<string, unknown>, kind: keyof typeof KEYS, path: string): void {
  const keys: readonly string[] = KEYS[kind];
  for (const key of Object.keys(f)) {
    if (!keys.includes(key)) throw new ChronyConfigError(path, `one of ${keys.join(", ")} in a ${kind === "call" ? "call" : `"${kind}"`} fault`, f[key], { key });
  }
}

function checkCallFault(f: Record<string, unknown>, path: string): void {
  if (!(LIBCHRONY_FUNCTIONS as readonly unknown[]).includes(f.call)) {
    throw new ChronyConfigError(`${path}.call`, `a libchrony function (${LIBCHRONY_FUNCTIONS.join(", ")})`, f.call);
  }
  checkKeys(f, "call", path);
  if (!("returns" in f)) throw new ChronyConfigError(`${path}.returns`, "the value the call returns", undefined);
  integerIn(f.errno, `${path}.errno`, 0, 0xffff, true);
  if (f.report !== undefined && !(typeof f.report === "string" && isReportName(f.report))) {
    const topic = f.report === "count" || f.report === "sourcename";
    throw new ChronyConfigError(
      `${path}.report`,
      `a report name (${REPORT_NAMES.join(", ")})${topic ? '; "count" and "sourcename" scope reply faults, not calls' : ""}`,
      f.report,
    );
  }
  if (f.field !== undefined) {
    if (!(FIELD_GETTERS as readonly unknown[]).includes(f.call)) {
      throw new ChronyConfigError(`${path}.field`, `no field: only the getters by index scope by field (${FIELD_GETTERS.join(", ")}), not ${String(f.call)}`, f.field);
    }
    const names = f.report === undefined ? ALL_FIELDS : new Set(FIELDS[f.report as ReportName].keys());
    if (typeof f.field !== "string" || !names.has(f.field)) {
      throw new ChronyConfigError(`${path}.field`, `a field name of ${f.report === undefined ? "a report" : `the ${f.report as string} report (${[...names].join(", ")})`}`, f.field);
    }
  }
}

function checkFieldFault(f: Record<string, unknown>, path: string): void {
  if (typeof f.report !== "string" || !isReportName(f.report)) {
    throw new ChronyConfigError(`${path}.report`, `the report whose field to set (${REPORT_NAMES.join(", ")})`, f.report);
  }
  const fields = FIELDS[f.report];
  const numeric = [...fields].filter(([, wire]) => NUMERIC_WIRE.includes(wire)).map(([name]) => name);
  const wire = typeof f.field === "string" ? fields.get(f.field) : undefined;
  if (wire === undefined) {
    throw new ChronyConfigError(`${path}.field`, `a field of the ${f.report} report in any response variant (${numeric.join(", ")})`, f.field);
  }
  if (!NUMERIC_WIRE.includes(wire)) {
    throw new ChronyConfigError(
      `${path}.field`,
      `a numeric field of the ${f.report} report (${numeric.join(", ")}); a field fault sends a raw number, and ${JSON.stringify(f.field)} is ${wire === "timespec" ? "a time" : "an address"} on the wire`,
      f.field,
    );
  }
  if (typeof f.value !== "number" && typeof f.value !== "bigint") throw new ChronyConfigError(`${path}.value`, "a number or bigint", f.value);
}

function checkReplyFault(f: Record<string, unknown>, path: string): void {
  if (typeof f.reply !== "string" || !(REPLY_KINDS as readonly string[]).includes(f.reply)) {
    throw new ChronyConfigError(`${path}.reply`, `one of ${REPLY_KINDS.join(", ")}`, f.reply);
  }
  const kind = f.reply as ReplyKind;
  checkKeys(f, kind, path);
  if (kind === "field") checkFieldFault(f, path);
  else if (f.report !== undefined && !isTopic(f.report)) {
    throw new ChronyConfigError(`${path}.report`, `a report name (${REPORT_NAMES.join(", ")}), "count" or "sourcename"`, f.report);
  }
  integerIn(f.command, `${path}.command`, 0, 0xffff, true);
  switch (kind) {
    case "delay":
      integerIn(f.ms, `${path}.ms`, 0, 600_000);
      break;
    case "status":
      if (typeof f.status === "string") {
        if (!Object.hasOwn(ReplyStatus, f.status)) {
          throw new ChronyConfigError(`${path}.status`, `a ReplyStatus name (${Object.keys(ReplyStatus).join(", ")}) or a code from 0 to 65535`, f.status);
        }
      } else {
        integerIn(f.status, `${path}.status`, 0, 0xffff);
      }
      break;
    case "sequence":
      integerIn(f.xor, `${path}.xor`, 1, 0xffffffff, true);
      break;
    case "truncate":
      integerIn(f.length, `${path}.length`, 0, 0xffff);
      break;
    case "oversize":
      integerIn(f.extra, `${path}.extra`, 1, 0xffff);
      integerIn(f.fill, `${path}.fill`, 0, 0xff, true);
      break;
  }
}

/** Rejects what one front end cannot apply, naming the front end that can. */
function checkFrontEnd(f: Record<string, unknown>, path: string, frontEnd: FaultFrontEnd): void {
  if (frontEnd === "mock-server" && "call" in f) {
    throw new ChronyConfigError(
      `${path}.call`,
      "a reply fault: a call fault replaces a libchrony function's result, which only the in-process mock applies (@chrony/mock-session's MockChronySession); the fake chronyd (@chrony/mock-server) sees packets",
      f.call,
    );
  }
  if (frontEnd === "mock-session" && f.report === "sourcename") {
    throw new ChronyConfigError(
      `${path}.report`,
      'a report name or "count": libchrony never sends source name requests (chronyc does), so only the fake chronyd (@chrony/mock-server) applies a fault scoped to "sourcename"',
      f.report,
    );
  }
}

/**
 * Returns the fault if valid; throws {@link ChronyConfigError} naming the
 * path and quoting the bad key or value otherwise. With `frontEnd`, also
 * rejects what that front end cannot apply (call faults on the fake
 * chronyd; `"sourcename"` requests, which libchrony never sends, in the
 * in-process mock), saying which front end applies it.
 */
export function validateFault<F extends Fault>(fault: F, path = "fault", frontEnd?: FaultFrontEnd): F {
  if (typeof fault !== "object" || fault === null || Array.isArray(fault)) throw new ChronyConfigError(path, "a fault object", fault);
  const f = fault as unknown as Record<string, unknown>;
  if ("call" in f) checkCallFault(f, path);
  else if ("reply" in f) checkReplyFault(f, path);
  else throw new ChronyConfigError(path, 'a fault: an object with "call" (a C API call fault) or "reply" (a reply fault)', fault);
  integerIn(f.nth, `${path}.nth`, 1, Number.MAX_SAFE_INTEGER, true);
  integerIn(f.times, `${path}.times`, 1, Number.MAX_SAFE_INTEGER, true);
  if (frontEnd) checkFrontEnd(f, path, frontEnd);
  return fault;
}
