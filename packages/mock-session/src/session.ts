/**
 * `MockChronySession`: a pure-TypeScript libchrony, driven by declarative
 * state, whose `lib` any code written against the C API can use unchanged.
 */
import {
  ChronyErr,
  PROTOCOL,
  REPORT_NAMES,
  errorString,
  isReportName,
  type ChronyLib,
  type ChronySessionHandle,
  type LibChronyFunction,
  type ReportName,
  type SessionOut,
} from "@chrony/fields";
import {
  ClientSession,
  Errno,
  SESSION_FUNCTIONS,
  argumentLength,
  encodeReply,
  parseEndpoint,
  parseRequestHeader,
  resolveFieldName,
  writeReplySequence,
  type DatagramSocket,
  type SessionFunction,
} from "@chrony/protocol";
import { resolveRequest } from "./chronyd/server.js";
import { faultAnswer, transformReply } from "./chronyd/reply-faults.js";
import { ActiveFault, type Fault, type FaultHandle } from "./faults.js";
import type { ChronyStateConfig } from "./state/config.js";
import { normalizeState, type ServerState } from "./state/normalize.js";
import { validateConfig } from "./state/schema.js";
import { MAX_ELAPSED, stateAt } from "./state/simulate.js";
import { mergeConfig, type ConfigUpdate } from "./state/merge.js";
import { validateFault as validateFaultFor } from "./state/faults-schema.js";

/** One C API call as the mock saw it. */
export interface CallRecord {
  readonly fn: LibChronyFunction;
  readonly args: readonly unknown[];
  readonly result: unknown;
  /** The report the call was about, when there is one. */
  readonly report: ReportName | null;
  /** Whether an injected fault produced the result. */
  readonly injected: boolean;
}

/** Options of a mock session besides its state. */
export interface MockChronySessionOptions {
  /** Faults in force from the start. */
  readonly faults?: readonly Fault[];
  /**
   * How many of the latest C API calls {@link MockChronySession.calls} keeps:
   * a number (default {@link DEFAULT_CALL_LOG_SIZE}), `Infinity` for all,
   * `false` or 0 for none. The log is a window so that a long test cannot
   * grow the heap without bound.
   */
  readonly log?: number | boolean;
}

/** The opaque session pointer the mock hands out. */
class MockSessionPointer implements ChronySessionHandle {
  /** The session behind the pointer while it lives; `null` after `chrony_deinit_session()`. */
  entry: SessionEntry | null = null;
  constructor(
    readonly id: number,
    readonly owner: MockChronySession,
  ) {}
  toString(): string {
    return `chrony_session#${this.id}`;
  }
}

/**
 * A reply waiting on a socket: a reply body shared by identical requests and
 * this request's sequence number, or (`sequence: null`) a reply made for one
 * request by faults, sent as it is.
 */
interface PendingReply {
  readonly body: Uint8Array;
  readonly sequence: number | null;
}

/** Replies of a socket held back by delay faults, and the `waitReadable()` calls waiting for them. */
interface LateReplies {
  readonly timers: Set<ReturnType<typeof setTimeout>>;
  readonly waiters: Set<() => void>;
}

interface MockSocket {
  readonly fd: number;
  readonly address: string | null;
  readonly inbox: PendingReply[];
  open: boolean;
}

interface SessionEntry {
  readonly pointer: MockSessionPointer;
  readonly client: ClientSession;
  /** The report the caller asked for last: faults and the log are scoped by it. */
  report: ReportName | null;
}

let instances = 0;

/** How many calls the log keeps by default: enough for a failing test's story, bounded for a long one. */
export const DEFAULT_CALL_LOG_SIZE = 1000;

function callLogSize(log: number | boolean | undefined): number {
  if (log === undefined || log === true) return DEFAULT_CALL_LOG_SIZE;
  if (log === false) return 0;
  if (log === Infinity || (Number.isInteger(log) && log >= 0)) return log;
  throw new RangeError(`options.log must be a non-negative integer, Infinity, true or false, got ${String(log)}`);
}


export class MockChronySession {
  /** The libchrony C API, in pure TypeScript; pass it to `ChronyConnection.open({ lib })`. */
  readonly lib: ChronyLib;
  private config: ChronyStateConfig;
  /** The state at {@link computedAt}; recomputed lazily when time has moved (many small advances cost nothing until a read). */
  private computed: ServerState;
  private computedAt = 0;
  /** Simulated seconds since the start (see {@link advance}). */
  private clock = 0;
  private readonly active: ActiveFault[] = [];
  /** Replies delayed by faults, by socket. */
  private readonly late = new Map<number, LateReplies>();
  private readonly log: CallRecord[] = [];
  private readonly logSize: number;
  private readonly logging: boolean;
  private readonly sockets = new Map<number, MockSocket>();
  private readonly sessions = new Map<MockSessionPointer, SessionEntry>();
  private nextFd = 3;
  private nextSessionId = 1;
  private errno = 0;
  private sequence: number;
  /** Reply bodies by request (command + argument bytes) for the current state; cleared when the state changes. */
  private readonly replies = new Map<number | string, Uint8Array>();

  constructor(config: ChronyStateConfig = {}, options: MockChronySessionOptions = {}) {
    // Read once: the session keeps the validated snapshot, never the caller's object.
    this.config = validateConfig(config);
    this.computed = normalizeState(this.config);
    this.logSize = callLogSize(options.log);
    this.logging = this.logSize > 0;
    this.sequence = (0x9e3779b9 ^ ++instances) >>> 0;
    options.faults?.forEach((fault, i) => this.active.push(new ActiveFault(validateFault(fault, `faults[${i}]`))));
    this.lib = this.createLib();
  }

  /** The config as given (after updates). */
  get currentConfig(): ChronyStateConfig {
    return this.config;
  }

  /** The state served, every default resolved (at the current simulated time). */
  get state(): ServerState {
    return this.server;
  }

  private get server(): ServerState {
    if (this.computedAt !== this.clock) {
      this.computed = stateAt(this.config, this.clock);
      this.computedAt = this.clock;
    }
    return this.computed;
  }

  /** Simulated seconds since the start: the sum of every {@link advance} since construction or {@link reset}. */
  get elapsed(): number {
    return this.clock;
  }

  /**
   * Moves simulated time on by `seconds` (≥ 0): the sources poll, the
   * config's `timeline` events up to the new time apply, and the state moves
   * as chronyd's would (reachability, poll, last sample, selection, root
   * dispersion; see the README's "Simulated time"). No real timer is
   * involved. The state is a function of the config and the total time, so
   * `advance(a); advance(b)` serves what `advance(a + b)` does.
   *
   * @throws RangeError for a negative or non-finite `seconds`, or a total
   * beyond 2^32 − 1 s; the session is then unchanged.
   */
  advance(seconds: number): void {
    if (typeof seconds !== "number" || !(seconds >= 0) || !Number.isFinite(seconds)) {
      throw new RangeError(`advance(seconds): expected a finite number of seconds ≥ 0, got ${String(seconds)}`);
    }
    const clock = this.clock + seconds;
    if (clock > MAX_ELAPSED) throw new RangeError(`advance(seconds): simulated time would pass ${MAX_ELAPSED} s, got ${clock}`);
    if (seconds === 0) return;
    this.clock = clock;
    this.replies.clear();
  }

  /**
   * Changes the config the simulation starts from, between calls: objects
   * merge key by key, arrays (sources, timeline) and `null` replace. The
   * result is validated as a whole and served at the current simulated time.
   */
  update(change: ConfigUpdate): void {
    // Everything that can throw comes before the first assignment: a failed update changes nothing.
    const next = validateConfig(mergeConfig(this.config, change));
    const server = stateAt(next, this.clock);
    this.computed = server;
    this.computedAt = this.clock;
    this.config = next;
    this.replies.clear();
  }

  /** Replaces the whole state, and sets simulated time back to 0. */
  reset(config: ChronyStateConfig = {}): void {
    const next = validateConfig(config);
    const server = normalizeState(next);
    this.computed = server;
    this.computedAt = 0;
    this.config = next;
    this.clock = 0;
    this.replies.clear();
  }

  /**
   * Puts a fault in force until its handle is disposed (`handle.dispose()`,
   * or `using handle = session.inject(…)`); `handle.fired` counts the calls
   * or requests it affected. Throws `ChronyConfigError` on an invalid fault.
   */
  inject(fault: Fault): FaultHandle {
    const active = new ActiveFault(validateFault(fault, "fault"));
    this.active.push(active);
    return active.handle(() => {
      const at = this.active.indexOf(active);
      if (at >= 0) this.active.splice(at, 1);
    });
  }

  /** Removes every fault. */
  clearFaults(): void {
    this.active.length = 0;
  }

  /** The latest C API calls (at most the `log` window), oldest first. */
  get calls(): readonly CallRecord[] {
    if (this.log.length > this.logSize) this.log.splice(0, this.log.length - this.logSize);
    return this.log;
  }

  clearCalls(): void {
    this.log.length = 0;
  }

  /** Sockets opened and not closed, and sessions created and not destroyed: both 0 after a clean run. */
  get openHandles(): { readonly sockets: number; readonly sessions: number } {
    let sockets = 0;
    for (const socket of this.sockets.values()) if (socket.open) sockets++;
    return { sockets, sessions: this.sessions.size };
  }

  /** A readable dump of the call log, for a failing test's output. */
  formatCalls(): string {
    const replacer = (_: string, v: unknown) => (typeof v === "bigint" ? `${v}n` : v instanceof MockSessionPointer ? String(v) : v);
    const show = (value: unknown) =>
      typeof value === "object" && value !== null && !(value instanceof MockSessionPointer) ? JSON.stringify(value, replacer) : typeof value === "bigint" ? `${value}n` : typeof value === "string" ? JSON.stringify(value) : String(value);
    return this.log
      .map((c) => `${c.fn}(${c.args.map(show).join(", ")}) -> ${show(c.result)}${c.injected ? "  [injected]" : ""}`)
      .join("\n");
  }

  private record(fn: LibChronyFunction, args: readonly unknown[], result: unknown, report: ReportName | null, injected: boolean): void {
    if (!this.logging) return;
    this.log.push({ fn, args, result, report, injected });
    // Trimmed in batches: the log stays between one and two windows long, at constant cost per call.
    if (this.log.length >= 2 * this.logSize) this.log.splice(0, this.log.length - this.logSize);
  }

  /** The injected result of a call, if a call fault fires for it. */
  private injected(fn: LibChronyFunction, report: ReportName | null, fieldName: string | null): { value: CallFaultResult } | null {
    for (const active of this.active) {
      const fault = active.fault;
      if (!("call" in fault) || fault.call !== fn) continue;
      if (fault.field !== undefined && fault.field !== fieldName) continue;
      if (!active.fires(report)) continue;
      if (fault.errno !== undefined) this.errno = fault.errno;
      return { value: fault.returns };
    }
    return null;
  }

  private forget(entry: SessionEntry): void {
    entry.pointer.entry = null;
    this.sessions.delete(entry.pointer);
  }

  private entry(s: ChronySessionHandle, fn: LibChronyFunction): SessionEntry {
    const entry = s instanceof MockSessionPointer && s.owner === this ? s.entry : null;
    // In C this would be undefined behaviour; here it is a clear error instead of a crash.
    if (!entry) throw new TypeError(`${fn}: ${String(s)} is not a live session of this MockChronySession`);
    return entry;
  }

  private socketFor(fd: number): DatagramSocket {
    return {
      send: (datagram) => {
        const socket = this.sockets.get(fd);
        if (!socket?.open) {
          this.errno = Errno.EBADF;
          return false;
        }
        const reply = this.answer(datagram);
        if (reply && reply.delayMs > 0) this.deliverLater(fd, reply, reply.delayMs);
        else if (reply) socket.inbox.push(reply);
        return true;
      },
      receive: (buffer) => {
        const socket = this.sockets.get(fd);
        const reply = socket?.open ? socket.inbox.shift() : undefined;
        // Real libchrony would block in recv() on an empty socket; the mock fails instead of hanging.
        if (!reply) {
          this.errno = Errno.EBADF;
          return -1;
        }
        const length = Math.min(reply.body.length, buffer.length);
        buffer.set(length < reply.body.length ? reply.body.subarray(0, length) : reply.body);
        if (reply.sequence !== null) writeReplySequence(buffer, reply.sequence);
        return length;
      },
    };
  }

  /** The simulated chronyd: a reply (and how late it comes), or `null` when none comes. */
  private answer(datagram: Uint8Array): (PendingReply & { readonly delayMs: number }) | null {
    const header = parseRequestHeader(datagram);
    if (!header) return null;
    if (!this.active.some((active) => "reply" in active.fault)) {
      // The state is immutable until update(): identical requests get identical bodies.
      const key = replyKey(header.command, datagram);
      let body = this.replies.get(key);
      if (!body) {
        body = encodeReply(header, resolveRequest(this.server, header.command, datagram.subarray(PROTOCOL.requestHeaderLength)));
        this.replies.set(key, body);
      }
      return { body, sequence: header.sequence, delayMs: 0 };
    }
    // Reply faults as the fake chronyd of @chrony/mock-server applies them: the same functions, the same bytes.
    const argument = datagram.subarray(PROTOCOL.requestHeaderLength);
    const faulted = faultAnswer(header.command, resolveRequest(this.server, header.command, argument), this.active);
    if (faulted.drop) return null;
    return { body: transformReply(encodeReply(header, faulted.answer), faulted.bytes), sequence: null, delayMs: faulted.delayMs };
  }

  /** A reply held back by a delay fault reaches the socket after `ms`, waking whoever waits on it. */
  private deliverLater(fd: number, reply: PendingReply, ms: number): void {
    let late = this.late.get(fd);
    if (!late) this.late.set(fd, (late = { timers: new Set(), waiters: new Set() }));
    const replies = late;
    const timer = setTimeout(() => {
      replies.timers.delete(timer);
      const socket = this.sockets.get(fd);
      if (!socket?.open) return;
      socket.inbox.push(reply);
      for (const wake of replies.waiters) wake();
      replies.waiters.clear();
    }, ms);
    // Whoever waits for the reply keeps the process alive (waitReadable's own timer); the delivery alone does not.
    timer.unref?.();
    replies.timers.add(timer);
  }

  /** Waits until a delayed reply reaches the socket (`true`) or `timeoutMs` passes (`false`). */
  private waitLate(late: LateReplies, timeoutMs: number): Promise<boolean> {
    return new Promise<boolean>((resolve) => {
      const wake = (): void => {
        clearTimeout(timer);
        resolve(true);
      };
      const timer = setTimeout(() => {
        late.waiters.delete(wake);
        resolve(false);
      }, timeoutMs);
      late.waiters.add(wake);
    });
  }

  private nextSequence = (): number => {
    // xorshift32: deterministic per session, distinct between sessions.
    let x = this.sequence;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    this.sequence = x >>> 0;
    return this.sequence;
  };

  /** Runs a C function: an injected result if a fault fires, else the real work; logs either. */
  private call<T>(fn: LibChronyFunction, args: readonly unknown[], report: ReportName | null, work: () => T, fieldName: string | null = null): T {
    const injected = this.active.length ? this.injected(fn, report, fieldName) : null;
    const result = injected ? (injected.value as T) : work();
    this.record(fn, args, result, report, injected !== null);
    return result;
  }

  private openSocket(address: string | null): number {
    if (address !== null && address !== "" && parseEndpoint(address) === null) {
      this.errno = Errno.EINVAL;
      return -1;
    }
    const fd = this.nextFd++;
    this.sockets.set(fd, { fd, address, inbox: [], open: true });
    return fd;
  }

  private closeSocket(fd: number): void {
    const socket = this.sockets.get(fd);
    if (!socket) return;
    socket.open = false;
    socket.inbox.length = 0;
    this.sockets.delete(fd);
    // Replies still delayed by faults never arrive; waiters time out as on a closed socket.
    const late = this.late.get(fd);
    if (late) for (const timer of late.timers) clearTimeout(timer);
    this.late.delete(fd);
  }

  private initSession(out: SessionOut, fd: number): number {
    const pointer = new MockSessionPointer(this.nextSessionId++, this);
    const entry: SessionEntry = {
      pointer,
      client: new ClientSession(fd, this.socketFor(fd), this.nextSequence),
      report: null,
    };
    this.sessions.set(pointer, entry);
    pointer.entry = entry;
    out[0] = pointer;
    return ChronyErr.OK;
  }

  private createLib(): ChronyLib {
    const host = {
      chrony_open_socket: (address: string | null) => this.call("chrony_open_socket", [address], null, () => this.openSocket(address)),
      chrony_close_socket: (fd: number) => this.call("chrony_close_socket", [fd], null, () => this.closeSocket(fd)),
      chrony_get_error_string: (e: number) => this.call("chrony_get_error_string", [e], null, () => errorString(e)),
      chrony_init_session: (out: SessionOut, fd: number) => this.call("chrony_init_session", [out, fd], null, () => this.initSession(out, fd)),
      chrony_get_number_supported_reports: () => this.call("chrony_get_number_supported_reports", [], null, () => REPORT_NAMES.length),
      chrony_get_report_name: (report: number) => this.call("chrony_get_report_name", [report], null, () => REPORT_NAMES[report] ?? null),
      waitReadable: (fd: number, timeoutMs: number) => {
        const socket = this.sockets.get(fd);
        // A closed or unknown fd is "readable" at once, as poll() reports POLLNVAL; the read then fails.
        // Ready now: answered at once, as the real transports do, so callers meet both forms of the answer.
        if (!socket?.open || socket.inbox.length > 0) return true;
        // A reply delayed by a fault makes the socket readable when it arrives.
        const late = this.late.get(fd);
        if (late && late.timers.size > 0) return this.waitLate(late, timeoutMs);
        // Not unref()'d: like poll() on a real socket, a pending wait keeps the process alive until its timeout.
        return new Promise<boolean>((resolve) => setTimeout(resolve, timeoutMs, false));
      },
      lastErrno: () => this.errno,
    };
    const session = (Object.entries(MOCK_SESSION_FUNCTIONS) as [MockSessionFunction, SessionImpl][]).map(([fn, impl]) => {
      const fieldScoped = FIELD_ARGUMENT.has(fn);
      const namesReport = fn === "chrony_request_report_number_records" || fn === "chrony_request_record";
      const call = (s: ChronySessionHandle, a?: unknown, b?: unknown) => {
        const entry = this.entry(s, fn);
        if (namesReport) entry.report = asReport(a as string);
        // The common case, no log and no faults, does no bookkeeping at all.
        if (!this.logging && this.active.length === 0) return impl(entry, a as never, b as never, this);
        const args = b !== undefined ? [s, a, b] : a !== undefined ? [s, a] : [s];
        // The field's name only matters to a fault scoped by field.
        const fieldName = fieldScoped && this.active.length ? resolveFieldName(entry.client.responseMsg, a as number) : null;
        return this.call(fn, args, entry.report, () => impl(entry, a as never, b as never, this), fieldName);
      };
      return [fn, call] as const;
    });
    // Made in one go: V8 turns an object that gets this many properties one by one into a hash table.
    return Object.fromEntries([...Object.entries(host), ...session]) as unknown as ChronyLib;
  }
}


/** The C functions that take a session; `chrony_deinit_session()` also forgets it here. */
type SessionImpl = (entry: SessionEntry, a: never, b: never, mock: MockChronySession) => unknown;
const MOCK_SESSION_FUNCTIONS: Record<SessionFunction | "chrony_deinit_session", SessionImpl> = {
  chrony_deinit_session: (e, _a, _b, mock) => mock["forget"](e),
  ...(Object.fromEntries(
    (Object.entries(SESSION_FUNCTIONS) as [SessionFunction, (c: ClientSession, a: never, b: never) => unknown][]).map(([fn, impl]) => [
      fn,
      (e: SessionEntry, a: never, b: never) => impl(e.client, a, b),
    ]),
  ) as unknown as Record<SessionFunction, SessionImpl>),
};
type MockSessionFunction = keyof typeof MOCK_SESSION_FUNCTIONS;

/** Getters whose first argument is a field index (every `chrony_get_field_*` but the lookup by name), which a fault may scope by the field's name. */
const FIELD_ARGUMENT = new Set<LibChronyFunction>(
  Object.keys(MOCK_SESSION_FUNCTIONS).filter((fn) => fn.startsWith("chrony_get_field_") && fn !== "chrony_get_field_index") as LibChronyFunction[],
);

/** Identifies a request by what its answer depends on: the command and its index or address. */
function replyKey(command: number, datagram: Uint8Array): number | string {
  const at = PROTOCOL.requestHeaderLength;
  const length = Math.min(argumentLength(command), datagram.length - at);
  if (length <= 0) return command;
  if (length === 4) return command * 2 ** 32 + (((datagram[at]! << 24) | (datagram[at + 1]! << 16) | (datagram[at + 2]! << 8) | datagram[at + 3]!) >>> 0);
  let key = `${command}:`;
  for (let i = at; i < at + length; i++) key += String.fromCharCode(datagram[i]!);
  return key;
}

type CallFaultResult = Extract<Fault, { call: unknown }>["returns"];

/** A fault as the in-process mock applies it: well-formed, and not one only the fake chronyd can apply. */
function validateFault(fault: Fault, path: string): Fault {
  return validateFaultFor(fault, path, "mock-session");
}

function asReport(name: string | null): ReportName | null {
  return name !== null && isReportName(name) ? name : null;
}
