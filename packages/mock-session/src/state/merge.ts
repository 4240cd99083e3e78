/** How `MockChronySession.update()` combines a change with the current config. */
import type { ChronyStateConfig } from "./config.js";

type DeepPartial<T> = T extends readonly unknown[] ? T : T extends object ? { readonly [K in keyof T]?: DeepPartial<T[K]> | null } : T;

/** A change to a state config: objects merge key by key; arrays and `null` replace. */
export type ConfigUpdate = DeepPartial<ChronyStateConfig>;

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Merges `change` into `base` without mutating either. */
export function mergeConfig(base: ChronyStateConfig, change: ConfigUpdate): ChronyStateConfig {
  return mergeObjects(base as Record<string, unknown>, change as Record<string, unknown>) as ChronyStateConfig;
}

function mergeObjects(base: Record<string, unknown>, change: Record<string, unknown>): Record<string, unknown> {
  const result: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(change)) {
    if (value === undefined) continue;
    const current = result[key];
    result[key] = isPlainObject(value) && isPlainObject(current) ? mergeObjects(current, value) : value;
  }
  return result;
}
