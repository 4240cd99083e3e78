/** A minimal libchrony client loop for tests: what example-reports.c does, returning what it saw. */
import { ChronyErr, ChronyFieldType, type ChronySessionHandle, type LibChrony, type SessionOut } from "@chrony/fields";

export interface FieldReading {
  name: string | null;
  type: number;
  content: number;
  value: unknown;
}

export function openSession(lib: LibChrony, address = "/run/chrony/chronyd.sock"): { s: ChronySessionHandle; fd: number; close(): void } {
  const fd = lib.chrony_open_socket(address);
  if (fd < 0) throw new Error(`open failed: ${fd}`);
  const out: SessionOut = [null];
  const err = lib.chrony_init_session(out, fd);
  if (err !== ChronyErr.OK || !out[0]) throw new Error(`init failed: ${err}`);
  const s = out[0];
  return { s, fd, close: () => (lib.chrony_deinit_session(s), lib.chrony_close_socket(fd)) };
}

/** Processes responses until none is needed; returns the number of process_response calls and the last error. */
export function drain(lib: LibChrony, s: ChronySessionHandle): { calls: number; error: number } {
  let calls = 0;
  while (lib.chrony_needs_response(s)) {
    calls++;
    const error = lib.chrony_process_response(s);
    if (error !== ChronyErr.OK) return { calls, error };
  }
  return { calls, error: ChronyErr.OK };
}

export function readFields(lib: LibChrony, s: ChronySessionHandle): FieldReading[] {
  const n = lib.chrony_get_record_number_fields(s);
  return Array.from({ length: n }, (_, i) => {
    const type = lib.chrony_get_field_type(s, i);
    const value =
      type === ChronyFieldType.UINTEGER ? lib.chrony_get_field_uinteger(s, i)
      : type === ChronyFieldType.INTEGER ? lib.chrony_get_field_integer(s, i)
      : type === ChronyFieldType.FLOAT ? lib.chrony_get_field_float(s, i)
      : type === ChronyFieldType.TIMESPEC ? lib.chrony_get_field_timespec(s, i)
      : lib.chrony_get_field_string(s, i);
    return { name: lib.chrony_get_field_name(s, i), type, content: lib.chrony_get_field_content(s, i), value };
  });
}

/** Reads a whole report as `name → value` records, or the error that stopped it. */
export function readReport(lib: LibChrony, s: ChronySessionHandle, report: string): { records: Record<string, unknown>[]; error: number } {
  let err = lib.chrony_request_report_number_records(s, report);
  if (err !== ChronyErr.OK) return { records: [], error: err };
  err = drain(lib, s).error;
  if (err !== ChronyErr.OK) return { records: [], error: err };
  const records: Record<string, unknown>[] = [];
  const n = lib.chrony_get_report_number_records(s);
  for (let i = 0; i < n; i++) {
    err = lib.chrony_request_record(s, report, i);
    if (err === ChronyErr.OK) err = drain(lib, s).error;
    if (err !== ChronyErr.OK) return { records, error: err };
    records.push(Object.fromEntries(readFields(lib, s).map((f) => [f.name, f.value])));
  }
  return { records, error: ChronyErr.OK };
}
