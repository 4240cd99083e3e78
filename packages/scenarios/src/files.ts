/**
 * The exact content of the package's `json/` directory, rendered from the
 * TypeScript constants. `pnpm --filter @chrony/scenarios generate` writes it;
 * a test fails when the committed files differ.
 *
 * @module
 */
import { SCENARIOS, SCENARIO_NAMES } from "./catalog.js";
import { toStateJson } from "@chrony/mock-session";
import { CHRONY_STATE_SCHEMA } from "./schema.js";

/** File name of the JSON Schema in `json/` (also exported as `@chrony/scenarios/schema.json`). */
export const SCHEMA_FILE = "chrony-state.schema.json";
/** File name of the index of presets in `json/`. */
export const INDEX_FILE = "index.json";

const render = (value: unknown): string => `${JSON.stringify(value, null, 2)}\n`;

/**
 * Every file of `json/` by name: `<name>.json` per preset (its state, with
 * `"$schema": "./chrony-state.schema.json"`), the schema, and `index.json`
 * (name, constant, description and file of each preset).
 */
export function renderJsonFiles(): Readonly<Record<string, string>> {
  const files: Record<string, string> = {};
  files[SCHEMA_FILE] = render(CHRONY_STATE_SCHEMA);
  files[INDEX_FILE] = render(
    SCENARIO_NAMES.map((name) => ({ name, constant: SCENARIOS[name].constant, description: SCENARIOS[name].description, file: `${name}.json` })),
  );
  for (const name of SCENARIO_NAMES) {
    files[`${name}.json`] = render({ $schema: `./${SCHEMA_FILE}`, ...toStateJson(SCENARIOS[name].config) });
  }
  return files;
}
