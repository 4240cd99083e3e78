/**
 * Output: JSON a script reads (bigints as strings, exact times as
 * `{ sec, nsec }` with `sec` a string) and tables a person reads, coloured
 * only on a terminal.
 *
 * @module
 */
import { styleText } from "node:util";
import Table from "cli-table3";

/** JSON of models: bigints become decimal strings, nothing is lost. */
export function toJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => (typeof v === "bigint" ? v.toString() : v), 2);
}

/** What the CLI writes to, so tests can capture it and colour follows the terminal. */
export interface Output {
  readonly stdout: NodeJS.WritableStream;
  readonly stderr: NodeJS.WritableStream;
  /** Colour and progress only on a terminal (and not with NO_COLOR). */
  readonly color: boolean;
}

type Style = Parameters<typeof styleText>[0];

export function paint(output: Output, style: Style, text: string): string {
  return output.color ? styleText(style, text) : text;
}

function cell(value: unknown): string {
  if (value === null || value === undefined || value === "") return "-";
  if (typeof value === "bigint") return value.toString();
  if (typeof value === "number") return Number.isInteger(value) ? String(value) : value.toPrecision(6);
  if (typeof value === "object") {
    const exact = value as { sec?: bigint; nsec?: number };
    if (typeof exact.sec === "bigint" && typeof exact.nsec === "number") {
      return new Date(Number(exact.sec) * 1000 + Math.floor(exact.nsec / 1e6)).toISOString();
    }
    return JSON.stringify(value, (_k, v: unknown) => (typeof v === "bigint" ? v.toString() : v));
  }
  return String(value);
}

/** A model's own fields; a time with an exact twin (`refTime`, `refTimeExact`) is shown once, as a date. */
function fieldsOf(model: object): [string, unknown][] {
  const record = model as Record<string, unknown>;
  return Object.entries(model)
    .filter(([k]) => !(k.endsWith("Exact") && k.slice(0, -"Exact".length) in record))
    .map(([k, v]) => [k, `${k}Exact` in record ? record[`${k}Exact`] : v]);
}

/** Records with more fields than this are shown one vertical table per record. */
const WIDE = 12;

/** A report as a person reads it: one record vertically, several as rows (or vertically when wide). */
export function table(output: Output, title: string, value: object | readonly (object | null)[]): string {
  const heading = paint(output, "bold", title);
  const style = { head: output.color ? ["cyan"] : [], border: output.color ? ["grey"] : [] };
  const vertical = (model: object) => {
    const t = new Table({ style });
    for (const [key, v] of fieldsOf(model)) t.push({ [key]: cell(v) });
    return t.toString();
  };
  if (!Array.isArray(value)) return `${heading}\n${vertical(value)}`;
  const records = value as readonly (object | null)[];
  if (records.length === 0) return `${heading}\n(no records)`;
  const first = records.find((r) => r !== null);
  if (!first) return `${heading}\n(${records.length} records without data: reference clocks)`;
  const columns = fieldsOf(first).map(([k]) => k);
  if (columns.length > WIDE) {
    return [heading, ...records.map((r, i) => (r ? `#${i}\n${vertical(r)}` : `#${i}: no data (reference clock)`))].join("\n");
  }
  const t = new Table({ head: columns, style });
  for (const r of records) t.push(r ? fieldsOf(r).map(([, v]) => cell(v)) : columns.map(() => "-"));
  return `${heading}\n${t.toString()}`;
}
