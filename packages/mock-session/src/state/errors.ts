/** Details of a {@link ChronyConfigError} beyond its path, rule and value. */
export interface ChronyConfigErrorOptions {
  /**
   * The key that is not allowed: then `path` given to the constructor is the
   * object holding it, {@link ChronyConfigError.path} is the key's own path,
   * and the message reads `tracking: unknown key "stratun" (expected …)`.
   */
  readonly key?: string;
  /** What was found, when the value alone does not say it (e.g. `"a hole in the array"`). */
  readonly got?: string;
  /** The error behind this one (e.g. what a getter of the config threw). */
  readonly cause?: unknown;
}

/**
 * A state config that cannot describe a chronyd: names the exact path, quotes
 * the bad key or value, and says what is allowed there. Every rejected input
 * of a mock's state (a config, an update, a JSON document) throws this one
 * class. It extends `TypeError`, which older versions threw for some inputs.
 */
export class ChronyConfigError extends TypeError {
  /** Where in the config, e.g. `sources[2].reachability` (the root is `""`). */
  readonly path: string;
  /** What the path accepts, e.g. `an integer from 0 to 255`. */
  readonly allowed: string;
  /** The rejected value (`undefined` for a missing one or an unknown key). */
  readonly value: unknown;
  /** The rejected key, when the error is about a key rather than a value; else `null`. */
  readonly key: string | null;

  constructor(path: string, allowed: string, value: unknown, options: ChronyConfigErrorOptions = {}) {
    const { key, got, cause } = options;
    super(
      key === undefined
        ? `${path || "config"}: expected ${allowed}, got ${got ?? describeValue(value)}`
        : `${path || "config"}: unknown key ${quote(key)} (expected ${allowed})`,
      cause === undefined ? undefined : { cause },
    );
    this.name = new.target.name;
    this.path = key === undefined ? path : joinPath(path, key);
    this.allowed = allowed;
    this.value = value;
    this.key = key ?? null;
  }
}

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

/** `parent.key`, or `parent["odd key"]` for a key that is not an identifier (so that a path stays on one line). */
export function joinPath(parent: string, key: string): string {
  if (IDENTIFIER.test(key)) return parent ? `${parent}.${key}` : key;
  return `${parent}[${quote(key)}]`;
}

/** Longest text of a rejected key or string quoted in a message: a message stays short whatever the input. */
const QUOTE_LIMIT = 64;

/** A string as JSON (one line, escapes visible), shortened past {@link QUOTE_LIMIT} characters. */
function quote(text: string): string {
  return text.length > QUOTE_LIMIT ? `${JSON.stringify(text.slice(0, QUOTE_LIMIT))}… (${text.length} characters)` : JSON.stringify(text);
}

function describeValue(value: unknown): string {
  switch (typeof value) {
    case "bigint":
      return `${value}n`;
    case "string":
      return quote(value);
    case "number":
    case "boolean":
    case "undefined":
      return String(value);
    case "symbol":
      return "a symbol";
    case "function":
      return "a function";
  }
  if (value === null) return "null";
  try {
    if (Array.isArray(value)) return "an array";
    const proto: unknown = Object.getPrototypeOf(value);
    if (proto === null || Object.getPrototypeOf(proto) === null) return "an object";
    const name: unknown = (proto as { constructor?: { name?: unknown } }).constructor?.name;
    return typeof name === "string" && IDENTIFIER.test(name) ? `an instance of ${name}` : "an object";
  } catch {
    return "an object";
  }
}
