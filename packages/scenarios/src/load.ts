/**
 * Loading a scenario by name or from JSON, validated and frozen.
 *
 * @module
 */
import { ChronyConfigError, normalizeState, validateConfig, type ChronyStateConfig } from "@chrony/mock-session";
import { SCENARIOS, SCENARIO_NAMES, isScenarioName, type ScenarioName } from "./catalog.js";
import { fromStateJson } from "@chrony/mock-session";

/**
 * A chronyd state, validated and deeply frozen:
 *
 * - a preset's name (`"ntp-synced"`) gives the preset itself;
 * - JSON text (a string starting with `{`) or an already parsed JSON value
 *   (e.g. the content of `json/<name>.json`, or a document of your own) is
 *   decoded (`$schema` dropped, 64-bit decimal strings made bigints), checked
 *   by mock-session's `validateConfig` and `normalizeState` (which throw
 *   `ChronyConfigError` naming the bad path), and returned as the frozen
 *   snapshot they checked. Prototype keys (`__proto__`, `constructor`) and
 *   every other unknown key are rejected by name, and nesting deeper than a
 *   state has is rejected without recursing into it.
 *
 * @throws `ChronyConfigError` (a `TypeError`) for an unknown name, text
 * that starts with `{` but is not JSON (the parser's `SyntaxError` is its
 * `cause`), or an invalid state.
 */
export function loadScenario(name: ScenarioName): ChronyStateConfig;
export function loadScenario(json: string | object): ChronyStateConfig;
export function loadScenario(input: string | object): ChronyStateConfig {
  let json: unknown = input;
  if (typeof input === "string") {
    if (isScenarioName(input)) return SCENARIOS[input].config;
    if (!input.trimStart().startsWith("{")) {
      throw new ChronyConfigError("", `a scenario name (one of ${SCENARIO_NAMES.join(", ")}) or a state as JSON text (starting with "{")`, input);
    }
    try {
      json = JSON.parse(input) as unknown;
    } catch (error) {
      throw new ChronyConfigError("", "a state as JSON text", input, { got: `text that is not JSON (${(error as Error).message})`, cause: error });
    }
  }
  let decoded: unknown;
  try {
    decoded = fromStateJson(json);
  } catch (error) {
    // Only an exotic object gets here (a throwing getter, a revoked proxy): JSON never does.
    throw new ChronyConfigError("", "a JSON value", undefined, { got: "data that cannot be read", cause: error });
  }
  const config = validateConfig(decoded);
  normalizeState(config);
  return config;
}
