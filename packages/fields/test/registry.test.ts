import { describe, expect, expectTypeOf, it } from "vitest";
import {
  CONSTANT_SETS,
  ChronyErr,
  ChronyFieldContent,
  ChronyFieldType,
  LIBCHRONY_FUNCTIONS,
  REPORTS,
  REPORT_NAMES,
  WIRE_TYPE_LENGTH,
  type ConstantSetName,
  type FieldDef,
  type FieldName,
  type LibChrony,
  type ReportName,
  type ResponseDef,
} from "../src/index.js";
import { CONSTANT_TABLES, FIELD_TABLES, REPORT_TABLE, type HeaderField } from "./reports-h.js";

/** Our wire type names in reports.h's TYPE_* vocabulary. */
const HEADER_TYPE: Record<FieldDef["wire"], string> = {
  uint64: "UINT64",
  uint32: "UINT32",
  uint16: "UINT16",
  uint8: "UINT8",
  int16: "INT16",
  int8: "INT8",
  float: "FLOAT",
  address: "ADDRESS",
  timespec: "TIMESPEC",
  "address-or-uint32": "ADDRESS_OR_UINT32_IN_ADDRESS",
};

/** Which of reports.h's constant tables each of our constant sets transcribes. */
const HEADER_CONSTANTS: Record<ConstantSetName, string> = {
  LEAP_STATUS: "leap_enums",
  SOURCE_STATE: "sources_state_enums",
  SOURCE_MODE: "sources_mode_enums",
  SELECT_STATE: "selectdata_state_enums",
  SELECT_OPTION: "selectdata_option_flags",
  AUTH_MODE: "authdata_mode_enums",
  AUTH_KEY_TYPE: "authdata_keytype_enums",
  NTP_MODE: "ntp_mode_enums",
  NTP_TIMESTAMPING: "ntp_timestamping_enums",
  NTP_FLAG: "ntp_flags",
  SMOOTHING_FLAG: "smoothing_flags",
};

/** Our field in the header's shape; the sources' dual field carries both names joined by NUL and content NONE, as in C. */
function asHeaderField(field: FieldDef): HeaderField {
  const name = field.referenceClockForm ? `${field.name}\u0000${field.referenceClockForm.name}` : field.name;
  const content = field.referenceClockForm ? "NONE" : field.content;
  const base = [name, HEADER_TYPE[field.wire], content] as const;
  return field.constants ? [...base, HEADER_CONSTANTS[field.constants]] : base;
}

const asHeaderFields = (fields: readonly FieldDef[]) => fields.map(asHeaderField);

describe("REPORTS matches libchrony 0.2 reports.h", () => {
  it("lists the ten reports in reports[] order", () => {
    expect(REPORT_NAMES).toEqual(REPORT_TABLE.map((r) => r.name));
    expect(REPORT_NAMES.map((name) => REPORTS[name].index)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  for (const expected of REPORT_TABLE) {
    describe(expected.name, () => {
      const report = REPORTS[expected.name as ReportName];

      it("has the count request of reports.h", () => {
        if (!expected.count) {
          expect(report.countRequest).toBeNull();
          return;
        }
        expect(report.countRequest?.request.code).toBe(expected.count.request);
        expect(report.countRequest?.response.code).toBe(expected.count.response);
        expect(asHeaderFields(report.countRequest!.response.fields)).toEqual(FIELD_TABLES[expected.count.fields]);
      });

      it("has the record request of reports.h", () => {
        expect(report.recordRequest.code).toBe(expected.record.request);
        const argumentTable = expected.record.fields ?? null;
        expect(asHeaderFields(report.recordRequest.fields)).toEqual(argumentTable ? FIELD_TABLES[argumentTable] : []);
        const argument = { request_by_index_fields: "index", request_by_address_fields: "address" }[argumentTable ?? ""] ?? "none";
        expect(report.recordRequest.argument).toBe(argument);
      });

      it("has every response variant, field by field", () => {
        const responses = report.responses as readonly ResponseDef[];
        expect(responses.map((r) => r.code)).toEqual(expected.responses.map(([code]) => code));
        responses.forEach((response, i) => {
          expect(asHeaderFields(response.fields)).toEqual(FIELD_TABLES[expected.responses[i]![1]]);
        });
      });
    });
  }

  it("has every response variant chronyd sends: ntpdata two, serverstats four", () => {
    expect(REPORTS.ntpdata.responses).toHaveLength(2);
    expect(REPORTS.serverstats.responses).toHaveLength(4);
  });

  it("resolves the sources report's first field per mode as message.c does", () => {
    const first = REPORTS.sources.responses[0].fields[0];
    expect([first.name, first.type, first.content]).toEqual(["address", "STRING", "ADDRESS"]);
    expect(first.referenceClockForm).toEqual({ name: "reference ID", wire: "uint32", type: "UINTEGER", content: "REFERENCE_ID" });
  });
});

describe("constant sets match reports.h's tables", () => {
  for (const [setName, tableName] of Object.entries(HEADER_CONSTANTS)) {
    it(`${setName} = ${tableName}`, () => {
      const expected = CONSTANT_TABLES[tableName]!.map(([value, name]) => ({
        value: typeof value === "string" ? value.charCodeAt(0) : value,
        name,
      }));
      expect(CONSTANT_SETS[setName as ConstantSetName].table).toEqual(expected);
    });
  }

  it("names values as chrony_get_field_constant_name() does, null when unknown", () => {
    expect(CONSTANT_SETS.LEAP_STATUS.nameOf(1)).toBe("insert second");
    expect(CONSTANT_SETS.SELECT_STATE.nameOf("*".charCodeAt(0))).toBe("best");
    expect(CONSTANT_SETS.NTP_FLAG.nameOf(0x8000n)).toBe("authenticated");
    expect(CONSTANT_SETS.AUTH_KEY_TYPE.nameOf(12)).toBeNull();
  });
});

describe("the C types derive from the wire types as client.c does", () => {
  it("maps integer, float, address and timespec layouts", () => {
    const types = Object.fromEntries(
      REPORT_NAMES.flatMap((name) =>
        (REPORTS[name].responses as readonly ResponseDef[]).flatMap((r) => r.fields.map((f) => [f.wire, f.type])),
      ),
    );
    expect(types).toMatchObject({
      uint64: "UINTEGER",
      uint32: "UINTEGER",
      uint16: "UINTEGER",
      uint8: "UINTEGER",
      int16: "INTEGER",
      int8: "INTEGER",
      float: "FLOAT",
      address: "STRING",
      timespec: "TIMESPEC",
    });
  });

  it("knows each wire type's length as message.c's get_field_len", () => {
    expect(WIRE_TYPE_LENGTH).toEqual({
      uint64: 8, uint32: 4, uint16: 2, uint8: 1, int16: 2, int8: 1, float: 4, address: 20, timespec: 12, "address-or-uint32": 20,
    });
  });
});

describe("chrony.h enums", () => {
  it("numbers chrony_err from CHRONY_OK to CHRONY_INVALID_RESPONSE", () => {
    expect(Object.entries(ChronyErr)).toEqual(
      [
        "OK", "NO_MEMORY", "NO_RANDOM", "UNKNOWN_REPORT", "RANDOM_FAILED", "SEND_FAILED", "RECV_FAILED",
        "INVALID_ARGUMENT", "UNEXPECTED_CALL", "UNAUTHORIZED", "DISABLED", "UNEXPECTED_STATUS", "OLD_SERVER",
        "NEW_SERVER", "INVALID_RESPONSE",
      ].map((name, i) => [name, i]),
    );
  });

  it("numbers chrony_field_type and chrony_field_content in header order", () => {
    expect(Object.entries(ChronyFieldType)).toEqual(
      ["NONE", "UINTEGER", "INTEGER", "FLOAT", "TIMESPEC", "STRING"].map((name, i) => [name, i]),
    );
    expect(Object.entries(ChronyFieldContent)).toEqual(
      [
        "NONE", "COUNT", "TIME", "INTERVAL_LOG2_SECONDS", "INTERVAL_SECONDS", "OFFSET_SECONDS", "MEASURE_SECONDS",
        "OFFSET_PPM", "MEASURE_PPM", "OFFSET_PPM_PER_SECOND", "RATIO", "REFERENCE_ID", "ENUM", "BITS", "FLAGS",
        "ADDRESS", "PORT", "INDEX", "LENGTH_BITS", "LENGTH_BYTES", "BOOLEAN",
      ].map((name, i) => [name, i]),
    );
  });

  it("lists every function declared in chrony.h, in order", () => {
    expect(LIBCHRONY_FUNCTIONS).toEqual([
      "chrony_open_socket", "chrony_close_socket", "chrony_get_error_string", "chrony_init_session",
      "chrony_deinit_session", "chrony_get_fd", "chrony_needs_response", "chrony_process_response",
      "chrony_get_number_supported_reports", "chrony_get_report_name", "chrony_request_report_number_records",
      "chrony_get_report_number_records", "chrony_request_record", "chrony_get_record_number_fields",
      "chrony_get_field_name", "chrony_get_field_index", "chrony_get_field_type", "chrony_get_field_content",
      "chrony_get_field_uinteger", "chrony_get_field_integer", "chrony_get_field_float", "chrony_get_field_timespec",
      "chrony_get_field_string", "chrony_get_field_constant_name",
    ]);
    expectTypeOf<(typeof LIBCHRONY_FUNCTIONS)[number]>().toEqualTypeOf<keyof LibChrony>();
  });
});

describe("types guide callers", () => {
  it("accepts real report and field names only", () => {
    expectTypeOf<ReportName>().toEqualTypeOf<
      "tracking" | "sources" | "sourcestats" | "selectdata" | "activity" | "authdata" | "ntpdata" | "serverstats" | "rtcdata" | "smoothing"
    >();
    expectTypeOf<"leap status">().toMatchTypeOf<FieldName<"tracking">>();
    expectTypeOf<"reference ID">().toMatchTypeOf<FieldName<"sources">>();
    expectTypeOf<"served kernel RX timestamps">().toMatchTypeOf<FieldName<"serverstats">>();
    // @ts-expect-error a misspelt field name does not compile
    const misspelt: FieldName<"tracking"> = "leap_status";
    // @ts-expect-error a misspelt report name does not compile
    const report: ReportName = "trackin";
    expect([misspelt, report]).toHaveLength(2);
  });
});
