/**
 * Declarative error injection: a fault says which calls it applies to and
 * what happens instead, at the C API (a function returns something else) or
 * on the wire (chronyd answers differently, or not at all).
 */
import type { ChronyTimespec, LibChronyFunction, ReportName } from "@chrony/fields";

/** Which calls a fault applies to. */
export interface FaultScope {
  /** Only calls about this report (the report named in the request, or the one being read). */
  readonly report?: ReportName;
  /** Only the n-th matching call, counting from 1 since the fault was added. */
  readonly nth?: number;
  /** At most this many times. Default: every time, or once with `nth`. */
  readonly times?: number;
}

/** A C API function returns `returns` instead of doing its work (and sets `errno`). */
export interface CallFault extends FaultScope {
  readonly call: LibChronyFunction;
  readonly returns: number | bigint | string | boolean | null | ChronyTimespec;
  /** `errno` left behind, e.g. 13 (EACCES) with `chrony_open_socket` returning -1. */
  readonly errno?: number;
  /** For field getters: only when reading the field of this name. */
  readonly field?: string;
}

/** chronyd never answers: the client waits until its timeout. */
export interface NoReplyFault extends FaultScope {
  readonly reply: "none";
}

/** chronyd answers with this status code (candm.h `STT_*`), e.g. 2 (not authorised). */
export interface StatusFault extends FaultScope {
  readonly reply: "status";
  readonly status: number;
}

/** chronyd sends this raw value in one field (an out-of-range enum, say). */
export interface FieldFault extends FaultScope {
  readonly reply: "field";
  readonly field: string;
  readonly value: number | bigint;
}

export type Fault = CallFault | NoReplyFault | StatusFault | FieldFault;

/** Builders for common faults, so tests read as what they simulate. */
export const faults = {
  /** `chrony_open_socket` fails with EACCES, as for a user outside the chrony group. */
  permissionDenied: (): CallFault => ({ call: "chrony_open_socket", returns: -1, errno: 13 }),
  /** `chrony_open_socket` fails with ENOENT, as when chronyd is not running. */
  notRunning: (): CallFault => ({ call: "chrony_open_socket", returns: -1, errno: 2 }),
  /** A C function returns an error code. */
  returns: (call: LibChronyFunction, returns: CallFault["returns"], scope: FaultScope = {}): CallFault => ({ ...scope, call, returns }),
  /** chronyd never answers. */
  noReply: (scope: FaultScope = {}): NoReplyFault => ({ ...scope, reply: "none" }),
  /** chronyd answers with a status code. */
  status: (status: number, scope: FaultScope = {}): StatusFault => ({ ...scope, reply: "status", status }),
  /** chronyd sends a raw value in a field. */
  field: (report: ReportName, field: string, value: number | bigint, scope: Omit<FaultScope, "report"> = {}): FieldFault => ({
    ...scope,
    report,
    reply: "field",
    field,
    value,
  }),
} as const;

/**
 * Counts the calls a fault's scope matches and says which ones it fires on:
 * every one, only the `nth`, and at most `times` (default: unlimited, or once
 * with `nth`). Shared by every front end that injects faults.
 */
export class FaultOccurrences {
  private matched = 0;
  private applied = 0;
  private readonly times: number;

  constructor(
    private readonly nth: number | undefined,
    times?: number,
  ) {
    this.times = times ?? (nth === undefined ? Infinity : 1);
  }

  /** How many times the fault has fired. */
  get fired(): number {
    return this.applied;
  }

  /** Counts one call in scope; `true` when the fault fires on it. */
  next(): boolean {
    if (this.applied >= this.times) return false;
    this.matched++;
    if (this.nth !== undefined && this.matched < this.nth) return false;
    this.applied++;
    return true;
  }
}

/** A fault in force, with its own count of matching calls. */
export class ActiveFault {
  private readonly occurrences: FaultOccurrences;

  constructor(readonly fault: Fault) {
    this.occurrences = new FaultOccurrences(fault.nth, fault.times);
  }

  /** Counts a call in scope and tells whether the fault fires for it. */
  fires(report: ReportName | null): boolean {
    if (this.fault.report !== undefined && this.fault.report !== report) return false;
    return this.occurrences.next();
  }
}
