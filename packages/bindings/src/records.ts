/**
 * Reading the current record of a libchrony session: generically through the
 * introspection functions (every field the server sent, for `getReport()`),
 * and by field name for the typed models.
 *
 * @module
 */
import {
  ChronyFieldContent,
  ChronyFieldType,
  findField,
  type ChronyFieldContentName,
  type ChronyFieldTypeName,
  type ChronyLib,
  type ChronySessionHandle,
  type FieldName,
  type ReportName,
} from "@chrony/fields";
import { ChronyDataError } from "./errors.js";
import { exactTime, type ExactTime } from "./time.js";

/**
 * A field's value as libchrony gives it: integers as `number` while they are
 * safe integers and as `bigint` beyond 2^53 (never rounded), floats as
 * `number`, timespecs as {@link ExactTime}, strings (addresses) as `string`
 * or `null` when libchrony has none (e.g. a reference clock's address).
 */
export type ChronyFieldValue = number | bigint | string | ExactTime | null;

/** One field of a record, with everything libchrony says about it. */
export interface ChronyField {
  /** libchrony's name, e.g. `"current correction"`. */
  readonly name: string;
  /** How the value is handed out (`chrony_get_field_type()`), or `"NONE"`. */
  readonly type: ChronyFieldTypeName;
  /** What the value means (`chrony_get_field_content()`), e.g. `"OFFSET_SECONDS"`. */
  readonly content: ChronyFieldContentName;
  readonly value: ChronyFieldValue;
  /** For `ENUM` fields: libchrony's name of the value, or `null` when it has none. */
  readonly constantName: string | null;
  /** For `FLAGS` fields: libchrony's names of the set bits it knows; `null` for other fields. */
  readonly flagNames: readonly string[] | null;
}

/** One record of a report, every field in the order the server sent them. */
export interface ChronyRecord {
  readonly fields: readonly ChronyField[];
}

/** A whole report as `ChronyConnection.getReport()` returns it. */
export interface ChronyReport {
  readonly name: ReportName;
  /**
   * One entry per record; `null` where libchrony returned a record without
   * fields (ntpdata/authdata of a reference clock, which has no NTP data).
   */
  readonly records: readonly (ChronyRecord | null)[];
}

const TYPE_NAMES = inverse(ChronyFieldType);
const CONTENT_NAMES = inverse(ChronyFieldContent);

function inverse<K extends string>(codes: Readonly<Record<K, number>>): ReadonlyMap<number, K> {
  return new Map((Object.entries(codes) as [K, number][]).map(([name, code]) => [code, name]));
}

/**
 * libchrony reads INT16 fields with `ntohs()` straight into an `int64_t`, so
 * the sign is lost (a poll of -2 arrives as 65534). The registry tells which
 * fields are INT16 on the wire; those are sign-extended here.
 */
function fixSignedInteger(report: ReportName, name: string, value: number | bigint): number | bigint {
  const wire = findField(report, name as FieldName<ReportName>)?.field.wire;
  return wire === "int16" ? (Number(value) << 16) >> 16 : value;
}

function readRecord(lib: ChronyLib, session: ChronySessionHandle, report: ReportName): ChronyRecord {
  const count = lib.chrony_get_record_number_fields(session);
  const fields: ChronyField[] = [];
  for (let index = 0; index < count; index++) {
    const name = lib.chrony_get_field_name(session, index) ?? `#${index}`;
    const type = TYPE_NAMES.get(lib.chrony_get_field_type(session, index)) ?? "NONE";
    const content = CONTENT_NAMES.get(lib.chrony_get_field_content(session, index)) ?? "NONE";
    const value = readValue(lib, session, report, name, index, type);
    const isInteger = typeof value === "number" || typeof value === "bigint";
    fields.push(
      Object.freeze({
        name,
        type,
        content,
        value,
        constantName: content === "ENUM" && isInteger ? lib.chrony_get_field_constant_name(session, index, value) : null,
        flagNames: content === "FLAGS" && isInteger ? flagNames(lib, session, index, BigInt(value)) : null,
      }),
    );
  }
  return Object.freeze({ fields: Object.freeze(fields) });
}

function readValue(
  lib: ChronyLib,
  session: ChronySessionHandle,
  report: ReportName,
  name: string,
  index: number,
  type: ChronyFieldTypeName,
): ChronyFieldValue {
  switch (type) {
    case "UINTEGER":
      return lib.chrony_get_field_uinteger(session, index);
    case "INTEGER":
      return fixSignedInteger(report, name, lib.chrony_get_field_integer(session, index));
    case "FLOAT":
      return lib.chrony_get_field_float(session, index);
    case "TIMESPEC":
      return exactTime(lib.chrony_get_field_timespec(session, index));
    case "STRING":
      return lib.chrony_get_field_string(session, index);
    case "NONE":
      return null;
  }
}

/** Names of the set bits of a flags value that libchrony knows. */
function flagNames(lib: ChronyLib, session: ChronySessionHandle, index: number, value: bigint): readonly string[] {
  const names: string[] = [];
  for (let bit = 1n; bit <= value; bit <<= 1n) {
    const name = value & bit ? lib.chrony_get_field_constant_name(session, index, bit) : null;
    if (name !== null) names.push(name);
  }
  return Object.freeze(names);
}

/**
 * Typed access to the session's current record by libchrony field name
 * (`chrony_get_field_index()`, so it works across response variants). A
 * missing field is a {@link ChronyDataError}.
 */
export class FieldReader<R extends ReportName> {
  constructor(
    private readonly lib: ChronyLib,
    private readonly session: ChronySessionHandle,
    private readonly report: R,
  ) {}

  /** Every field of the record through libchrony's introspection functions, nothing left out. */
  all(): ChronyRecord {
    return readRecord(this.lib, this.session, this.report);
  }

  /** Whether the record has this field (e.g. a newer variant's counter). */
  has(name: FieldName<R>): boolean {
    return this.lib.chrony_get_field_index(this.session, name) >= 0;
  }

  /** An unsigned integer that must fit a `number` (all but the 64-bit counters). */
  uint(name: FieldName<R>): number {
    const value = this.lib.chrony_get_field_uinteger(this.session, this.index(name));
    if (typeof value === "bigint" && !Number.isSafeInteger(Number(value))) {
      throw new ChronyDataError(`${this.report} field "${name}" does not fit a number: ${value}`, { field: name, value });
    }
    return Number(value);
  }

  /** An unsigned integer as `bigint`, exact for 64-bit counters. */
  bigUint(name: FieldName<R>): bigint {
    return BigInt(this.lib.chrony_get_field_uinteger(this.session, this.index(name)));
  }

  /** A signed integer, with INT16 fields sign-extended (see libchrony's quirk above). */
  int(name: FieldName<R>): number {
    return Number(fixSignedInteger(this.report, name, this.lib.chrony_get_field_integer(this.session, this.index(name))));
  }

  float(name: FieldName<R>): number {
    return this.lib.chrony_get_field_float(this.session, this.index(name));
  }

  /** A string field; `null` when libchrony has none (unspecified address). */
  string(name: FieldName<R>): string | null {
    return this.lib.chrony_get_field_string(this.session, this.index(name));
  }

  time(name: FieldName<R>): ExactTime {
    return exactTime(this.lib.chrony_get_field_timespec(this.session, this.index(name)));
  }

  private index(name: FieldName<R>): number {
    const index = this.lib.chrony_get_field_index(this.session, name);
    if (index < 0) {
      throw new ChronyDataError(`${this.report} record has no field "${name}"`, { field: name });
    }
    return index;
  }
}
