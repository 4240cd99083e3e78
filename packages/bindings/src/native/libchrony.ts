/**
 * koffi declarations of every function of libchrony 0.2's `chrony.h`, giving
 * the `LibChrony` interface of `@chrony/fields` over a loaded shared library.
 *
 * @module
 */
import { isReportName, type LibChrony } from "@chrony/fields";
import type { IKoffiLib } from "koffi";
import { importKoffi } from "./koffi.js";

type Koffi = Awaited<ReturnType<typeof importKoffi>>;

/** The C types of chrony.h, made once per process (koffi types are process-wide). */
function declareTypes(koffi: Koffi) {
  const session = koffi.pointer(koffi.opaque());
  return {
    session,
    // chrony_session ** filled in by chrony_init_session().
    sessionOut: koffi.out(koffi.pointer(session)),
    timespec: koffi.struct({ tv_sec: "int64_t", tv_nsec: "long" }),
  };
}

let types: ReturnType<typeof declareTypes> | undefined;

/**
 * libchrony keeps the `report_name` pointer it is given and reads it again
 * in a later `chrony_process_response()` (client.c `follow_report`, for
 * ntpdata and authdata). A string koffi converts for one call is gone by
 * then, so report names go over as NUL-terminated buffers that live as long
 * as the process: one per name, ten at most for the names libchrony knows.
 */
const reportNames = new Map<string, Buffer>();

function persistentReportName(name: string): Buffer {
  let buffer = reportNames.get(name);
  if (!buffer) {
    buffer = Buffer.from(`${name}\0`, "utf8");
    // Unknown names are refused at once and never kept by libchrony: no need to keep them either.
    if (isReportName(name)) reportNames.set(name, buffer);
  }
  return buffer;
}

/** Binds every libchrony function of a loaded library; throws when one is missing. */
export async function bindLibChrony(library: IKoffiLib): Promise<LibChrony> {
  const koffi = await importKoffi();
  types ??= declareTypes(koffi);
  const { session, sessionOut, timespec } = types;
  const bind = (name: keyof LibChrony, result: unknown, args: unknown[]) =>
    library.func(name, result as never, args as never[]) as (...values: unknown[]) => unknown;

  const functions: { [K in keyof LibChrony]: (...values: unknown[]) => unknown } = {
    chrony_open_socket: bind("chrony_open_socket", "int", ["const char *"]),
    chrony_close_socket: bind("chrony_close_socket", "void", ["int"]),
    chrony_get_error_string: bind("chrony_get_error_string", "const char *", ["int"]),
    chrony_init_session: bind("chrony_init_session", "int", [sessionOut, "int"]),
    chrony_deinit_session: bind("chrony_deinit_session", "void", [session]),
    chrony_get_fd: bind("chrony_get_fd", "int", [session]),
    chrony_needs_response: bind("chrony_needs_response", "bool", [session]),
    chrony_process_response: bind("chrony_process_response", "int", [session]),
    chrony_get_number_supported_reports: bind("chrony_get_number_supported_reports", "int", []),
    chrony_get_report_name: bind("chrony_get_report_name", "const char *", ["int"]),
    chrony_request_report_number_records: keepName(bind("chrony_request_report_number_records", "int", [session, "const uint8_t *"])),
    chrony_get_report_number_records: bind("chrony_get_report_number_records", "int", [session]),
    chrony_request_record: keepName(bind("chrony_request_record", "int", [session, "const uint8_t *", "int"])),
    chrony_get_record_number_fields: bind("chrony_get_record_number_fields", "int", [session]),
    chrony_get_field_name: bind("chrony_get_field_name", "const char *", [session, "int"]),
    chrony_get_field_index: bind("chrony_get_field_index", "int", [session, "const char *"]),
    chrony_get_field_type: bind("chrony_get_field_type", "int", [session, "int"]),
    chrony_get_field_content: bind("chrony_get_field_content", "int", [session, "int"]),
    chrony_get_field_uinteger: bind("chrony_get_field_uinteger", "uint64_t", [session, "int"]),
    chrony_get_field_integer: bind("chrony_get_field_integer", "int64_t", [session, "int"]),
    chrony_get_field_float: bind("chrony_get_field_float", "double", [session, "int"]),
    chrony_get_field_timespec: bind("chrony_get_field_timespec", timespec, [session, "int"]),
    chrony_get_field_string: bind("chrony_get_field_string", "const char *", [session, "int"]),
    chrony_get_field_constant_name: bind("chrony_get_field_constant_name", "const char *", [session, "int", "uint64_t"]),
  };
  return functions as unknown as LibChrony;

  function keepName(call: (...values: unknown[]) => unknown) {
    return (s: unknown, name: unknown, ...rest: unknown[]) => call(s, persistentReportName(String(name)), ...rest);
  }
}
