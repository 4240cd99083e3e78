/**
 * What every model shares: frozen instances built from their fields, and
 * pychrony-style validation that names the failing field and value.
 *
 * @module
 */
import type { ConstantSet } from "@chrony/fields";
import { ChronyDataError } from "../errors.js";

/**
 * The data properties of a model class (its methods left out): what its
 * constructor takes. Constructors copy them one by one, which V8 runs several
 * times faster than `Object.assign()`; the compiler's property-initialisation
 * check sees that none is missed.
 */
export type ModelFields<M> = {
  readonly [K in keyof M as M[K] extends (...args: never[]) => unknown ? never : K]: M[K];
};

type NumericKey<T> = { [K in keyof T]: T[K] extends number | null ? K : never }[keyof T] & string;

/** How a rule judges a value; evaluated in place rather than through a closure, as this runs for every field of every record. */
const enum Kind {
  Finite,
  NonNegative,
  IntegerRange,
  Known,
}

interface Rule {
  readonly key: string;
  readonly kind: Kind;
  readonly min: number;
  readonly max: number;
  readonly constants: ConstantSet<Readonly<Record<string, number>>> | null;
  readonly problem: string;
  /** Zero passes: the field is unset (e.g. an NTP mode before the first reply). */
  readonly zeroPasses: boolean;
}

/**
 * pychrony-style checks on one model's fields, built once per model and run
 * in order on every instance; the first failure is a {@link ChronyDataError}
 * naming the model, field and value. Absent (`null`) fields pass.
 */
export class Validator<T extends object> {
  readonly #rules: Rule[] = [];

  constructor(private readonly model: string) {}

  /** Numbers must be finite (not NaN or ±Infinity). */
  finite(...keys: NumericKey<T>[]): this {
    return this.add(keys, { kind: Kind.Finite, problem: "is not a finite number" });
  }

  /** Numbers must be ≥ 0. */
  nonNegative(...keys: NumericKey<T>[]): this {
    return this.add(keys, { kind: Kind.NonNegative, problem: "must be non-negative" });
  }

  /** An integer within [min, max]. */
  range(key: NumericKey<T>, min: number, max: number): this {
    return this.add([key], { kind: Kind.IntegerRange, min, max, problem: `must be an integer in ${min}..${max}` });
  }

  /**
   * A value libchrony has a constant for (a newer chronyd may send one this
   * version does not know); with `zeroPasses`, 0 stands for "not set" and passes too.
   */
  known(key: NumericKey<T>, constants: ConstantSet<Readonly<Record<string, number>>>, { zeroPasses = false } = {}): this {
    return this.add([key], { kind: Kind.Known, constants, zeroPasses, problem: "is not a known value (newer chronyd?)" });
  }

  /** @throws {@link ChronyDataError} for the first field that fails its rule. */
  check(fields: T): void {
    // An indexed loop over plain records: this runs for every record read.
    const rules = this.#rules;
    for (let i = 0; i < rules.length; i++) {
      const rule = rules[i]!;
      const value = fields[rule.key as keyof T] as number | null;
      if (value === null || (rule.zeroPasses && value === 0) || passes(rule, value)) continue;
      throw new ChronyDataError(`Invalid ${this.model}.${rule.key}: ${value} ${rule.problem}`, { field: rule.key, value });
    }
  }

  private add(keys: readonly NumericKey<T>[], rule: Pick<Rule, "kind" | "problem"> & Partial<Rule>): this {
    for (const key of keys) this.#rules.push({ min: 0, max: 0, constants: null, zeroPasses: false, ...rule, key });
    return this;
  }
}

function passes(rule: Rule, value: number): boolean {
  switch (rule.kind) {
    case Kind.Finite:
      return Number.isFinite(value);
    case Kind.NonNegative:
      return value >= 0;
    case Kind.IntegerRange:
      return Number.isInteger(value) && value >= rule.min && value <= rule.max;
    case Kind.Known:
      return rule.constants!.nameOf(value) !== null;
  }
}

/**
 * A reference ID as people read it, as pychrony does: its four bytes as
 * ASCII when they are printable (trailing NULs dropped, e.g. `"GPS"`),
 * otherwise as a dotted quad (`"127.0.0.1"`). Zero gives `""`.
 */
export function referenceIdName(referenceId: number): string {
  let name = REFERENCE_ID_NAMES.get(referenceId);
  if (name === undefined) {
    name = formatReferenceId(referenceId);
    // A few sources' IDs recur in every reply; the bound keeps a changing set from growing it.
    if (REFERENCE_ID_NAMES.size >= 64) REFERENCE_ID_NAMES.clear();
    REFERENCE_ID_NAMES.set(referenceId, name);
  }
  return name;
}

const REFERENCE_ID_NAMES = new Map<number, string>();

function formatReferenceId(referenceId: number): string {
  const byte = (i: number): number => (referenceId >>> (24 - 8 * i)) & 0xff;
  let length = 4;
  while (length > 0 && byte(length - 1) === 0) length--;
  let text = "";
  for (let i = 0; i < length; i++) {
    const code = byte(i);
    if (code < 0x20 || code >= 0x7f) return `${byte(0)}.${byte(1)}.${byte(2)}.${byte(3)}`;
    text += String.fromCharCode(code);
  }
  return text;
}
