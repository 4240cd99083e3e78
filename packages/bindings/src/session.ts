/**
 * One libchrony session on one socket, and the request engine around it,
 * which behaves like chronyc: a deadline per attempt, each retry a fresh
 * request with a new sequence number, late and mismatched replies ignored
 * (libchrony drops them), and `chrony_process_response()` called only once
 * `waitReadable()` says something is there, so nothing ever blocks.
 *
 * @module
 */
import { ChronyErr, REPORTS, REPORT_NAMES, type ChronyLib, type ChronySessionHandle, type ReportName, type SessionOut } from "@chrony/fields";
import { Errno, OPEN_COMMANDS, parseEndpoint } from "@chrony/protocol";
import { ChronyConnectionError, ChronyPermissionError, ChronyTimeoutError, PERMISSION_HINT, errnoName, errorFromCode, type ChronyError } from "./errors.js";
import { FieldReader } from "./records.js";

/** How long to wait for each response and how often to re-send. */
export interface RequestPolicy {
  readonly timeoutMs: number;
  readonly retries: number;
}


/** The reports chronyd answers over UDP (its open commands); the others need the Unix socket. */
const UDP_REPORTS: readonly ReportName[] = REPORT_NAMES.filter((name) => OPEN_COMMANDS.includes(REPORTS[name].recordRequest.code));

/** An open socket with its libchrony session. */
export class Session {
  private released = false;

  private constructor(
    private readonly lib: ChronyLib,
    readonly address: string,
    private readonly fd: number,
    private readonly handle: ChronySessionHandle,
  ) {}

  /**
   * Opens the socket and the session.
   *
   * @throws {@link ChronyPermissionError} when the socket is not accessible (EACCES/EPERM),
   *   {@link ChronyConnectionError} when nothing is there, or the {@link ChronyError} of a failed `chrony_init_session()`.
   */
  static open(lib: ChronyLib, address: string): Session {
    const fd = lib.chrony_open_socket(address);
    if (fd < 0) throw openError(address, lib.lastErrno?.() ?? -fd);
    const out: SessionOut = [null];
    const result = lib.chrony_init_session(out, fd);
    const [handle] = out;
    if (result !== ChronyErr.OK || !handle) {
      lib.chrony_close_socket(fd);
      throw errorFromCode(result, `Creating a libchrony session on ${describe(address)}`);
    }
    return new Session(lib, address, fd, handle);
  }

  /**
   * Every record of a report: counts them, then requests each and reads it
   * with `read` (given `null` when the record has no fields). The records
   * come at once when every reply was there without waiting (chronyd on the
   * same machine), else as a promise: no turn of the event loop is spent on
   * a reply that is already in.
   */
  fetch<R extends ReportName, T>(
    report: R,
    read: (record: FieldReader<R> | null) => T,
    policy: RequestPolicy,
  ): T[] | Promise<T[]> {
    const { lib, handle } = this;
    // Reports of one record need no count request: libchrony answers at once.
    const counting = lib.chrony_request_report_number_records(handle, report);
    const counted =
      counting !== ChronyErr.OK || lib.chrony_needs_response(handle)
        ? this.exchange(report, null, policy, 0, counting)
        : undefined;
    if (counted) return counted.then(() => this.readRecords(report, read, policy, []));
    return this.readRecords(report, read, policy, []);
  }

  /** Frees the session and closes the socket; safe to call twice. */
  close(): void {
    if (this.released) return;
    this.released = true;
    this.lib.chrony_deinit_session(this.handle);
    this.lib.chrony_close_socket(this.fd);
  }

  /** Requests and reads the records after those in `records`, without a promise while no reply has to be waited for. */
  private readRecords<R extends ReportName, T>(
    report: R,
    read: (record: FieldReader<R> | null) => T,
    policy: RequestPolicy,
    records: T[],
  ): T[] | Promise<T[]> {
    const { lib, handle } = this;
    const count = lib.chrony_get_report_number_records(handle);
    while (records.length < count) {
      const index = records.length;
      const pending = this.exchange(report, index, policy);
      if (pending) {
        return pending.then(() => {
          records.push(this.readRecord(report, read));
          return this.readRecords(report, read, policy, records);
        });
      }
      records.push(this.readRecord(report, read));
    }
    return records;
  }

  private readRecord<R extends ReportName, T>(report: R, read: (record: FieldReader<R> | null) => T): T {
    // ntpdata/authdata of a reference clock come back without fields (there is no NTP data).
    const empty = this.lib.chrony_get_record_number_fields(this.handle) <= 0;
    return read(empty ? null : new FieldReader(this.lib, this.handle, report));
  }

  /**
   * Requests record `record` of `report` (`null`: the count of records)
   * and processes the responses, re-sending after each timeout up to
   * `retries` times; `firstSent` is the result of a first request the
   * caller already made. `undefined` when it is done without waiting, else
   * a promise of its end; failures are thrown or rejected.
   */
  private exchange(
    report: ReportName,
    record: number | null,
    policy: RequestPolicy,
    attempt = 0,
    firstSent?: number,
  ): Promise<void> | undefined {
    const { timeoutMs, retries } = policy;
    for (; attempt <= retries; attempt++) {
      // Re-issuing the request makes libchrony send it with a new sequence number; late answers to earlier ones are ignored.
      const sent = attempt === 0 && firstSent !== undefined ? firstSent : this.request(report, record);
      const next = attempt + 1;
      if (sent === ChronyErr.SEND_FAILED && this.errno() === Errno.EAGAIN) {
        // chronyd's socket queue is full (chronyd stopped or overloaded): the request is lost like an unanswered one.
        return sleep(timeoutMs).then(() => this.exchange(report, record, policy, next));
      }
      if (sent !== ChronyErr.OK) throw this.failure(sent, report, action(report, record));
      const received = this.receive(report, record, performance.now() + timeoutMs);
      if (received === true) return undefined;
      if (received !== false) return received.then((done) => (done ? undefined : this.exchange(report, record, policy, next)));
    }
    throw new ChronyTimeoutError(
      `${action(report, record)}: no response from chronyd at ${describe(this.address)} within ${timeoutMs} ms (${retries + 1} attempts)`,
      retries + 1,
      timeoutMs,
    );
  }

  /** Has libchrony send the request for `record` (`null`: the count); libchrony's result. */
  private request(report: ReportName, record: number | null): number {
    return record === null
      ? this.lib.chrony_request_report_number_records(this.handle, report)
      : this.lib.chrony_request_record(this.handle, report, record);
  }

  /**
   * Processes responses until libchrony needs no more (`true`) or the
   * deadline passes (`false`); a promise of either when it has to wait.
   */
  private receive(report: ReportName, record: number | null, deadline: number): boolean | Promise<boolean> {
    const { lib, handle, fd } = this;
    while (lib.chrony_needs_response(handle)) {
      const remaining = deadline - performance.now();
      if (remaining <= 0) return false;
      const ready = lib.waitReadable ? lib.waitReadable(fd, remaining) : true;
      if (ready === false) return false;
      if (ready !== true) {
        return ready.then((readable) => {
          if (!readable) return false;
          this.process(report, record);
          return this.receive(report, record, deadline);
        });
      }
      this.process(report, record);
    }
    return true;
  }

  /** `chrony_process_response()`, its failure thrown as the typed error. */
  private process(report: ReportName, record: number | null): void {
    const result = this.lib.chrony_process_response(this.handle);
    if (result !== ChronyErr.OK) throw this.failure(result, report, action(report, record));
  }

  private errno(): number {
    return this.lib.lastErrno?.() ?? 0;
  }

  /** The typed error of a failed call, with what the caller can do about it. */
  private failure(code: number, report: ReportName, action: string): ChronyError {
    const udp = parseEndpoint(this.address)?.kind === "udp";
    switch (code) {
      case ChronyErr.SEND_FAILED:
      case ChronyErr.RECV_FAILED: {
        const errno = this.errno();
        const hint = errno === Errno.ECONNREFUSED ? `Nothing answers at ${describe(this.address)}; is chronyd running, and is its cmdport there?` : undefined;
        return errorFromCode(code, action, { errno, hint });
      }
      case ChronyErr.UNAUTHORIZED:
        return errorFromCode(code, action, {
          hint:
            udp && !UDP_REPORTS.includes(report)
              ? `chronyd answers only ${UDP_REPORTS.join(", ")} over UDP; read ${report} through its Unix socket (e.g. /run/chrony/chronyd.sock). ${PERMISSION_HINT}`
              : udp
                ? `chronyd refuses command requests from this address over UDP (its cmdallow/cmddeny rules); its Unix socket is not subject to them. ${PERMISSION_HINT}`
                : PERMISSION_HINT,
        });
      default:
        return errorFromCode(code, action);
    }
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function action(report: ReportName, record: number | null): string {
  return record === null ? `Counting ${report} records` : `Reading ${report} record ${record}`;
}

function describe(address: string): string {
  return address === "" ? "libchrony's default addresses" : address;
}

function openError(address: string, errno: number): ChronyError {
  const where = describe(address);
  if (errno === Errno.EACCES || errno === Errno.EPERM) {
    return new ChronyPermissionError(`Permission denied opening chronyd's socket ${where} (errno ${errno}${errnoName(errno)}). ${PERMISSION_HINT}`, { errno });
  }
  return new ChronyConnectionError(`Cannot connect to chronyd at ${where} (errno ${errno}${errnoName(errno)}); is chronyd running?`, { errno });
}
