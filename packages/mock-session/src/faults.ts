/**
 * Declarative fault injection, one API for every front end. A fault says
 * which calls or requests it applies to and what happens instead: at the C
 * API (a libchrony function returns something else — the in-process mock,
 * {@link MockChronySession}, applies these) or on the wire (chronyd answers
 * late, not at all, with another status, a wrong sequence number, cut or
 * padded bytes, or a raw field value — the in-process mock and the fake
 * chronyd of `@chrony/mock-server` both apply these, to the same bytes).
 *
 * @module
 */
import { ReplyStatus, type ChronyTimespec, type FieldName, type LibChronyFunction, type ReportName } from "@chrony/fields";
import { EXTRA_CODES, Errno, reportOfCommand } from "@chrony/protocol";
import { validateFault } from "./state/faults-schema.js";

/** What a request is about: a report, `"count"` (the source count, REQ_N_SOURCES) or `"sourcename"` (REQ_NTP_SOURCE_NAME, chronyc only). */
export type RequestTopic = ReportName | "count" | "sourcename";

/** A reply status by name: a key of `ReplyStatus` (candm.h `STT_*` without the prefix), e.g. `"UNAUTH"`. */
export type ReplyStatusName = keyof typeof ReplyStatus;

/** Which requests a fault applies to; every key narrows, none means every request. */
export interface FaultScope {
  /**
   * Only requests about this report — by the request's command: the record
   * request of `"ntpdata"`, not the sourcestats request libchrony sends first
   * to learn the address. `"count"`: the source count request that the
   * per-source reports start with. `"sourcename"`: chronyc's source name
   * request (the fake chronyd only; libchrony never sends it).
   */
  readonly report?: RequestTopic;
  /** Only requests with this command code (candm.h `REQ_*`). */
  readonly command?: number;
  /** Only the n-th matching request, counting from 1 since the fault was added. */
  readonly nth?: number;
  /** At most this many times. Default: every time, or once with `nth`. */
  readonly times?: number;
}

/** Which calls a {@link CallFault} applies to: the report the caller is reading, the n-th call, at most `times`. */
export interface CallScope {
  /** Only calls made while reading this report (the one last named in `chrony_request_*`). */
  readonly report?: ReportName;
  /** Only the n-th matching call, counting from 1 since the fault was added. */
  readonly nth?: number;
  /** At most this many times. Default: every time, or once with `nth`. */
  readonly times?: number;
}

/**
 * A C API function returns `returns` instead of doing its work (and sets
 * `errno`). Only the in-process mock applies it; the fake chronyd sees packets.
 */
export interface CallFault extends CallScope {
  readonly call: LibChronyFunction;
  readonly returns: number | bigint | string | boolean | null | ChronyTimespec;
  /** `errno` left behind, e.g. `Errno.EACCES` (13) with `chrony_open_socket` returning -1. */
  readonly errno?: number;
  /** For field getters (`chrony_get_field_*` by index): only when reading the field of this name. */
  readonly field?: string;
}

/** chronyd never answers: the client waits until its timeout (chronyc: `506 Cannot talk to daemon`). */
export interface NoReplyFault extends FaultScope {
  readonly reply: "none";
}

/** The reply comes `ms` milliseconds late (several delays add up). */
export interface DelayFault extends FaultScope {
  readonly reply: "delay";
  readonly ms: number;
}

/**
 * chronyd answers with this status and no data: a name of `ReplyStatus`
 * (`"UNAUTH"`, `"NOTENABLED"`…) or a raw code from 0 to 65535.
 */
export interface StatusFault extends FaultScope {
  readonly reply: "status";
  readonly status: ReplyStatusName | number;
}

/** The reply echoes another sequence number (`sequence XOR xor`, default 1): clients drop it as stale and keep waiting. */
export interface SequenceFault extends FaultScope {
  readonly reply: "sequence";
  readonly xor?: number;
}

/** The reply is cut to `length` bytes. */
export interface TruncateFault extends FaultScope {
  readonly reply: "truncate";
  readonly length: number;
}

/** The reply gets `extra` more bytes (of `fill`, default 0). */
export interface OversizeFault extends FaultScope {
  readonly reply: "oversize";
  readonly extra: number;
  readonly fill?: number;
}

/** A record of report `R` carries this raw value in one numeric field (by libchrony's name). */
export interface ReportFieldFault<R extends ReportName = ReportName> extends Omit<FaultScope, "report"> {
  readonly reply: "field";
  readonly report: R;
  readonly field: FieldName<R>;
  readonly value: number | bigint;
}

/** A field fault of any report; a plain object's `field` is checked against its `report`. */
export type FieldFault = { readonly [R in ReportName]: ReportFieldFault<R> }[ReportName];

/** A fault on chronyd's reply; both front ends apply every kind. */
export type ReplyFault = NoReplyFault | DelayFault | StatusFault | SequenceFault | TruncateFault | OversizeFault | FieldFault;

/** The reply faults that work on the encoded bytes. */
export type ByteFault = SequenceFault | TruncateFault | OversizeFault;

/** Any fault. */
export type Fault = CallFault | ReplyFault;

/**
 * A fault in force, as both `MockChronySession.inject()` and
 * `@chrony/mock-server`'s `MockChronyd.inject()` return it. `dispose()` (or
 * leaving a `using` block) takes the fault out of force; idempotent.
 */
export interface FaultHandle<F extends Fault = Fault> extends Disposable {
  /** The fault, as given. */
  readonly fault: F;
  /** How many calls or requests it has affected so far (it keeps counting until disposed). */
  readonly fired: number;
  /** Takes the fault out of force. */
  dispose(): void;
}

function checked<F extends Fault | ReportFieldFault>(fault: F): F {
  validateFault(fault as Fault, "fault");
  return fault;
}

function oversize(extra: number, scope?: FaultScope): OversizeFault;
function oversize(extra: number, fill: number, scope?: FaultScope): OversizeFault;
function oversize(extra: number, fillOrScope?: number | FaultScope, scope: FaultScope = {}): OversizeFault {
  if (typeof fillOrScope === "object") return checked({ ...fillOrScope, reply: "oversize", extra });
  return checked({ ...scope, reply: "oversize", extra, ...(fillOrScope === undefined ? {} : { fill: fillOrScope }) });
}

/**
 * Builders for every fault, so tests read as what they simulate. Each checks
 * its fault as `inject()` does and throws `ChronyConfigError` at once on a
 * bad one (an unknown field or status name, a negative length…).
 */
export const faults = {
  /** `chrony_open_socket` fails with EACCES, as for a user outside the chrony group. In-process mock only. */
  permissionDenied: (): CallFault => ({ call: "chrony_open_socket", returns: -1, errno: Errno.EACCES }),
  /** `chrony_open_socket` fails with ENOENT, as when chronyd is not running. In-process mock only. */
  notRunning: (): CallFault => ({ call: "chrony_open_socket", returns: -1, errno: Errno.ENOENT }),
  /** A C function returns `returns` (any error code, `NaN` from a float getter…). In-process mock only. */
  returns: (call: LibChronyFunction, returns: CallFault["returns"], scope: CallScope = {}): CallFault => checked({ ...scope, call, returns }),
  /** chronyd never answers. */
  noReply: (scope: FaultScope = {}): NoReplyFault => checked({ ...scope, reply: "none" }),
  /** chronyd answers `ms` milliseconds late. */
  delay: (ms: number, scope: FaultScope = {}): DelayFault => checked({ ...scope, reply: "delay", ms }),
  /** chronyd answers with a status: `faults.status("UNAUTH")` or `faults.status(ReplyStatus.UNAUTH)`. */
  status: (status: ReplyStatusName | ReplyStatus, scope: FaultScope = {}): StatusFault => checked({ ...scope, reply: "status", status }),
  /** chronyd answers with a wrong sequence number (clients ignore the reply and keep waiting). */
  wrongSequence: (scope: FaultScope = {}): SequenceFault => checked({ ...scope, reply: "sequence" }),
  /** chronyd's reply is cut to `length` bytes. */
  truncate: (length: number, scope: FaultScope = {}): TruncateFault => checked({ ...scope, reply: "truncate", length }),
  /** chronyd's reply gets `extra` more bytes (of `fill`, default 0). */
  oversize,
  /**
   * chronyd sends a raw value in one numeric field of a report's records:
   * `faults.field("tracking", "leap status", 7)`. The field's name is typed
   * by the report (a typo does not compile) and checked at run time.
   */
  field: <R extends ReportName>(report: R, field: FieldName<R>, value: number | bigint, scope: Omit<FaultScope, "report"> = {}): ReportFieldFault<R> =>
    checked<ReportFieldFault<R>>({ ...scope, report, reply: "field", field, value }),
} as const;

/** A status fault's code: its name looked up in `ReplyStatus`, or the raw code. */
export function statusCode(status: ReplyStatusName | number): number {
  return typeof status === "number" ? status : ReplyStatus[status];
}

/** What a request is about, by its command code, for scoping faults (and logs). */
export function topicOfCommand(command: number): RequestTopic | null {
  if (command === EXTRA_CODES.REQ_NTP_SOURCE_NAME) return "sourcename";
  return reportOfCommand(command);
}

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

/** A fault in force in one front end, with its own count of matching calls or requests. */
export class ActiveFault<F extends Fault = Fault> {
  private readonly occurrences: FaultOccurrences;

  constructor(readonly fault: F) {
    this.occurrences = new FaultOccurrences(fault.nth, fault.times);
  }

  /** How many times the fault has fired. */
  get fired(): number {
    return this.occurrences.fired;
  }

  /**
   * Counts a call or request in scope and tells whether the fault fires for
   * it: `topic` is the report being read (call faults) or what the request
   * is about (reply faults), `command` the request's command code.
   */
  fires(topic: RequestTopic | null, command?: number): boolean {
    const fault: { readonly report?: RequestTopic; readonly command?: number } = this.fault;
    if (fault.report !== undefined && fault.report !== topic) return false;
    if (fault.command !== undefined && fault.command !== command) return false;
    return this.occurrences.next();
  }

  /** The handle a front end returns from `inject()`; `remove` takes the fault out of its list (called once). */
  handle(remove: () => void): FaultHandle<F> {
    let removed = false;
    const occurrences = this.occurrences;
    const dispose = (): void => {
      if (removed) return;
      removed = true;
      remove();
    };
    return {
      fault: this.fault,
      get fired() {
        return occurrences.fired;
      },
      dispose,
      [Symbol.dispose]: dispose,
    };
  }
}
