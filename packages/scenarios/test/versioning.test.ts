/**
 * Changing a preset's values is a breaking change of @chrony/scenarios. This
 * test pins a hash of every preset: when one changes on purpose, add a major
 * changeset (minor while 0.x, its body starting "Breaking (0.x):") and update
 * the snapshot (`vitest run -u`).
 */
import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { SCENARIOS, SCENARIO_NAMES, toStateJson } from "../src/index.js";

/** JSON with sorted keys: the hash depends on values only, not on key order. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (value !== null && typeof value === "object") {
    return `{${Object.keys(value).sort().map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`).join(",")}}`;
  }
  return JSON.stringify(value);
}

const hashOf = (name: (typeof SCENARIO_NAMES)[number]) => createHash("sha256").update(canonical(toStateJson(SCENARIOS[name].config))).digest("hex");

describe("preset values are versioned", () => {
  it.each(SCENARIO_NAMES)("%s is unchanged", (name) => {
    expect(
      hashOf(name),
      `Preset "${name}" (${SCENARIOS[name].constant}) changed. Changing a preset's values is a BREAKING change of @chrony/scenarios: ` +
        `add a major changeset (\`pnpm changeset\`, "@chrony/scenarios": major — minor while 0.x, starting "Breaking (0.x):" — saying what changed), regenerate json/ ` +
        `(\`pnpm --filter @chrony/scenarios generate\`) and update this snapshot (\`pnpm --filter @chrony/scenarios test -- -u\`).`,
    ).toMatchSnapshot();
  });

  it("hashes values, not key order", () => {
    expect(canonical({ b: 1, a: [{ d: 2, c: 3 }] })).toBe(canonical({ a: [{ c: 3, d: 2 }], b: 1 }));
  });
});
