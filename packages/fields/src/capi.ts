/**
 * The TypeScript face of libchrony 0.2's C API (`chrony.h`): every function,
 * named as in C, with the argument and result conventions that a koffi
 * binding gives them. `@chrony/bindings` implements it over the native
 * library, `@chrony/mock-session` in pure TypeScript.
 *
 * @module
 */

/** An opaque `chrony_session *` (a koffi pointer, or the mock's handle). Only the implementation that made it may use it. */
export type ChronySessionHandle = object;

/**
 * `struct timespec` by value. koffi gives 64-bit integers as `number` when
 * they are safe integers and as `bigint` otherwise.
 */
export interface ChronyTimespec {
  readonly tv_sec: number | bigint;
  readonly tv_nsec: number | bigint;
}

/**
 * `chrony_session **`: an out-parameter. Pass a one-element array; on
 * success the implementation stores the new session at index 0 (koffi's
 * convention for `_Out_` pointers).
 */
export type SessionOut = [ChronySessionHandle | null];

/** Every function of libchrony 0.2's `chrony.h`. Error results are `chrony_err` numbers. */
export interface LibChrony {
  /** Opens a UDP or Unix socket to chronyd; the fd, or negative with `errno` set. */
  chrony_open_socket(address: string | null): number;
  /** Closes a socket from `chrony_open_socket()` (and removes its Unix socket file). */
  chrony_close_socket(fd: number): void;
  /** libchrony's description of an error code. */
  chrony_get_error_string(e: number): string;
  /** Creates a session on a socket; stores it in `out[0]`. */
  chrony_init_session(out: SessionOut, fd: number): number;
  /** Destroys a session. */
  chrony_deinit_session(s: ChronySessionHandle): void;
  /** The socket given to `chrony_init_session()`. */
  chrony_get_fd(s: ChronySessionHandle): number;
  /** Whether a request waits for its response. */
  chrony_needs_response(s: ChronySessionHandle): boolean;
  /** Reads and processes one response (blocking on the socket); may send a follow-up request. */
  chrony_process_response(s: ChronySessionHandle): number;
  /** How many reports the library supports. */
  chrony_get_number_supported_reports(): number;
  /** A report's name by index, or `null` outside the range. */
  chrony_get_report_name(report: number): string | null;
  /** Asks for the number of records of a report. */
  chrony_request_report_number_records(s: ChronySessionHandle, report_name: string): number;
  /** The number of records from the last count request. */
  chrony_get_report_number_records(s: ChronySessionHandle): number;
  /**
   * Asks for one record of a report. libchrony keeps the `report_name`
   * pointer and reads it again in a later `chrony_process_response()` (for
   * ntpdata and authdata), so a native binding must pass memory that outlives
   * the call.
   */
  chrony_request_record(s: ChronySessionHandle, report_name: string, record: number): number;
  /** How many fields the last record has. */
  chrony_get_record_number_fields(s: ChronySessionHandle): number;
  /** A field's name, or `null` for an invalid index. */
  chrony_get_field_name(s: ChronySessionHandle, field: number): string | null;
  /** A field's index by name, or negative. */
  chrony_get_field_index(s: ChronySessionHandle, name: string): number;
  /** A field's `chrony_field_type`. */
  chrony_get_field_type(s: ChronySessionHandle, field: number): number;
  /** A field's `chrony_field_content`. */
  chrony_get_field_content(s: ChronySessionHandle, field: number): number;
  /** An unsigned integer field (`uint64_t`). */
  chrony_get_field_uinteger(s: ChronySessionHandle, field: number): number | bigint;
  /** A signed integer field (`int64_t`). */
  chrony_get_field_integer(s: ChronySessionHandle, field: number): number | bigint;
  /** A floating-point field. */
  chrony_get_field_float(s: ChronySessionHandle, field: number): number;
  /** A timespec field. */
  chrony_get_field_timespec(s: ChronySessionHandle, field: number): ChronyTimespec;
  /** A string field, or `null`. */
  chrony_get_field_string(s: ChronySessionHandle, field: number): string | null;
  /** The name of an enum value or flag bit of a field, or `null`. */
  chrony_get_field_constant_name(s: ChronySessionHandle, field: number, value: number | bigint): string | null;
}

/** The names of libchrony's C functions, in `chrony.h` order. */
export const LIBCHRONY_FUNCTIONS = Object.freeze([
  "chrony_open_socket",
  "chrony_close_socket",
  "chrony_get_error_string",
  "chrony_init_session",
  "chrony_deinit_session",
  "chrony_get_fd",
  "chrony_needs_response",
  "chrony_process_response",
  "chrony_get_number_supported_reports",
  "chrony_get_report_name",
  "chrony_request_report_number_records",
  "chrony_get_report_number_records",
  "chrony_request_record",
  "chrony_get_record_number_fields",
  "chrony_get_field_name",
  "chrony_get_field_index",
  "chrony_get_field_type",
  "chrony_get_field_content",
  "chrony_get_field_uinteger",
  "chrony_get_field_integer",
  "chrony_get_field_float",
  "chrony_get_field_timespec",
  "chrony_get_field_string",
  "chrony_get_field_constant_name",
] as const satisfies readonly (keyof LibChrony)[]);

/** A libchrony function name. */
export type LibChronyFunction = (typeof LIBCHRONY_FUNCTIONS)[number];

/**
 * Not part of libchrony: what the operating system provides around it, which
 * a caller needs to use it well from an event loop.
 */
export interface LibChronyHost {
  /**
   * Waits for a session's socket to become readable without blocking the
   * event loop (`poll(2)` for the native library). Resolves `true` when
   * readable, `false` after `timeoutMs`; may answer `true` (or `false` for
   * a `timeoutMs` of 0) at once, without a promise, so that a reply already
   * there costs no turn of the microtask queue. Without it, responses count
   * as ready at once.
   */
  waitReadable(fd: number, timeoutMs: number): boolean | Promise<boolean>;
  /** `errno` after the last failed call (e.g. `EACCES` from `chrony_open_socket()`). */
  lastErrno(): number;
}

/** What `ChronyConnection` drives: the C API, optionally with the host's extras. */
export type ChronyLib = LibChrony & Partial<LibChronyHost>;
