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
   * with `read` (given `null` when the record has no fields).
   */
  async fetch<R extends ReportName, T>(
    report: R,
    read: (record: FieldReader<R> | null) => T,
    policy: RequestPolicy,
  ): Promise<T[]> {
    const { lib, handle } = this;
    // Reports of one record need no count request: libchrony answers at once, and no await is spent on it.
    const counting = lib.chrony_request_report_number_records(handle, report);
    if (counting !== ChronyErr.OK || lib.chrony_needs_response(handle)) {
      await this.exchange(() => lib.chrony_request_report_number_records(handle, report), report, null, policy, counting);
    }
    const count = lib.chrony_get_report_number_records(handle);
    const records: T[] = [];
    for (let index = 0; index < count; index++) {
      await this.exchange(() => lib.chrony_request_record(handle, report, index), report, index, policy);
      // ntpdata/authdata of a reference clock come back without fields (there is no NTP data).
      const empty = lib.chrony_get_record_number_fields(handle) <= 0;
      records.push(read(empty ? null : new FieldReader(lib, handle, report)));
    }
    return records;
  }

  /** Frees the session and closes the socket; safe to call twice. */
  close(): void {
    if (this.released) return;
    this.released = true;
    this.lib.chrony_deinit_session(this.handle);
    this.lib.chrony_close_socket(this.fd);
  }

  /**
   * Sends a request and processes its responses, re-sending after each
   * timeout up to `retries` times. `record` is the record's index, `null`
   * for the count request (for messages); `firstSent` is the result of a
   * first send the caller already made.
   */
  private async exchange(
    send: () => number,
    report: ReportName,
    record: number | null,
    { timeoutMs, retries }: RequestPolicy,
    firstSent?: number,
  ): Promise<void> {
    const { lib, handle, fd } = this;
    const action = () => (record === null ? `Counting ${report} records` : `Reading ${report} record ${record}`);
    attempts: for (let attempt = 0; attempt <= retries; attempt++) {
      // Re-issuing the request makes libchrony send it with a new sequence number; late answers to earlier ones are ignored.
      const sent = attempt === 0 && firstSent !== undefined ? firstSent : send();
      if (sent === ChronyErr.SEND_FAILED && this.errno() === Errno.EAGAIN) {
        // chronyd's socket queue is full (chronyd stopped or overloaded): the request is lost like an unanswered one.
        await sleep(timeoutMs);
        continue;
      }
      if (sent !== ChronyErr.OK) throw this.failure(sent, report, action());
      // Process responses until libchrony needs no more, or the attempt's time runs out.
      const deadline = performance.now() + timeoutMs;
      while (lib.chrony_needs_response(handle)) {
        const remaining = deadline - performance.now();
        if (remaining <= 0 || (lib.waitReadable && !(await lib.waitReadable(fd, remaining)))) continue attempts;
        const result = lib.chrony_process_response(handle);
        if (result !== ChronyErr.OK) throw this.failure(result, report, action());
      }
      return;
    }
    throw new ChronyTimeoutError(
      `${action()}: no response from chronyd at ${describe(this.address)} within ${timeoutMs} ms (${retries + 1} attempts)`,
      retries + 1,
      timeoutMs,
    );
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
