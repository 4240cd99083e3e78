/**
 * Declarative fault injection at the packet level: a fault says which
 * requests it applies to (by report or command code, and which occurrence)
 * and what happens to the reply instead — dropped, delayed, sent with a wrong
 * sequence number, truncated, padded, with another status or a raw field value.
 * Same scoping as `@chrony/mock-session`'s faults (`report`, `nth`, `times`).
 */
import { isReportName, type ReportName } from "@chrony/fields";
import { ChronyConfigError, FaultOccurrences } from "@chrony/mock-session";

/** What a request is about, for scoping: a report, `"count"` (REQ_N_SOURCES), `"sourcename"` (REQ_NTP_SOURCE_NAME). */
export type RequestTopic = ReportName | "count" | "sourcename";

/** Which requests a fault applies to. */
export interface ServerFaultScope {
  /** Only requests about this report (`"count"`: the source count; `"sourcename"`: source names). */
  readonly report?: RequestTopic;
  /** Only requests with this command code (candm.h `REQ_*`). */
  readonly command?: number;
  /** Only the n-th matching request, counting from 1 since the fault was added. */
  readonly nth?: number;
  /** At most this many times. Default: every time, or once with `nth`. */
  readonly times?: number;
}

/** No reply at all: the client times out (chronyc retries, then prints `506 Cannot talk to daemon`). */
export interface DropFault extends ServerFaultScope {
  readonly reply: "none";
}

/** The reply is sent `ms` milliseconds late. */
export interface DelayFault extends ServerFaultScope {
  readonly reply: "delay";
  readonly ms: number;
}

/** The reply carries this status (candm.h `STT_*`) and no data, e.g. 2 for `501 Not authorised`. */
export interface ServerStatusFault extends ServerFaultScope {
  readonly reply: "status";
  readonly status: number;
}

/** The reply echoes a different sequence number (`sequence XOR xor`, default 1): clients ignore it as stale. */
export interface SequenceFault extends ServerFaultScope {
  readonly reply: "sequence";
  readonly xor?: number;
}

/** The reply is cut to `length` bytes. */
export interface TruncateFault extends ServerFaultScope {
  readonly reply: "truncate";
  readonly length: number;
}

/** The reply gets `extra` more bytes (of `fill`, default 0). */
export interface OversizeFault extends ServerFaultScope {
  readonly reply: "oversize";
  readonly extra: number;
  readonly fill?: number;
}

/** A record reply carries this raw value in one field (by libchrony's field name). */
export interface ServerFieldFault extends ServerFaultScope {
  readonly reply: "field";
  readonly field: string;
  readonly value: number | bigint;
}

/** A reply fault. */
export type ServerFault =
  | DropFault
  | DelayFault
  | ServerStatusFault
  | SequenceFault
  | TruncateFault
  | OversizeFault
  | ServerFieldFault;

/** Builders for common faults, so tests read as what they simulate. */
export const serverFaults = {
  /** Never answer (timeouts). */
  drop: (scope: ServerFaultScope = {}): DropFault => ({ ...scope, reply: "none" }),
  /** Answer `ms` milliseconds late. */
  delay: (ms: number, scope: ServerFaultScope = {}): DelayFault => ({ ...scope, reply: "delay", ms }),
  /** Answer with a status code instead. */
  status: (status: number, scope: ServerFaultScope = {}): ServerStatusFault => ({ ...scope, reply: "status", status }),
  /** Answer with a wrong sequence number. */
  wrongSequence: (scope: ServerFaultScope = {}): SequenceFault => ({ ...scope, reply: "sequence" }),
  /** Cut the reply to `length` bytes. */
  truncate: (length: number, scope: ServerFaultScope = {}): TruncateFault => ({ ...scope, reply: "truncate", length }),
  /** Append `extra` bytes to the reply. */
  oversize: (extra: number, scope: ServerFaultScope = {}): OversizeFault => ({ ...scope, reply: "oversize", extra }),
  /** Send a raw value in one field of a report's record. */
  field: (report: ReportName, field: string, value: number | bigint, scope: Omit<ServerFaultScope, "report"> = {}): ServerFieldFault => ({
    ...scope,
    report,
    reply: "field",
    field,
    value,
  }),
} as const;

const SCOPE_KEYS = ["report", "command", "nth", "times"];
const KEYS: Record<ServerFault["reply"], readonly string[]> = {
  none: ["reply", ...SCOPE_KEYS],
  delay: ["reply", "ms", ...SCOPE_KEYS],
  status: ["reply", "status", ...SCOPE_KEYS],
  sequence: ["reply", "xor", ...SCOPE_KEYS],
  truncate: ["reply", "length", ...SCOPE_KEYS],
  oversize: ["reply", "extra", "fill", ...SCOPE_KEYS],
  field: ["reply", "field", "value", ...SCOPE_KEYS],
};

function integerIn(value: unknown, path: string, min: number, max: number, optional = false): void {
  if (optional && value === undefined) return;
  if (typeof value !== "number" || !Number.isInteger(value) || value < min || value > max) {
    throw new ChronyConfigError(path, `an integer from ${min} to ${max}`, value);
  }
}

/** Returns the fault if valid; throws `ChronyConfigError` naming the bad key otherwise. */
export function validateServerFault(fault: ServerFault, path = "fault"): ServerFault {
  if (typeof fault !== "object" || fault === null) throw new ChronyConfigError(path, "a fault object", fault);
  const f = fault as unknown as Record<string, unknown>;
  if (typeof f.reply !== "string" || !Object.hasOwn(KEYS, f.reply)) {
    throw new ChronyConfigError(`${path}.reply`, `one of ${Object.keys(KEYS).join(", ")}`, f.reply);
  }
  const keys = KEYS[f.reply as ServerFault["reply"]];
  for (const key of Object.keys(f)) {
    if (!keys.includes(key)) throw new ChronyConfigError(`${path}.${key}`, `one of the keys ${keys.join(", ")}`, "an unknown key");
  }
  if (f.report !== undefined && !(typeof f.report === "string" && (isReportName(f.report) || f.report === "count" || f.report === "sourcename"))) {
    throw new ChronyConfigError(`${path}.report`, "a report name, \"count\" or \"sourcename\"", f.report);
  }
  integerIn(f.command, `${path}.command`, 0, 0xffff, true);
  integerIn(f.nth, `${path}.nth`, 1, Number.MAX_SAFE_INTEGER, true);
  integerIn(f.times, `${path}.times`, 1, Number.MAX_SAFE_INTEGER, true);
  switch (f.reply) {
    case "delay":
      integerIn(f.ms, `${path}.ms`, 0, 600_000);
      break;
    case "status":
      integerIn(f.status, `${path}.status`, 0, 0xffff);
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
    case "field":
      if (typeof f.field !== "string") throw new ChronyConfigError(`${path}.field`, "a field name", f.field);
      if (typeof f.value !== "number" && typeof f.value !== "bigint") throw new ChronyConfigError(`${path}.value`, "a number or bigint", f.value);
      break;
  }
  return fault;
}

/** A fault in force, with its own count of matching requests. */
export class ActiveServerFault {
  private readonly occurrences: FaultOccurrences;

  constructor(readonly fault: ServerFault) {
    this.occurrences = new FaultOccurrences(fault.nth, fault.times);
  }

  /** How many times the fault has fired. */
  get fired(): number {
    return this.occurrences.fired;
  }

  /** Counts a request in scope and tells whether the fault fires for it. */
  fires(topic: RequestTopic | null, command: number): boolean {
    const { report, command: onlyCommand } = this.fault;
    if (report !== undefined && report !== topic) return false;
    if (onlyCommand !== undefined && onlyCommand !== command) return false;
    return this.occurrences.next();
  }
}
