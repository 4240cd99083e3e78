/**
 * A chronyd state as JSON and back. JSON has no bigint: a 64-bit value (a
 * serverstats counter, an exact time's `sec`) that is a bigint in TypeScript is
 * written as a decimal string, and such a string is read back as a bigint.
 * Numbers stay numbers (the presets use only numbers, all below 2^53). Where
 * the 64-bit values are is known from {@link STATE_SPEC}.
 *
 * @module
 */
import type { ChronyStateConfig } from "@chrony/mock-session";
import { EXACT_TIME_SHAPE, STATE_SPEC, type ObjectShape, type ValueSpec } from "@chrony/mock-session";

/** A JSON value. */
export type JsonValue = null | boolean | number | string | readonly JsonValue[] | { readonly [key: string]: JsonValue };

/** What a JSON state document holds: a state config, 64-bit values possibly as decimal strings, and an optional `$schema`. */
export type ChronyStateJson = { readonly [key: string]: JsonValue };

const DECIMAL = /^(?:0|[1-9][0-9]*)$/;

function encodeValue(spec: ValueSpec, value: unknown): unknown {
  if (typeof value === "bigint") return value.toString();
  if (value === null || typeof value !== "object") return value;
  switch (spec.kind) {
    case "object":
      return encodeObject(spec.shape, value as Record<string, unknown>);
    case "array":
      return (value as unknown[]).map((item) => encodeValue(spec.items, item));
    case "time":
      return encodeObject(EXACT_TIME_SHAPE, value as Record<string, unknown>);
    default:
      return value;
  }
}

function encodeObject(shape: ObjectShape, value: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(value)) {
    if (child === undefined) continue;
    const field = shape[key];
    out[key] = field ? encodeValue(field.spec, child) : child;
  }
  return out;
}

/**
 * A state config as a JSON value: `undefined` keys dropped, bigints as
 * decimal strings. `JSON.stringify(toStateJson(config))` is the JSON file.
 */
export function toStateJson(config: ChronyStateConfig): ChronyStateJson {
  return encodeObject(STATE_SPEC.shape, config as Record<string, unknown>) as ChronyStateJson;
}

function decodeValue(spec: ValueSpec, value: unknown): unknown {
  if (spec.kind === "uint64") return typeof value === "string" && DECIMAL.test(value) ? BigInt(value) : value;
  if (value === null || typeof value !== "object") return value;
  switch (spec.kind) {
    case "object":
      return Array.isArray(value) ? value : decodeObject(spec.shape, value as Record<string, unknown>);
    case "array":
      return Array.isArray(value) ? value.map((item) => decodeValue(spec.items, item)) : value;
    case "time":
      return Array.isArray(value) ? value : decodeObject(EXACT_TIME_SHAPE, value as Record<string, unknown>);
    default:
      return value;
  }
}

function decodeObject(shape: ObjectShape, value: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(value)) {
    const field = shape[key];
    out[key] = field ? decodeValue(field.spec, child) : child;
  }
  return out;
}

/**
 * The state config a JSON value describes, not yet validated: `$schema`
 * dropped, 64-bit decimal strings turned into bigints. Anything else is
 * passed through for `validateConfig` to judge.
 */
export function fromStateJson(json: unknown): unknown {
  if (typeof json !== "object" || json === null || Array.isArray(json)) return json;
  const { $schema: _schema, ...rest } = json as Record<string, unknown>;
  return decodeObject(STATE_SPEC.shape, rest);
}
