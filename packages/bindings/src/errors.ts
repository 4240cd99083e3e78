/**
 * The errors every `@chrony/bindings` call rejects with. All extend
 * {@link ChronyError}, so one `instanceof` catches them all.
 *
 * @module
 */
import { constants as osConstants } from "node:os";
import { ChronyErr, errorName, errorString, type ChronyErrName } from "@chrony/fields";

/** Options shared by every error class. */
export interface ChronyErrorOptions {
  /** The `chrony_err` code behind the error, when libchrony reported one. */
  readonly code?: number;
  /** `errno` of a failed system call (e.g. `EACCES` from `chrony_open_socket()`). */
  readonly errno?: number;
  /** The error that caused this one. */
  readonly cause?: unknown;
}

/**
 * Base class of every error of this package. When libchrony returned a
 * `chrony_err`, {@link code}, {@link codeName} and {@link errorString} describe it.
 */
export class ChronyError extends Error {
  /** The `chrony_err` number, or `null` when the failure did not come from libchrony. */
  readonly code: number | null;
  /** The code's name without `CHRONY_`, e.g. `"DISABLED"`, or `null`. */
  readonly codeName: ChronyErrName | null;
  /** libchrony's own description of {@link code} (`chrony_get_error_string()`), or `null`. */
  readonly errorString: string | null;
  /** `errno` of the failed system call, when there was one. */
  readonly errno: number | null;

  constructor(message: string, options: ChronyErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = options.code ?? null;
    this.codeName = this.code === null ? null : (errorName(this.code) ?? null);
    this.errorString = this.code === null ? null : errorString(this.code);
    this.errno = options.errno ?? null;
  }
}

/** chronyd cannot be reached: no socket, nothing listening, send/receive failed, or the connection is closed. */
export class ChronyConnectionError extends ChronyError {}

/** How to get access to chronyd's Unix command socket. */
export const PERMISSION_HINT =
  "Run as root, or add the user to chronyd's group (`chrony`; `_chrony` on Debian/Ubuntu), e.g. `sudo usermod -aG chrony $USER`, then log in again.";

/**
 * chronyd's Unix command socket is not accessible, or chronyd refused a
 * request ("not authorised"). The message says why and how to fix it.
 */
export class ChronyPermissionError extends ChronyError {}

/** chronyd's answer is not what the models accept: a value out of range, not finite or unknown. */
export class ChronyDataError extends ChronyError {
  /** The model field (camelCase) or libchrony field name that failed, when known. */
  readonly field: string | null;
  /** The rejected value. */
  readonly value: unknown;

  constructor(message: string, details: { field?: string; value?: unknown } & ChronyErrorOptions = {}) {
    super(message, details);
    this.field = details.field ?? null;
    this.value = details.value;
  }
}

/** libchrony could not be loaded; the message lists every path tried and how to install it. */
export class ChronyLibraryError extends ChronyError {
  /** Each path tried, with why it failed to load. */
  readonly attempts: readonly LibraryLoadAttempt[];

  constructor(message: string, attempts: readonly LibraryLoadAttempt[]) {
    super(message);
    this.attempts = Object.freeze(attempts.map((attempt) => Object.freeze({ ...attempt })));
  }
}

/** One failed attempt to load libchrony. */
export interface LibraryLoadAttempt {
  readonly path: string;
  readonly reason: string;
}

/** chronyd did not answer within the timeout, after every retry. */
export class ChronyTimeoutError extends ChronyError {
  /** How many times the request was sent. */
  readonly attempts: number;
  /** The timeout of each attempt in milliseconds. */
  readonly timeoutMs: number;

  constructor(message: string, attempts: number, timeoutMs: number) {
    super(message);
    this.attempts = attempts;
    this.timeoutMs = timeoutMs;
  }
}

/**
 * The error class for a failing `chrony_err` returned while talking to chronyd:
 * refusals become {@link ChronyPermissionError}, transport failures
 * {@link ChronyConnectionError}, the rest the base {@link ChronyError}.
 */
export function errorFromCode(code: number, action: string, details: { errno?: number; hint?: string } = {}): ChronyError {
  const errno = details.errno ? `, errno ${details.errno}${errnoName(details.errno)}` : "";
  const message = `${action}: ${errorString(code)} (CHRONY_${errorName(code) ?? code}${errno})${details.hint ? `. ${details.hint}` : ""}`;
  const options = { code, errno: details.errno || undefined };
  switch (code) {
    case ChronyErr.UNAUTHORIZED:
      return new ChronyPermissionError(message, options);
    case ChronyErr.SEND_FAILED:
    case ChronyErr.RECV_FAILED:
      return new ChronyConnectionError(message, options);
    default:
      return new ChronyError(message, options);
  }
}

const ERRNO_NAMES = new Map(Object.entries(osConstants.errno).map(([name, value]) => [value, name]));

/** ` (ECONNREFUSED)` for a known errno. */
export function errnoName(errno: number): string {
  const name = ERRNO_NAMES.get(errno);
  return name ? ` (${name})` : "";
}
