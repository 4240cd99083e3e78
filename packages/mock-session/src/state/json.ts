/**
 * A chronyd state as JSON and back. JSON has no bigint: a 64-bit value (a
 * serverstats counter, an exact time's `sec`) that is a bigint in TypeScript is
 * written as a decimal string, and such a string is read back as a bigint.
 * Numbers stay numbers (the presets use only numbers, all below 2^53). Where
 * the 64-bit values are is known from {@link STATE_SPEC}.
 *
 * @module
 */
import type { ChronyStateConfig } from "./config.js";
import { EXACT_TIME_SHAPE, STATE_SPEC, type ObjectShape, type ValueSpec } from "./spec.js";

/** A JSON value. */
export type JsonValue = null | boolean | number | string | readonly JsonValue[] | { readonly [key: string]: JsonValue };

/** What a JSON state document holds: a state config, 64-bit values possibly as decimal strings, and an optional `$schema`. */
export type ChronyStateJson = { readonly [key: string]: JsonValue };

/** A decimal of at most 20 digits (2^64−1 has 20): longer ones stay strings, rejected without parsing a huge bigint. */
const DECIMAL = /^(?:0|[1-9][0-9]{0,19})$/;

/**
 * The rule of `key` in `shape`, or `undefined`: only the table's own keys
 * count (`shape["constructor"]` would be `Object`'s).
 */
const fieldOf = (shape: ObjectShape, key: string): ValueSpec | undefined => (Object.hasOwn(shape, key) ? shape[key]!.spec : undefined);

/**
 * Sets `out[key]` as an own property whatever the key: `out["__proto__"] = x`
 * would replace `out`'s prototype instead, hiding the key from validation.
 */
function put(out: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
}

/** JSON's objects (and object literals): not arrays, class instances, Dates..., which are passed through for validation to reject. */
function isPlainRecord(value: unknown): value is Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === null || Object.getPrototypeOf(proto) === null;
}

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
    const spec = fieldOf(shape, key);
    put(out, key, spec ? encodeValue(spec, child) : child);
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

/**
 * Decodes along the rule table, so it recurses only as deep as the table,
 * however deep the document; what it does not decode (unknown keys, holes,
 * values of the wrong kind) it passes through for validation to reject.
 */
function decodeValue(spec: ValueSpec, value: unknown): unknown {
  if (spec.kind === "uint64") return typeof value === "string" && DECIMAL.test(value) ? BigInt(value) : value;
  switch (spec.kind) {
    case "object":
      return isPlainRecord(value) ? decodeObject(spec.shape, value) : value;
    case "array":
      // A hole stays a hole (map() skips it) for validation to name.
      return Array.isArray(value) && value.length <= spec.maxItems ? value.map((item) => decodeValue(spec.items, item)) : value;
    case "time":
      return isPlainRecord(value) ? decodeObject(EXACT_TIME_SHAPE, value) : value;
    default:
      return value;
  }
}

function decodeObject(shape: ObjectShape, value: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(value)) {
    const spec = fieldOf(shape, key);
    put(out, key, spec ? decodeValue(spec, child) : child);
  }
  return out;
}

/**
 * The state config a JSON value describes, not yet validated: `$schema`
 * dropped, 64-bit decimal strings turned into bigints. Anything else is
 * passed through for `validateConfig` to judge.
 */
export function fromStateJson(json: unknown): unknown {
  if (!isPlainRecord(json)) return json;
  const { $schema: _schema, ...rest } = json;
  return decodeObject(STATE_SPEC.shape, rest);
}
