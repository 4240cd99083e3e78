/**
 * Lookups over the registry, so that code reading libchrony's data model
 * never repeats names or numbers.
 *
 * @module
 */
import { ChronyFieldContent, ChronyFieldType, ERROR_STRINGS, UNKNOWN_ERROR_STRING, ChronyErr, type ChronyErrName } from "./codes.js";
import { CONSTANT_SETS, type ChronyConstant } from "./constants.js";
import { REPORTS, type FieldDef, type FieldName, type ReportDef, type ReportName, type ResponseDef } from "./reports.js";

/** Whether a string names a libchrony report. */
export function isReportName(name: string): name is ReportName {
  return Object.hasOwn(REPORTS, name);
}

/** A report's definition by name; throws `RangeError` listing the valid names for anything else. */
export function getReport<R extends ReportName>(name: R): (typeof REPORTS)[R];
export function getReport(name: string): ReportDef;
export function getReport(name: string): ReportDef {
  if (!isReportName(name)) {
    throw new RangeError(`Unknown report "${name}"; expected one of: ${Object.keys(REPORTS).join(", ")}`);
  }
  return REPORTS[name];
}

/** The response variant of a report with this reply code, or `undefined`. */
export function findResponse(report: ReportDef, code: number): ResponseDef | undefined {
  return report.responses.find((response) => response.code === code);
}

/** The report whose record (or count) response has this reply code, with the variant. */
export function findResponseByCode(code: number): { report: ReportDef; response: ResponseDef } | undefined {
  for (const report of Object.values(REPORTS) as ReportDef[]) {
    const response = findResponse(report, code);
    if (response) return { report, response };
  }
  return undefined;
}

/** The report whose record request has this command code. */
export function findReportByRequestCode(code: number): ReportDef | undefined {
  return (Object.values(REPORTS) as ReportDef[]).find((report) => report.recordRequest.code === code);
}

/**
 * A field of a report by its libchrony name, searched over every response
 * variant (newest first, as a newer server sends it), with its position.
 */
export function findField<R extends ReportName>(
  report: R,
  name: FieldName<R>,
): { field: FieldDef; index: number; response: ResponseDef } | undefined {
  const responses = [...(REPORTS[report].responses as readonly ResponseDef[])].reverse();
  for (const response of responses) {
    const index = response.fields.findIndex((f) => f.name === name || f.referenceClockForm?.name === name);
    if (index >= 0) return { field: response.fields[index]!, index, response };
  }
  return undefined;
}

/** The `chrony_field_type` number of a field (its non-reference-clock form). */
export function fieldTypeCode(field: FieldDef): ChronyFieldType {
  return ChronyFieldType[field.type];
}

/** The `chrony_field_content` number of a field (its non-reference-clock form). */
export function fieldContentCode(field: FieldDef): ChronyFieldContent {
  return ChronyFieldContent[field.content];
}

/** The constant table of an `ENUM` or `FLAGS` field, or `null`. */
export function fieldConstants(field: FieldDef): readonly ChronyConstant[] | null {
  return field.constants ? CONSTANT_SETS[field.constants].table : null;
}

/** libchrony's own string for an error code, as `chrony_get_error_string()` returns it. */
export function errorString(code: number): string {
  return ERROR_STRINGS[code] ?? UNKNOWN_ERROR_STRING;
}

/** The name of an error code (`"UNEXPECTED_CALL"`), or `undefined` outside `chrony_err`. */
export function errorName(code: number): ChronyErrName | undefined {
  return (Object.keys(ChronyErr) as ChronyErrName[]).find((name) => ChronyErr[name] === code);
}
