/**
 * Loading a scenario by name or from JSON, validated and frozen.
 *
 * @module
 */
import { normalizeState, validateConfig, type ChronyStateConfig } from "@chrony/mock-session";
import { SCENARIOS, SCENARIO_NAMES, isScenarioName, type ScenarioName } from "./catalog.js";
import { deepFreeze } from "./freeze.js";
import { fromStateJson } from "./json.js";

/**
 * A chronyd state, validated and deeply frozen:
 *
 * - a preset's name (`"ntp-synced"`) gives the preset itself;
 * - JSON text (a string starting with `{`) or an already parsed JSON value
 *   (e.g. the content of `json/<name>.json`, or a document of your own) is
 *   decoded (`$schema` dropped, 64-bit decimal strings made bigints), checked
 *   by mock-session's `validateConfig` and `normalizeState` (which throw
 *   `ChronyConfigError` naming the bad path), and returned as a frozen copy.
 *
 * @throws TypeError for an unknown name; SyntaxError for bad JSON text; `ChronyConfigError` for an invalid state.
 */
export function loadScenario(name: ScenarioName): ChronyStateConfig;
export function loadScenario(json: string | object): ChronyStateConfig;
export function loadScenario(input: string | object): ChronyStateConfig {
  let json: unknown = input;
  if (typeof input === "string") {
    if (isScenarioName(input)) return SCENARIOS[input].config;
    if (!input.trimStart().startsWith("{")) {
      throw new TypeError(`loadScenario: unknown scenario ${JSON.stringify(input)}; known: ${SCENARIO_NAMES.join(", ")}`);
    }
    json = JSON.parse(input) as unknown;
  }
  const config = structuredClone(fromStateJson(json));
  validateConfig(config);
  normalizeState(config);
  return deepFreeze(config);
}
