/**
 * Checks a config against the rule table of `spec.ts` at construction and on
 * every update, so that a mock never serves something chronyd could not.
 *
 * Input is read exactly once, into a snapshot: a plain-data copy that takes
 * only own enumerable string keys, only the keys the table knows (so never
 * `__proto__`, `constructor` or `prototype`), only dense arrays, and nests
 * only as deep as the table does, since the copy follows the table rather
 * than the data. The checks and everything after them (normalizing, serving,
 * `currentConfig`) see that snapshot, never the caller's object again: a
 * getter cannot answer one thing to validation and another to the server.
 */
import { isIP } from "node:net";
import type { ChronyStateConfig } from "./config.js";
import { ChronyConfigError, joinPath } from "./errors.js";
import type { ConfigUpdate } from "./merge.js";
import { EXACT_TIME_SHAPE, FLOAT_MAX, MAX_SOURCES, STATE_SPEC, TIME_LIMIT, type ObjectShape, type ValueSpec } from "./spec.js";

const fail = (path: string, allowed: string, value: unknown): never => {
  throw new ChronyConfigError(path, allowed, value);
};

const isInteger = (value: unknown, min: number, max: number): boolean =>
  typeof value === "number" && Number.isInteger(value) && value >= min && value <= max;

/** An IP address as chronyd's wire carries it: no zone index (`fe80::1%eth0`), which would be dropped. */
const isWireIp = (value: string): boolean => isIP(value) !== 0 && !value.includes("%");

const ANY_TIME = "seconds since the epoch or { sec, nsec }";

// ---------------------------------------------------------------------------
// The snapshot
// ---------------------------------------------------------------------------

/** What a getter or proxy of the caller's data threw, on one line. */
function thrownText(error: unknown): string {
  try {
    const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    const line = text.replace(/\s+/g, " ").trim();
    return line.length > 100 ? `${line.slice(0, 100)}…` : line;
  } catch {
    return "an unprintable value";
  }
}

/** Reads the caller's data (a property, its keys, its prototype): whatever a getter or proxy throws becomes a ChronyConfigError at `path`. */
function read<T>(path: string, reader: () => T): T {
  try {
    return reader();
  } catch (error) {
    if (error instanceof ChronyConfigError) throw error;
    throw new ChronyConfigError(path, "plain data that can be read", undefined, { got: `an error reading it (${thrownText(error)})`, cause: error });
  }
}

/** An object literal, `Object.create(null)` or `JSON.parse()`'s output (of any realm): not an array, a class instance, a Date, a Map... */
function isPlainObject(value: object, path: string): boolean {
  return read(path, () => {
    if (Array.isArray(value)) return false;
    const proto: unknown = Object.getPrototypeOf(value);
    return proto === null || Object.getPrototypeOf(proto) === null;
  });
}

function snapshotObject(shape: ObjectShape, value: object, path: string, allowed: string): Record<string, unknown> {
  if (typeof value === "function" || !isPlainObject(value, path)) return fail(path, allowed, value);
  const copy: Record<string, unknown> = {};
  for (const key of read(path, () => Object.keys(value))) {
    if (!Object.hasOwn(shape, key)) throw new ChronyConfigError(path, `one of the keys ${Object.keys(shape).join(", ")}`, undefined, { key });
    const childPath = joinPath(path, key);
    const child = read(childPath, () => (value as Record<string, unknown>)[key]);
    // An undefined key is an absent one.
    if (child !== undefined) copy[key] = snapshotValue(shape[key]!.spec, child, childPath);
  }
  return copy;
}

function snapshotArray(spec: Extract<ValueSpec, { kind: "array" }>, value: object, path: string): unknown[] {
  const allowed = `an array of at most ${spec.maxItems} entries`;
  if (typeof value === "function" || !read(path, () => Array.isArray(value))) return fail(path, allowed, value);
  const array = value as readonly unknown[];
  const length = read(path, () => array.length);
  if (length > spec.maxItems) throw new ChronyConfigError(path, allowed, value, { got: `an array of ${length} entries` });
  const copy: unknown[] = [];
  for (let i = 0; i < length; i++) {
    const itemPath = `${path}[${i}]`;
    const item = read(itemPath, () => (Object.hasOwn(array, i) ? { value: array[i] } : null));
    if (item === null) {
      throw new ChronyConfigError(itemPath, spec.items.kind === "object" ? "an object" : "a value", undefined, { got: "a hole in the array (arrays must be dense)" });
    }
    copy.push(snapshotValue(spec.items, item.value, itemPath));
  }
  return copy;
}

/**
 * A copy of `value` under `spec`: primitives as they are (the checks judge
 * them), objects and arrays copied where the rule takes them and rejected
 * where it does not. Recursion follows the rule table, so its depth is the
 * table's whatever the input's.
 */
function snapshotValue(spec: ValueSpec, value: unknown, path: string): unknown {
  if (value === null || (typeof value !== "object" && typeof value !== "function")) return value;
  switch (spec.kind) {
    case "object":
      return snapshotObject(spec.shape, value, path, "an object");
    case "time":
      return snapshotObject(EXACT_TIME_SHAPE, value, path, ANY_TIME);
    case "array":
      return snapshotArray(spec, value, path);
    default:
      // No other rule takes an object: check() says what the rule takes.
      check(spec, value, path);
      return fail(path, "a plain value", value);
  }
}

/** A snapshot of a whole state or of a change to one: a plain object at the root. */
export function snapshotState(input: unknown, allowed: string): Record<string, unknown> {
  if (input === null || (typeof input !== "object" && typeof input !== "function")) return fail("", allowed, input);
  return snapshotObject(STATE_SPEC.shape, input, "", allowed);
}

function deepFreeze<T>(value: T): T {
  if (typeof value === "object" && value !== null && !Object.isFrozen(value)) {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}

// ---------------------------------------------------------------------------
// The checks, on a snapshot
// ---------------------------------------------------------------------------

/** Keys are the snapshot's, so only known ones; this checks their values and the required ones. */
function checkObject(shape: ObjectShape, value: unknown, path: string, required: boolean | readonly string[] = false, allowed = "an object"): void {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return fail(path, allowed, value);
  for (const key of Object.keys(shape)) {
    const child = Object.hasOwn(value, key) ? (value as Record<string, unknown>)[key] : undefined;
    const childPath = joinPath(path, key);
    if (child === undefined) {
      if (required === true || (required !== false && required.includes(key))) fail(childPath, "a value", child);
      continue;
    }
    check(shape[key]!.spec, child, childPath);
  }
}

/** The keys present besides the required ones must be exactly one variant's. */
function checkVariant(variants: readonly (readonly string[])[], required: readonly string[], value: unknown, path: string): void {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return;
  const keys = Object.keys(value).filter((key) => !required.includes(key) && (value as Record<string, unknown>)[key] !== undefined);
  const matches = variants.some((variant) => variant.length === keys.length && variant.every((key) => keys.includes(key)));
  if (!matches) {
    const allowed = variants.map((variant) => `{ ${[...required, ...variant].join(", ")} }`).join(", ");
    const got = keys.length === 0 ? `none of them` : `the keys ${keys.join(", ")}`;
    throw new ChronyConfigError(path, `the keys of one of ${allowed}`, value, { got });
  }
}

/** Throws {@link ChronyConfigError} at the first value that breaks its rule. */
function check(spec: ValueSpec, value: unknown, path: string): void {
  switch (spec.kind) {
    case "integer":
      if (!isInteger(value, spec.min, spec.max)) fail(path, `an integer from ${spec.min} to ${spec.max}`, value);
      return;
    case "uint64": {
      const max = spec.max ?? 0xffffffffffffffffn;
      if (typeof value === "bigint") {
        if (value < 0n || value > max) fail(path, `an integer from 0 to ${maxText(max)}`, value);
      } else if (typeof value !== "number" || !Number.isSafeInteger(value) || value < 0 || value > max) {
        fail(path, `a non-negative safe integer or a bigint up to ${maxText(max)}`, value);
      }
      return;
    }
    case "number":
      // Beyond ±max chronyd's wire float saturates: the client would read max.
      if (typeof value !== "number" || !Number.isFinite(value) || value < (spec.nonNegative ? 0 : -spec.max) || value > spec.max) {
        const max = BigInt(spec.max); // printed exactly: String(2^62) would round to "4611686018427388000"
        fail(path, `a finite number from ${spec.nonNegative ? 0n : -max} to ${max}${spec.max === FLOAT_MAX ? " (chronyd's 32-bit wire float)" : ""}`, value);
      }
      return;
    case "enum": {
      const extra = spec.extra.map((c) => c.value);
      if (typeof value !== "number" || !(extra.includes(value) || spec.set.nameOf(value) !== null)) {
        fail(path, `one of ${[...extra, ...spec.set.table.map((c) => c.value)].join(", ")}`, value);
      }
      return;
    }
    case "bits": {
      const mask = spec.set.table.reduce((bits, c) => bits | c.value, 0);
      // Bounded before the bitwise test, which sees only the low 32 bits (2^32 + 1 would pass as 1).
      if (typeof value !== "number" || !Number.isInteger(value) || value < 0 || value > mask || (value & ~mask) !== 0) {
        fail(path, `a combination of the bits 0x${mask.toString(16)}`, value);
      }
      return;
    }
    case "boolean":
      if (typeof value !== "boolean") fail(path, "a boolean", value);
      return;
    case "ip":
      if (value === null && spec.nullable) return;
      if (typeof value !== "string" || !isWireIp(value)) fail(path, "an IPv4 or IPv6 address (no zone index)", value);
      return;
    case "sourceAddress":
      // A reference clock's name is its reference ID: 1–4 printable ASCII characters.
      if (typeof value !== "string" || !(isWireIp(value) || /^[\x21-\x7e]{1,4}$/.test(value))) {
        fail(path, "an IPv4 or IPv6 address (no zone index), or a reference clock name of 1 to 4 printable characters", value);
      }
      return;
    case "sourceRef":
      if (typeof value === "number" ? !isInteger(value, 0, MAX_SOURCES - 1) : typeof value !== "string" || !(isWireIp(value) || /^[\x21-\x7e]{1,4}$/.test(value))) {
        fail(path, `a source's index (an integer from 0 to ${MAX_SOURCES - 1}) or address`, value);
      }
      return;
    case "time":
      if (typeof value === "number") {
        if (!Number.isFinite(value) || value < 0 || value >= Number(TIME_LIMIT)) fail(path, "seconds since the epoch (a finite number ≥ 0 and below 2^63)", value);
        return;
      }
      return checkObject(EXACT_TIME_SHAPE, value, path, true, ANY_TIME);
    case "version": {
      const match = typeof value === "string" ? /^(\d+)\.(\d+)$/.exec(value) : null;
      const number = match ? Number(match[1]) + Number(match[2]) / 100 : NaN;
      if (!(number >= 3 && number < 5)) fail(path, 'a chronyd version "major.minor" from "3.0" to "4.99"', value);
      return;
    }
    case "object":
      if (value === null && spec.nullable) return;
      if (spec.variants) checkVariant(spec.variants, spec.required ?? [], value, path);
      return checkObject(spec.shape, value, path, spec.required);
    case "array":
      if (!Array.isArray(value) || value.length > spec.maxItems) return fail(path, `an array of at most ${spec.maxItems} entries`, value);
      // A snapshot's arrays are dense: every index is visited.
      for (let i = 0; i < value.length; i++) check(spec.items, value[i], `${path}[${i}]`);
  }
}

/** `2^n-1` for a power of two minus one (2^64-1), else the decimal number. */
function maxText(max: bigint): string {
  const bits = max.toString(2);
  return /^1+$/.test(bits) ? `2^${bits.length}-1` : max.toString();
}

/** Snapshots validated here: deeply frozen, so valid for good. */
const VALIDATED = new WeakSet<object>();

/**
 * Checks a whole config and returns the snapshot it checked: a deeply
 * frozen plain-data copy, the only thing to use afterwards (the input is not
 * read again, so a getter or a later mutation cannot slip past the checks).
 * A snapshot passed back in is returned as it is.
 *
 * @throws {@link ChronyConfigError} at the first bad key or value, for any input.
 */
export function validateConfig(config: unknown): ChronyStateConfig {
  if (typeof config === "object" && config !== null && VALIDATED.has(config)) return config as ChronyStateConfig;
  const snapshot = snapshotState(config, "an object");
  check(STATE_SPEC, snapshot, "");
  VALIDATED.add(deepFreeze(snapshot));
  return snapshot as ChronyStateConfig;
}

/**
 * A snapshot of a change to a config (what `update()` takes): plain data,
 * known keys only, as deep as the rule table. Its values are checked when
 * the merged config is.
 *
 * @throws {@link ChronyConfigError} for anything that is not such a change.
 */
export function snapshotUpdate(change: unknown): ConfigUpdate {
  return snapshotState(change, "an object of the keys to change") as ConfigUpdate;
}
