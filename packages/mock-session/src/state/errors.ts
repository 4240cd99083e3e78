/** A state config that cannot describe a chronyd: names the exact path and what is allowed there. */
export class ChronyConfigError extends TypeError {
  override readonly name = "ChronyConfigError";

  constructor(
    /** Where in the config, e.g. `sources[2].reachability`. */
    readonly path: string,
    /** What the path accepts, e.g. `an integer from 0 to 255`. */
    readonly allowed: string,
    /** The rejected value. */
    readonly value: unknown,
  ) {
    super(`${path || "config"}: expected ${allowed}, got ${describeValue(value)}`);
  }
}

function describeValue(value: unknown): string {
  if (typeof value === "bigint") return `${value}n`;
  if (typeof value === "string") return JSON.stringify(value);
  if (typeof value === "number" || typeof value === "boolean" || value === null || value === undefined) return String(value);
  if (Array.isArray(value)) return "an array";
  return typeof value === "object" ? "an object" : typeof value;
}
