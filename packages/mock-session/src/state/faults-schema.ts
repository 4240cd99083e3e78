/** Checks injected faults as strictly as state, so a typo never silently injects nothing. */
import { LIBCHRONY_FUNCTIONS, REPORT_NAMES, isReportName } from "@chrony/fields";
import type { Fault } from "../faults.js";
import { ChronyConfigError } from "./errors.js";

const KINDS = ["call", "reply"] as const;
const REPLIES = ["none", "status", "field"] as const;
const SCOPE_KEYS = ["report", "nth", "times"];
const KEYS = {
  call: ["call", "returns", "errno", "field", ...SCOPE_KEYS],
  none: ["reply", ...SCOPE_KEYS],
  status: ["reply", "status", ...SCOPE_KEYS],
  field: ["reply", "field", "value", ...SCOPE_KEYS],
} as const;

function positiveInteger(value: unknown, path: string): void {
  if (value !== undefined && (typeof value !== "number" || !Number.isInteger(value) || value < 1)) {
    throw new ChronyConfigError(path, "a positive integer", value);
  }
}

/** Returns the fault if valid; throws {@link ChronyConfigError} naming the bad key otherwise. */
export function validateFault(fault: Fault, path: string): Fault {
  if (typeof fault !== "object" || fault === null) throw new ChronyConfigError(path, "a fault object", fault);
  const kind = KINDS.find((k) => k in fault);
  if (!kind) throw new ChronyConfigError(path, 'an object with "call" or "reply"', fault);
  const f = fault as unknown as Record<string, unknown>;
  let keys: readonly string[];
  if (kind === "call") {
    if (!(LIBCHRONY_FUNCTIONS as readonly unknown[]).includes(f.call)) {
      throw new ChronyConfigError(`${path}.call`, `a libchrony function (${LIBCHRONY_FUNCTIONS.join(", ")})`, f.call);
    }
    if (!("returns" in f)) throw new ChronyConfigError(`${path}.returns`, "the value the call returns", undefined);
    keys = KEYS.call;
  } else {
    if (!(REPLIES as readonly unknown[]).includes(f.reply)) throw new ChronyConfigError(`${path}.reply`, `one of ${REPLIES.join(", ")}`, f.reply);
    keys = KEYS[f.reply as (typeof REPLIES)[number]];
    if (f.reply === "status" && (typeof f.status !== "number" || !Number.isInteger(f.status) || f.status < 0 || f.status > 0xffff)) {
      throw new ChronyConfigError(`${path}.status`, "a status code from 0 to 65535", f.status);
    }
    if (f.reply === "field" && typeof f.field !== "string") throw new ChronyConfigError(`${path}.field`, "a field name", f.field);
    if (f.reply === "field" && typeof f.value !== "number" && typeof f.value !== "bigint") {
      throw new ChronyConfigError(`${path}.value`, "a number or bigint", f.value);
    }
  }
  for (const key of Object.keys(f)) {
    if (!keys.includes(key)) throw new ChronyConfigError(`${path}.${key}`, `one of the keys ${keys.join(", ")}`, "an unknown key");
  }
  if (f.report !== undefined && (typeof f.report !== "string" || !isReportName(f.report))) {
    throw new ChronyConfigError(`${path}.report`, `a report name (${REPORT_NAMES.join(", ")})`, f.report);
  }
  positiveInteger(f.nth, `${path}.nth`);
  positiveInteger(f.times, `${path}.times`);
  return fault;
}
