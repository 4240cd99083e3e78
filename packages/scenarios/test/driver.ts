/**
 * A tiny libchrony client for the tests: what a C program using libchrony
 * does, through `MockChronySession.lib`. Requests go through the mock's
 * reply cache as any client's do.
 */
import { ChronyErr, ChronyFieldType, REPORT_NAMES, type ChronyLib, type ChronySessionHandle, type SessionOut } from "@chrony/fields";
import { MockChronySession, type ChronyStateConfig } from "@chrony/mock-session";

/** A record as `field name → value` (strings, numbers, bigints, timespecs, null for no address). */
export type DrivenRecord = Record<string, unknown>;

/** One report as read through the C API. */
export interface DrivenReport {
  /** The error of the count request (CHRONY_OK, or e.g. none for reports without one). */
  readonly countError: number;
  readonly numberRecords: number;
  /** Per record: its error and fields (empty when the record failed or has no fields). */
  readonly records: readonly { readonly error: number; readonly fields: DrivenRecord }[];
}

function drain(lib: ChronyLib, s: ChronySessionHandle): number {
  while (lib.chrony_needs_response(s)) {
    const error = lib.chrony_process_response(s);
    if (error !== ChronyErr.OK) return error;
  }
  return ChronyErr.OK;
}

function readFields(lib: ChronyLib, s: ChronySessionHandle): DrivenRecord {
  const fields: DrivenRecord = {};
  const n = lib.chrony_get_record_number_fields(s);
  for (let i = 0; i < n; i++) {
    const type = lib.chrony_get_field_type(s, i);
    const value =
      type === ChronyFieldType.UINTEGER ? lib.chrony_get_field_uinteger(s, i)
      : type === ChronyFieldType.INTEGER ? lib.chrony_get_field_integer(s, i)
      : type === ChronyFieldType.FLOAT ? lib.chrony_get_field_float(s, i)
      : type === ChronyFieldType.TIMESPEC ? lib.chrony_get_field_timespec(s, i)
      : lib.chrony_get_field_string(s, i);
    fields[lib.chrony_get_field_name(s, i) ?? `#${i}`] = value;
  }
  return fields;
}

/** Reads one report in a fresh session: count, then every record. */
export function driveReport(lib: ChronyLib, report: string): DrivenReport {
  const fd = lib.chrony_open_socket("/run/chrony/chronyd.sock");
  if (fd < 0) throw new Error(`chrony_open_socket failed: ${fd}`);
  const out: SessionOut = [null];
  if (lib.chrony_init_session(out, fd) !== ChronyErr.OK || !out[0]) throw new Error("chrony_init_session failed");
  const s = out[0];
  try {
    let countError = lib.chrony_request_report_number_records(s, report);
    if (countError === ChronyErr.OK) countError = drain(lib, s);
    const numberRecords = countError === ChronyErr.OK ? lib.chrony_get_report_number_records(s) : 0;
    const records = [];
    for (let i = 0; i < numberRecords; i++) {
      let error = lib.chrony_request_record(s, report, i);
      if (error === ChronyErr.OK) error = drain(lib, s);
      records.push({ error, fields: error === ChronyErr.OK ? readFields(lib, s) : {} });
    }
    return { countError, numberRecords, records };
  } finally {
    lib.chrony_deinit_session(s);
    lib.chrony_close_socket(fd);
  }
}

/** Every report libchrony supports, by name, read from one `new MockChronySession(config)`; also the handles left open. */
export function driveAll(config: ChronyStateConfig): { reports: Record<string, DrivenReport>; leaks: number } {
  const mock = new MockChronySession(config);
  const reports = Object.fromEntries(REPORT_NAMES.map((name) => [name, driveReport(mock.lib, name)]));
  return { reports, leaks: mock.openHandles.sockets + mock.openHandles.sessions };
}
