/**
 * One libchrony session on one socket, and the request/response exchange
 * that never blocks the event loop: libchrony's socket is blocking, so
 * `chrony_process_response()` is only called once `waitReadable()` says a
 * datagram is there.
 *
 * @module
 */
import { ChronyErr, type ChronyLib, type ChronySessionHandle, type ReportName, type SessionOut } from "@chrony/fields";
import { ChronyConnectionError, ChronyPermissionError, ChronyTimeoutError, errorFromCode, type ChronyError } from "./errors.js";
import { FieldReader } from "./records.js";

/** How long to wait for each response and how often to re-send. */
export interface RequestPolicy {
  readonly timeoutMs: number;
  readonly retries: number;
}

const EPERM = 1;
const EACCES = 13;

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
    await this.exchange(() => lib.chrony_request_report_number_records(handle, report), `Counting ${report} records`, policy);
    const count = lib.chrony_get_report_number_records(handle);
    const records: T[] = [];
    for (let index = 0; index < count; index++) {
      await this.exchange(() => lib.chrony_request_record(handle, report, index), `Reading ${report} record ${index}`, policy);
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

  /** Sends a request and processes its responses, re-sending after each timeout up to `retries` times. */
  private async exchange(send: () => number, action: string, { timeoutMs, retries }: RequestPolicy): Promise<void> {
    for (let attempt = 0; attempt <= retries; attempt++) {
      // Re-issuing the request makes libchrony send it with a new sequence number; late answers to earlier ones are ignored.
      const sent = send();
      if (sent !== ChronyErr.OK) throw errorFromCode(sent, action);
      if (await this.receive(action, timeoutMs)) return;
    }
    throw new ChronyTimeoutError(
      `${action}: no response from chronyd at ${describe(this.address)} within ${timeoutMs} ms (${retries + 1} attempts)`,
      retries + 1,
      timeoutMs,
    );
  }

  /** Processes responses until libchrony needs no more; `false` when the attempt's time ran out. */
  private async receive(action: string, timeoutMs: number): Promise<boolean> {
    const deadline = performance.now() + timeoutMs;
    while (this.lib.chrony_needs_response(this.handle)) {
      const remaining = deadline - performance.now();
      if (remaining <= 0) return false;
      if (this.lib.waitReadable && !(await this.lib.waitReadable(this.fd, remaining))) return false;
      const result = this.lib.chrony_process_response(this.handle);
      if (result !== ChronyErr.OK) throw errorFromCode(result, action);
    }
    return true;
  }
}

function describe(address: string): string {
  return address === "" ? "libchrony's default addresses" : address;
}

function openError(address: string, errno: number): ChronyError {
  const where = describe(address);
  if (errno === EACCES || errno === EPERM) {
    return new ChronyPermissionError(`Permission denied opening chronyd's socket ${where} (errno ${errno})`, { errno });
  }
  return new ChronyConnectionError(`Cannot connect to chronyd at ${where} (errno ${errno}); is chronyd running?`, { errno });
}
