/**
 * Checks a config against the rule table of `spec.ts` at construction and on
 * every update, so that a mock never serves something chronyd could not.
 */
import { isIP } from "node:net";
import type { ChronyStateConfig } from "./config.js";
import { ChronyConfigError } from "./errors.js";
import { EXACT_TIME_SHAPE, STATE_SPEC, TIME_LIMIT, type ObjectShape, type ValueSpec } from "./spec.js";

const fail = (path: string, allowed: string, value: unknown): never => {
  throw new ChronyConfigError(path, allowed, value);
};

const isInteger = (value: unknown, min: number, max: number): boolean =>
  typeof value === "number" && Number.isInteger(value) && value >= min && value <= max;

function checkObject(shape: ObjectShape, value: unknown, path: string, required = false): void {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return fail(path, "an object", value);
  const keys = Object.keys(shape);
  for (const key of Object.keys(value)) {
    if (!Object.hasOwn(shape, key)) fail(path ? `${path}.${key}` : key, `one of the keys ${keys.join(", ")}`, "an unknown key");
  }
  for (const key of keys) {
    const child = (value as Record<string, unknown>)[key];
    const childPath = path ? `${path}.${key}` : key;
    if (child === undefined) {
      if (required) fail(childPath, "a value", child);
      continue;
    }
    check(shape[key]!.spec, child, childPath);
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
      } else if (typeof value !== "number" || !Number.isSafeInteger(value) || value < 0) {
        fail(path, `a non-negative safe integer or a bigint up to ${maxText(max)}`, value);
      }
      return;
    }
    case "number":
      if (typeof value !== "number" || !Number.isFinite(value) || (spec.nonNegative && value < 0)) {
        fail(path, spec.nonNegative ? "a finite number ≥ 0" : "a finite number", value);
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
      if (typeof value !== "number" || !Number.isInteger(value) || value < 0 || (value & ~mask) !== 0) {
        fail(path, `a combination of the bits 0x${mask.toString(16)}`, value);
      }
      return;
    }
    case "boolean":
      if (typeof value !== "boolean") fail(path, "a boolean", value);
      return;
    case "ip":
      if (value === null && spec.nullable) return;
      if (typeof value !== "string" || isIP(value) === 0) fail(path, "an IPv4 or IPv6 address", value);
      return;
    case "sourceAddress":
      // A reference clock's name is its reference ID: 1–4 printable ASCII characters.
      if (typeof value !== "string" || !(isIP(value) !== 0 || /^[\x21-\x7e]{1,4}$/.test(value))) {
        fail(path, "an IPv4 or IPv6 address, or a reference clock name of 1 to 4 printable characters", value);
      }
      return;
    case "time":
      if (typeof value === "number") {
        if (!Number.isFinite(value) || value < 0 || value >= Number(TIME_LIMIT)) fail(path, "seconds since the epoch (a finite number ≥ 0 and below 2^63)", value);
        return;
      }
      if (typeof value !== "object" || value === null) return fail(path, "seconds since the epoch or { sec, nsec }", value);
      return checkObject(EXACT_TIME_SHAPE, value, path, true);
    case "version": {
      const match = typeof value === "string" ? /^(\d+)\.(\d+)$/.exec(value) : null;
      const number = match ? Number(match[1]) + Number(match[2]) / 100 : NaN;
      if (!(number >= 3 && number < 5)) fail(path, 'a chronyd version "major.minor" from "3.0" to "4.99"', value);
      return;
    }
    case "object":
      if (value === null && spec.nullable) return;
      return checkObject(spec.shape, value, path);
    case "array":
      if (!Array.isArray(value) || value.length > spec.maxItems) return fail(path, `an array of at most ${spec.maxItems} entries`, value);
      value.forEach((item, i) => check(spec.items, item, `${path}[${i}]`));
  }
}

/** `2^n-1` for a power of two minus one (2^64-1), else the decimal number. */
function maxText(max: bigint): string {
  const bits = max.toString(2);
  return /^1+$/.test(bits) ? `2^${bits.length}-1` : max.toString();
}

/** Checks a whole config; throws {@link ChronyConfigError} at the first bad value. */
export const validateConfig: (config: unknown) => asserts config is ChronyStateConfig = (config) => check(STATE_SPEC, config, "");
