/**
 * What every model shares: frozen instances built from their fields, and
 * pychrony-style validation that names the failing field and value.
 *
 * @module
 */
import type { ConstantSet } from "@chrony/fields";
import { ChronyDataError } from "../errors.js";

/** The data properties of a model class (its methods left out): what its constructor takes. */
export type ModelFields<M> = {
  readonly [K in keyof M as M[K] extends (...args: never[]) => unknown ? never : K]: M[K];
};

/** Copies the fields onto a model instance and freezes it. */
export function initModel<M extends object>(model: M, fields: ModelFields<M>): void {
  Object.assign(model, fields);
  Object.freeze(model);
}

type NumericKey<T> = { [K in keyof T]: T[K] extends number | null ? K : never }[keyof T] & string;

/** Checks on one model's fields; each failure is a {@link ChronyDataError} naming the model, field and value. */
export class Validator<T extends object> {
  constructor(
    private readonly model: string,
    private readonly fields: T,
  ) {}

  /** Numbers must be finite (not NaN or ±Infinity). Absent (`null`) fields pass. */
  finite(...keys: NumericKey<T>[]): this {
    return this.each(keys, (value) => Number.isFinite(value), "is not a finite number");
  }

  /** Numbers must be ≥ 0. */
  nonNegative(...keys: NumericKey<T>[]): this {
    return this.each(keys, (value) => value >= 0, "must be non-negative");
  }

  /** An integer within [min, max]. */
  range(key: NumericKey<T>, min: number, max: number): this {
    return this.each([key], (value) => Number.isInteger(value) && value >= min && value <= max, `must be an integer in ${min}..${max}`);
  }

  /** A value libchrony has a constant for (a newer chronyd may send one this version does not know). */
  known(key: NumericKey<T>, constants: ConstantSet<Readonly<Record<string, number>>>): this {
    return this.each([key], (value) => constants.nameOf(value) !== null, "is not a known value (newer chronyd?)");
  }

  private each(keys: readonly NumericKey<T>[], ok: (value: number) => boolean, problem: string): this {
    for (const key of keys) {
      const value = this.fields[key] as number | null;
      if (value !== null && !ok(value)) {
        throw new ChronyDataError(`Invalid ${this.model}.${key}: ${value} ${problem}`, { field: key, value });
      }
    }
    return this;
  }
}

/**
 * A reference ID as people read it, as pychrony does: its four bytes as
 * ASCII when they are printable (trailing NULs dropped, e.g. `"GPS"`),
 * otherwise as a dotted quad (`"127.0.0.1"`). Zero gives `""`.
 */
export function referenceIdName(referenceId: number): string {
  const bytes = [24, 16, 8, 0].map((shift) => (referenceId >>> shift) & 0xff);
  while (bytes.length > 0 && bytes[bytes.length - 1] === 0) bytes.pop();
  const printable = bytes.every((byte) => byte >= 0x20 && byte < 0x7f);
  return printable ? String.fromCharCode(...bytes) : [24, 16, 8, 0].map((shift) => (referenceId >>> shift) & 0xff).join(".");
}
