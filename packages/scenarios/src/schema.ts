/**
 * The JSON Schema (draft 2020-12) of a chronyd state as JSON, generated from
 * {@link STATE_SPEC}. It is as strict as mock-session's `validateConfig`:
 * unknown keys, out-of-range integers, numbers beyond chronyd's wire float,
 * unknown enum values and stray flag bits are all rejected. Cross-field rules that only `normalizeState` checks (a
 * reference clock's name with mode REFERENCE_CLOCK, a reference clock's
 * reference ID being its name and it having no ntpdata or authdata,
 * selectdata state matching the source state) are left to {@link loadScenario}.
 *
 * @module
 */
import { EXACT_TIME_SHAPE, MAX_SOURCES, STATE_SPEC, TIME_LIMIT, type AnyConstantSet, type ObjectShape, type ValueSpec } from "@chrony/mock-session";

/** A JSON Schema document or subschema (plain JSON data). */
export type JsonSchema = { readonly [key: string]: unknown };

/** The `$id` of {@link CHRONY_STATE_SCHEMA}. */
export const CHRONY_STATE_SCHEMA_ID = "https://github.com/chrony-ts/chrony-ts/blob/main/packages/scenarios/json/chrony-state.schema.json";

const UINT64_MAX = 18446744073709551615n;

const IPV4_OCTET = "(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9][0-9]|[0-9])";
const IPV4 = `${IPV4_OCTET}(?:\\.${IPV4_OCTET}){3}`;
const H = "[0-9a-fA-F]{1,4}";
/** Node's `net.isIPv6` grammar (no zone index). */
const IPV6 =
  "(?:" +
  [
    `(?:${H}:){7}(?:${H}|:)`,
    `(?:${H}:){6}(?:${IPV4}|:${H}|:)`,
    `(?:${H}:){5}(?::${IPV4}|(?::${H}){1,2}|:)`,
    `(?:${H}:){4}(?:(?::${H}){0,1}:${IPV4}|(?::${H}){1,3}|:)`,
    `(?:${H}:){3}(?:(?::${H}){0,2}:${IPV4}|(?::${H}){1,4}|:)`,
    `(?:${H}:){2}(?:(?::${H}){0,3}:${IPV4}|(?::${H}){1,5}|:)`,
    `(?:${H}:){1}(?:(?::${H}){0,4}:${IPV4}|(?::${H}){1,6}|:)`,
    `(?::(?:(?::${H}){0,5}:${IPV4}|(?::${H}){1,7}|:))`,
  ].join("|") +
  ")";

/** An IPv4 or IPv6 address. */
export const IP_ADDRESS_PATTERN = `^(?:${IPV4}|${IPV6})$`;

/**
 * A regular expression (without anchors) matching the decimal numbers 0 … `max`
 * written without leading zeros: used for 64-bit counters written as strings.
 */
export function decimalUpToPattern(max: bigint): string {
  const digits = max.toString();
  const alternatives = ["0"];
  // Shorter numbers: any digits, no leading zero.
  if (digits.length > 1) alternatives.push(`[1-9][0-9]{0,${digits.length - 2}}`);
  // Same length: equal up to position i, smaller at i, anything after.
  for (let i = 0; i < digits.length; i++) {
    const d = Number(digits[i]);
    const low = i === 0 ? 1 : 0;
    if (d > low) {
      const rest = digits.length - i - 1;
      alternatives.push(`${digits.slice(0, i)}[${low}-${d - 1}]${rest ? `[0-9]{${rest}}` : ""}`);
    }
  }
  alternatives.push(digits);
  return `(?:${[...new Set(alternatives)].join("|")})`;
}

/** A decimal string of an unsigned 64-bit value: how JSON carries counters above 2^53−1. */
export const UINT64_STRING_PATTERN = `^${decimalUpToPattern(UINT64_MAX)}$`;

/** The chronyd versions mock-session accepts: "3.0" … "3.199" and "4.0" … "4.99" (major + minor/100 in [3, 5)). */
const VERSION_PATTERN = "^0*(?:3\\.0*(?:1[0-9]{2}|[0-9]{1,2})|4\\.0*[0-9]{1,2})$";

/** The values of a flags set as ranges: the low run of bits is free, each combination of the high bits gives one range. */
export function bitRanges(set: AnyConstantSet): { min: number; max: number }[] {
  const mask = set.table.reduce((bits, c) => bits | c.value, 0);
  let low = 0;
  while ((mask >> low) & 1) low++;
  const lowMask = 2 ** low - 1;
  const high = set.table.map((c) => c.value).filter((v) => (v & lowMask) === 0 && v !== 0).sort((a, b) => a - b);
  const ranges: { min: number; max: number }[] = [];
  for (let combo = 0; combo < 2 ** high.length; combo++) {
    const base = high.reduce((sum, bit, i) => ((combo >> i) & 1 ? sum + bit : sum), 0);
    ranges.push({ min: base, max: base + lowMask });
  }
  return ranges.sort((a, b) => a.min - b.min);
}

/** An unsigned value up to `max` (≥ 2^53): a JSON integer up to 2^53−1, or a decimal string up to `max`. */
function uint64Schema(max: bigint): JsonSchema {
  return {
    anyOf: [
      { type: "integer", minimum: 0, maximum: Number.MAX_SAFE_INTEGER },
      { type: "string", pattern: max === UINT64_MAX ? UINT64_STRING_PATTERN : `^${decimalUpToPattern(max)}$` },
    ],
  };
}

const UINT64_SCHEMA: JsonSchema = {
  description: "An unsigned 64-bit value: a JSON integer up to 2^53−1, or a decimal string up to 2^64−1.",
  ...uint64Schema(UINT64_MAX),
};

function valueSchema(spec: ValueSpec, defs: Record<string, JsonSchema>, description?: string): JsonSchema {
  const doc = description ? { description } : {};
  switch (spec.kind) {
    case "integer":
      return { ...doc, type: "integer", minimum: spec.min, maximum: spec.max };
    case "uint64":
      return spec.max === undefined || spec.max === UINT64_MAX ? { ...doc, $ref: "#/$defs/Uint64" } : { ...doc, ...uint64Schema(spec.max) };
    case "number":
      return { ...doc, type: "number", minimum: spec.nonNegative ? 0 : -spec.max, maximum: spec.max };
    case "enum": {
      const name = spec.extra.length ? `${spec.setName}Or${spec.extra.map((c) => c.value).join("Or")}` : spec.setName;
      defs[name] ??= {
        title: spec.setName,
        anyOf: [...spec.extra, ...spec.set.table].map((c) => ({ const: c.value, description: c.name })),
      };
      return { ...doc, $ref: `#/$defs/${name}` };
    }
    case "bits": {
      const name = `${spec.setName}Bits`;
      defs[name] ??= {
        title: `${spec.setName} bits`,
        $comment: `Bits: ${spec.set.table.map((c) => `0x${c.value.toString(16)} ${c.name}`).join(", ")}.`,
        type: "integer",
        anyOf: bitRanges(spec.set).map((r) => ({ type: "integer", minimum: r.min, maximum: r.max })),
      };
      return { ...doc, $ref: `#/$defs/${name}` };
    }
    case "boolean":
      return { ...doc, type: "boolean" };
    case "ip":
      return spec.nullable
        ? { ...doc, anyOf: [{ $ref: "#/$defs/IpAddress" }, { type: "null" }] }
        : { ...doc, $ref: "#/$defs/IpAddress" };
    case "sourceAddress":
      return { ...doc, anyOf: [{ $ref: "#/$defs/IpAddress" }, { type: "string", pattern: "^[\\x21-\\x7e]{1,4}$", description: "A reference clock's name (its reference ID)." }] };
    case "sourceRef":
      return {
        ...doc,
        anyOf: [
          { type: "integer", minimum: 0, maximum: MAX_SOURCES - 1, description: "The source's index in sources." },
          { $ref: "#/$defs/IpAddress" },
          { type: "string", pattern: "^[\\x21-\\x7e]{1,4}$", description: "A reference clock's name." },
        ],
      };
    case "time":
      return { ...doc, $ref: "#/$defs/Time" };
    case "version":
      return { ...doc, type: "string", pattern: VERSION_PATTERN };
    case "array":
      return { ...doc, type: "array", maxItems: spec.maxItems, items: valueSchema(spec.items, defs) };
    case "object": {
      if (!defs[spec.name]) {
        const required = spec.required ?? [];
        defs[spec.name] = {
          ...objectSchema(spec.shape, defs),
          ...(required.length ? { required: [...required] } : {}),
          // Exactly one variant's keys besides the required ones (a timeline event's action).
          ...(spec.variants ? { oneOf: spec.variants.map((variant) => ({ properties: Object.fromEntries(variant.map((key) => [key, true])), required: [...variant], propertyNames: { enum: [...required, ...variant] } })) } : {}),
        };
      }
      const ref = { $ref: `#/$defs/${spec.name}` };
      return spec.nullable ? { ...doc, anyOf: [ref, { type: "null" }] } : { ...doc, ...ref };
    }
  }
}

function objectSchema(shape: ObjectShape, defs: Record<string, JsonSchema>, extra: Record<string, JsonSchema> = {}): JsonSchema {
  const properties: Record<string, JsonSchema> = { ...extra };
  for (const [key, field] of Object.entries(shape)) properties[key] = valueSchema(field.spec, defs, field.description);
  return { type: "object", additionalProperties: false, properties };
}

/** Builds the JSON Schema of a chronyd state from {@link STATE_SPEC}. */
export function buildChronyStateSchema(): JsonSchema {
  const defs: Record<string, JsonSchema> = {
    Uint64: UINT64_SCHEMA,
    IpAddress: { type: "string", pattern: IP_ADDRESS_PATTERN, description: "An IPv4 or IPv6 address (no zone index)." },
  };
  defs.Time = {
    description:
      "Seconds since the epoch below 2^63 (a model's refTime), or exactly { sec, nsec }: seconds up to 2^63−1, a decimal string above 2^53−1, and nanoseconds (a model's refTimeExact).",
    anyOf: [
      { type: "number", minimum: 0, exclusiveMaximum: Number(TIME_LIMIT) },
      { ...objectSchema(EXACT_TIME_SHAPE, defs), required: Object.keys(EXACT_TIME_SHAPE) },
    ],
  };
  const root = objectSchema(STATE_SPEC.shape, defs, {
    $schema: { type: "string", description: "The schema of the document (ignored when loading)." },
  });
  return {
    $schema: "https://json-schema.org/draft/2020-12/schema",
    $id: CHRONY_STATE_SCHEMA_ID,
    title: "chronyd state",
    description:
      "The declarative state of a simulated chronyd (@chrony/mock-session's ChronyStateConfig) as JSON. Keys are named as the properties of @chrony/bindings' models that read them back. Enum values are libchrony's numbers (character codes for selection states and timestamping); 64-bit counters and seconds above 2^53−1 are decimal strings.",
    ...root,
    $defs: defs,
  };
}

/** The JSON Schema of a chronyd state (the content of `json/chrony-state.schema.json`), deeply frozen. */
export const CHRONY_STATE_SCHEMA: JsonSchema = deepFreezeSchema(buildChronyStateSchema());

function deepFreezeSchema<T>(value: T): T {
  if (typeof value === "object" && value !== null) {
    for (const child of Object.values(value)) deepFreezeSchema(child);
    Object.freeze(value);
  }
  return value;
}
