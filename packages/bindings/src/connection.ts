/**
 * `ChronyConnection`: an open session to chronyd with one async method per
 * report, through the TypeScript libchrony of `@chrony/protocol` (default)
 * or the native libchrony.
 *
 * @module
 */
import { existsSync } from "node:fs";
import { ChronyErr, getReport, type ChronyLib, type ReportName } from "@chrony/fields";
import { ChronyConnectionError, ChronyError, ChronyLibraryError, ChronyPermissionError, ChronyTimeoutError, PERMISSION_HINT } from "./errors.js";
import {
  readActivity,
  readAuthData,
  readNtpData,
  readRtcData,
  readSelectData,
  readServerStats,
  readSmoothing,
  readSource,
  readSourceStats,
  readTracking,
  type Activity,
  type AuthData,
  type NtpData,
  type RTCData,
  type SelectData,
  type ServerStats,
  type Smoothing,
  type Source,
  type SourceStats,
  type TrackingStatus,
} from "./models/index.js";
import { loadBackend, type ChronyBackend } from "./backend.js";
import type { ChronyReport, FieldReader } from "./records.js";
import { Session, type RequestPolicy } from "./session.js";

/** chronyc's default initial timeout per request, in milliseconds. */
export const DEFAULT_TIMEOUT_MS = 1000;
/** chronyc's default number of re-sends after a timeout. */
export const DEFAULT_RETRIES = 2;
/** Unix sockets tried, when they exist, before UDP when no address is given (libchrony's order). */
export const DEFAULT_SOCKET_PATHS: readonly string[] = Object.freeze(["/run/chrony/chronyd.sock", "/var/run/chrony/chronyd.sock"]);
/** UDP addresses tried after the Unix sockets (libchrony's own defaults). */
export const DEFAULT_UDP_ADDRESSES: readonly string[] = Object.freeze(["127.0.0.1", "::1"]);

/** Options of {@link ChronyConnection.open}. */
export interface ChronyConnectionOptions {
  /**
   * chronyd's command socket: `"/path/to/chronyd.sock"`, `"192.0.2.1"`,
   * `"192.0.2.1:323"`, `"2001:db8::1"` or `"[2001:db8::1]:323"`. Without it
   * the existing one of {@link DEFAULT_SOCKET_PATHS}, then
   * {@link DEFAULT_UDP_ADDRESSES}, are tried in order.
   */
  readonly address?: string;
  /**
   * How to talk to chronyd: `"typescript"` (default) speaks the command
   * protocol itself, UDP through `node:dgram` and Unix sockets through a
   * small koffi binding of libc, with no thread held while waiting;
   * `"libchrony"` loads the C library (`libraryPath`, `LIBCHRONY_PATH`).
   * Giving `libraryPath` alone selects `"libchrony"`.
   */
  readonly backend?: ChronyBackend;
  /**
   * An implementation of libchrony's API to use instead of either backend
   * (e.g. `@chrony/mock-session`); nothing native is loaded then.
   */
  readonly lib?: ChronyLib;
  /** Path of libchrony's shared library for the `"libchrony"` backend; `LIBCHRONY_PATH` takes precedence. */
  readonly libraryPath?: string;
  /**
   * Where the `"typescript"` backend creates its Unix client sockets
   * (private directories, removed on close and at exit). Default: the
   * directory of chronyd's socket, as libchrony does; set it where that
   * directory is not writable.
   */
  readonly clientDirectory?: string;
  /** How long to wait for each response, in milliseconds (default {@link DEFAULT_TIMEOUT_MS}). */
  readonly timeoutMs?: number;
  /** How many times to re-send a request that timed out (default {@link DEFAULT_RETRIES}). */
  readonly retries?: number;
}

/**
 * **Testing hook.** The global symbol under which a test library (e.g.
 * `@chrony/test-utils`' `setupChronyMock`) may register a
 * {@link ChronyLibOverride}: `globalThis[LIB_OVERRIDE_SYMBOL] = provider`.
 * {@link ChronyConnection.open} without a `lib` option asks it first, so code
 * under test that opens its own connection gets a mock. `Symbol.for`, so
 * every copy of this package in a process shares it. Production code never
 * sets it.
 */
export const LIB_OVERRIDE_SYMBOL: unique symbol = Symbol.for("@chrony/bindings/lib-override");

/**
 * **Testing hook.** Called by {@link ChronyConnection.open} when no `lib`
 * option is given, with the options it got; the `ChronyLib` it returns is
 * used instead of the native library, `undefined` falls through to it.
 */
export type ChronyLibOverride = (options: ChronyConnectionOptions) => ChronyLib | undefined;

/**
 * **Testing hook.** The global symbol under which a test library may register
 * a {@link ChronyUnmockedHint}: when {@link ChronyConnection.open} reaches for
 * the real chronyd and fails, the sentence it returns is added to the error,
 * e.g. that a mock exists but is not listening.
 */
export const UNMOCKED_HINT_SYMBOL: unique symbol = Symbol.for("@chrony/bindings/unmocked-hint");

/** **Testing hook.** Returns a sentence for a failed {@link ChronyConnection.open} of the real chronyd, or `undefined`. */
export type ChronyUnmockedHint = () => string | undefined;

/**
 * `error` with the registered {@link ChronyUnmockedHint}'s sentence on a line
 * of its own, when it says chronyd could not be reached (or its library
 * loaded): the failures a forgotten mock causes.
 */
function withUnmockedHint(error: unknown): unknown {
  const unreached = error instanceof ChronyConnectionError || error instanceof ChronyPermissionError || error instanceof ChronyTimeoutError || error instanceof ChronyLibraryError;
  if (!unreached) return error;
  const provider = (globalThis as { [UNMOCKED_HINT_SYMBOL]?: unknown })[UNMOCKED_HINT_SYMBOL];
  const hint = typeof provider === "function" ? (provider as ChronyUnmockedHint)() : undefined;
  if (hint) error.message = `${error.message}\n${hint}`;
  return error;
}

/** The lib a registered {@link ChronyLibOverride} provides, if any. */
function overrideLib(options: ChronyConnectionOptions): ChronyLib | undefined {
  const provider = (globalThis as { [LIB_OVERRIDE_SYMBOL]?: unknown })[LIB_OVERRIDE_SYMBOL];
  return typeof provider === "function" ? ((provider as ChronyLibOverride)(options) ?? undefined) : undefined;
}

/** The addresses tried when none is given: existing default Unix sockets, then UDP. */
export function defaultAddresses(exists: (path: string) => boolean = existsSync): string[] {
  return [...DEFAULT_SOCKET_PATHS.filter((path) => exists(path)), ...DEFAULT_UDP_ADDRESSES];
}

/**
 * A connection to chronyd. Calls are queued and run one at a time in call
 * order (libchrony's session handles one request at a time). A call whose
 * socket fails to send or receive (chronyd restarted) reopens the socket and
 * session once and runs again. {@link close} lets earlier calls finish, then
 * frees everything; later calls reject.
 */
export class ChronyConnection implements AsyncDisposable {
  // Not "session": test helpers hang their mock session on a connection under that name.
  private current: Session | null;
  private queueTail: Promise<unknown> = Promise.resolve();
  private closing: Promise<void> | null = null;

  private constructor(
    private readonly lib: ChronyLib,
    session: Session,
    private readonly policy: RequestPolicy,
    /** Whether this is the host's chronyd (no `lib` given or provided by a test hook). */
    private readonly real: boolean,
  ) {
    this.current = session;
    this.address = session.address;
  }

  /** The address the connection uses (reopened on the same address after a restart). */
  readonly address: string;

  /**
   * Opens a session to chronyd through the chosen backend (unless `lib` is
   * given). Without `lib`, a test override registered under
   * {@link LIB_OVERRIDE_SYMBOL} is asked first.
   *
   * @throws {@link ChronyLibraryError} when the native code a backend needs cannot be loaded,
   *   {@link ChronyPermissionError} when chronyd's socket is not accessible,
   *   {@link ChronyConnectionError} when no address could be opened (all are listed).
   */
  static async open(options: ChronyConnectionOptions = {}): Promise<ChronyConnection> {
    const policy = requestPolicy(options);
    const given = options.lib ?? overrideLib(options);
    if (given) {
      // A given lib (a mock) is not the host's chronyd: which sockets exist here must not change what it sees.
      const addresses = options.address === undefined ? defaultAddresses(() => true) : [options.address];
      return new ChronyConnection(given, openFirst(given, addresses), policy, false);
    }
    try {
      const backend = await loadBackend(options, options.address === undefined ? defaultAddresses() : [options.address]);
      return new ChronyConnection(backend.lib, openFirst(backend.lib, backend.addresses), policy, true);
    } catch (error) {
      throw withUnmockedHint(error);
    }
  }

  /** Whether {@link close} was called. */
  get closed(): boolean {
    return this.closing !== null;
  }

  /** chronyd's synchronisation state (`chronyc tracking`). */
  getTracking(): Promise<TrackingStatus> {
    return this.single("tracking", readTracking);
  }

  /** Every source (`chronyc sources`). */
  getSources(): Promise<Source[]> {
    return this.list("sources", readSource);
  }

  /** Statistics of every source (`chronyc sourcestats`). */
  getSourceStats(): Promise<SourceStats[]> {
    return this.list("sourcestats", readSourceStats);
  }

  /** The RTC's tracking (`chronyc rtcdata`), or `null` when chronyd does not track the RTC. */
  getRtcData(): Promise<RTCData | null> {
    return nullWhenDisabled(this.single("rtcdata", readRtcData));
  }

  /** Source selection data of every source (`chronyc selectdata`; chronyd ≥ 4.3). */
  getSelectData(): Promise<SelectData[]> {
    return this.list("selectdata", readSelectData);
  }

  /** Counts of online/offline sources (`chronyc activity`). */
  getActivity(): Promise<Activity> {
    return this.single("activity", readActivity);
  }

  /**
   * Authentication data of every source (`chronyc authdata`), aligned with
   * {@link getSourceStats} by index; `null` for reference clocks, which have none.
   */
  getAuthData(): Promise<(AuthData | null)[]> {
    return this.records("authdata", (record) => (record ? readAuthData(record) : null));
  }

  /**
   * The last NTP exchange with every source (`chronyc ntpdata`), aligned
   * with {@link getSourceStats} by index; `null` for reference clocks.
   */
  getNtpData(): Promise<(NtpData | null)[]> {
    return this.records("ntpdata", (record) => (record ? readNtpData(record) : null));
  }

  /** chronyd's server counters (`chronyc serverstats`), as `bigint`s. */
  getServerStats(): Promise<ServerStats> {
    return this.single("serverstats", readServerStats);
  }

  /** Time smoothing state (`chronyc smoothing`), or `null` when smoothing is not enabled. */
  getSmoothing(): Promise<Smoothing | null> {
    return nullWhenDisabled(this.single("smoothing", readSmoothing));
  }

  /**
   * Any report with every field of every record exactly as the server sent
   * it, read through libchrony's introspection functions, so nothing a newer
   * chronyd adds is lost.
   */
  async getReport(name: ReportName): Promise<ChronyReport> {
    getReport(name); // RangeError naming the valid reports for anything else
    const records = await this.records(name, (record) => record?.all() ?? null);
    return Object.freeze({ name, records: Object.freeze(records) });
  }

  /**
   * Lets the calls made before it finish (each bounded by its timeout), then
   * frees the session and socket; calls made afterwards reject with
   * {@link ChronyConnectionError}. Idempotent.
   */
  close(): Promise<void> {
    this.closing ??= this.queueTail.then(() => this.release());
    return this.closing;
  }

  /** {@link close}, for `await using`. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  private single<R extends ReportName, T>(report: R, read: (record: FieldReader<R>) => T): Promise<T> {
    return this.enqueue(() => andThen(this.fetch(report, nonEmpty(report, read)), (records) => onlyRecord(report, records)));
  }

  private list<R extends ReportName, T>(report: R, read: (record: FieldReader<R>) => T): Promise<T[]> {
    return this.records(report, nonEmpty(report, read));
  }

  private records<R extends ReportName, T>(report: R, read: (record: FieldReader<R> | null) => T): Promise<T[]> {
    return this.enqueue(() => this.fetch(report, read));
  }

  /**
   * Reads a report on the current session. A session left waiting for a
   * reply (timeout, broken socket) is replaced, never reused; when the
   * socket failed (chronyd restarted), the read runs once more on a fresh one.
   */
  private fetch<R extends ReportName, T>(report: R, read: (record: FieldReader<R> | null) => T, attempt = 0): T[] | Promise<T[]> {
    let records: T[] | Promise<T[]>;
    try {
      records = this.currentSession().fetch(report, read, this.policy);
    } catch (error) {
      return this.recover(error, report, read, attempt);
    }
    return records instanceof Promise ? records.catch((error: unknown) => this.recover(error, report, read, attempt)) : records;
  }

  /** After a failed read: the session is released when it cannot be reused; a broken socket gets one more read. */
  private recover<R extends ReportName, T>(error: unknown, report: R, read: (record: FieldReader<R> | null) => T, attempt: number): T[] | Promise<T[]> {
    const transport = isTransportFailure(error);
    if (transport || error instanceof ChronyTimeoutError) this.release();
    if (!transport || attempt > 0) throw this.real ? withUnmockedHint(error) : error;
    return this.fetch(report, read, attempt + 1);
  }

  /** Runs calls one at a time in call order; calls made after {@link close} reject at once. */
  private enqueue<T>(task: () => T | Promise<T>): Promise<T> {
    if (this.closed) {
      return Promise.reject(new ChronyConnectionError(`The connection to chronyd at ${this.address} is closed`));
    }
    const turn = eventLoopTurnIfDue();
    const run = (turn ? this.queueTail.then(() => turn) : this.queueTail).then(task);
    this.queueTail = run.catch(ignore);
    return run;
  }

  /** The open session, reopened lazily after a timeout or restart released it. */
  private currentSession(): Session {
    this.current ??= Session.open(this.lib, this.address);
    return this.current;
  }

  private release(): void {
    this.current?.close();
    this.current = null;
  }
}

function requestPolicy({ timeoutMs = DEFAULT_TIMEOUT_MS, retries = DEFAULT_RETRIES }: ChronyConnectionOptions): RequestPolicy {
  if (!(Number.isFinite(timeoutMs) && timeoutMs > 0)) throw new RangeError(`timeoutMs must be a positive number, got ${timeoutMs}`);
  if (!(Number.isInteger(retries) && retries >= 0)) throw new RangeError(`retries must be a non-negative integer, got ${retries}`);
  return Object.freeze({ timeoutMs, retries });
}

function ignore(): void {}

/**
 * How long calls may follow one another on the microtask queue alone (chronyd's
 * replies there at once) before one waits for the event loop to turn: a loop
 * of queries must not starve the process's timers and I/O.
 */
const TURN_AFTER_MS = 5;
/** When the current stretch of calls without a turn of the event loop began; -1 once it has turned. */
let stretchSince = -1;

/** A promise of the next turn of the event loop when the current stretch has lasted {@link TURN_AFTER_MS}, else `null`. */
function eventLoopTurnIfDue(): Promise<void> | null {
  const now = performance.now();
  if (stretchSince < 0) {
    stretchSince = now;
    // Runs at the loop's next check phase, whoever made it turn.
    setImmediate(() => {
      stretchSince = -1;
    }).unref();
    return null;
  }
  return now - stretchSince < TURN_AFTER_MS ? null : new Promise((resolve) => setImmediate(resolve));
}

/** `f(value)`, after the promise when `value` is one: a result that is there is not made to wait a turn. */
function andThen<T, U>(value: T | Promise<T>, f: (value: T) => U): U | Promise<U> {
  return value instanceof Promise ? value.then(f) : f(value);
}

function nonEmpty<R extends ReportName, T>(report: R, read: (record: FieldReader<R>) => T): (record: FieldReader<R> | null) => T {
  return (record) => {
    if (!record) throw new ChronyError(`chronyd sent an empty ${report} record`);
    return read(record);
  };
}

function onlyRecord<T>(report: ReportName, records: readonly T[]): T {
  if (records.length === 0) throw new ChronyError(`chronyd sent no ${report} record`);
  return records[0]!;
}

function isTransportFailure(error: unknown): boolean {
  return error instanceof ChronyConnectionError && (error.code === ChronyErr.SEND_FAILED || error.code === ChronyErr.RECV_FAILED);
}

async function nullWhenDisabled<T>(result: Promise<T>): Promise<T | null> {
  try {
    return await result;
  } catch (error) {
    if (error instanceof ChronyError && error.code === ChronyErr.DISABLED) return null;
    throw error;
  }
}

/** Opens the first address that works; otherwise one error listing every address tried. */
function openFirst(lib: ChronyLib, addresses: readonly string[]): Session {
  const failures: ChronyError[] = [];
  for (const address of addresses) {
    try {
      return Session.open(lib, address);
    } catch (error) {
      if (!(error instanceof ChronyError)) throw error;
      if (addresses.length === 1) throw error;
      failures.push(error);
    }
  }
  // The way to get access is said once, after the list, not once per address.
  const tried = failures.map((failure) => `  ${failure.message.replace(` ${PERMISSION_HINT}`, "")}`).join("\n");
  const denied = failures.find((failure) => failure instanceof ChronyPermissionError);
  const message = `Could not open chronyd's command socket; tried ${addresses.join(", ")}:\n${tried}${denied ? `\n${PERMISSION_HINT}` : ""}`;
  const cause = new AggregateError(failures, "every address failed");
  if (denied) throw new ChronyPermissionError(message, { errno: denied.errno ?? undefined, cause });
  throw new ChronyConnectionError(message, { cause });
}
