/** How `MockChronySession.update()` combines a change with the current config. */
import type { ChronyStateConfig, SourceConfig } from "./config.js";
import { snapshotState, snapshotUpdate } from "./schema.js";

type DeepPartial<T> = T extends readonly unknown[] ? T : T extends object ? { readonly [K in keyof T]?: DeepPartial<T[K]> | null } : T;

/** A change to a state config: objects merge key by key; arrays and `null` replace. */
export type ConfigUpdate = DeepPartial<ChronyStateConfig>;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * Merges `change` into `base` without mutating either. Both are read once,
 * into snapshots (plain data, known keys only: see `validateConfig`), so the
 * result holds nothing of the caller's objects; it is not validated yet.
 *
 * @throws `ChronyConfigError` when `change` (or `base`) is not an object of
 * known keys, e.g. `null`, an array, or one with a `__proto__` key.
 */
export function mergeConfig(base: ChronyStateConfig, change: ConfigUpdate): ChronyStateConfig {
  const from = snapshotState(base, "an object (the config to merge into)");
  return mergeObjects(from, snapshotUpdate(change) as Record<string, unknown>) as ChronyStateConfig;
}

/** Both are snapshots: own, known keys only, and nested no deeper than the rule table. */
function mergeObjects(base: Record<string, unknown>, change: Record<string, unknown>): Record<string, unknown> {
  const result: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(change)) {
    const current = result[key];
    result[key] = isRecord(value) && isRecord(current) ? mergeObjects(current, value) : value;
  }
  return result;
}

/**
 * A source's config with a timeline `set` over it, merged as `update()`
 * merges. Both are parts of a validated snapshot, so they are merged as they are.
 */
export function mergeSource(base: SourceConfig, change: SourceConfig): SourceConfig {
  return mergeObjects(base as Record<string, unknown>, change as Record<string, unknown>) as SourceConfig;
}
