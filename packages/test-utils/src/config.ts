/**
 * How the helpers accept a mock's state: a `ChronyStateConfig`, the name of
 * a preset of `@chrony/scenarios`, or a ready `MockChronySession`.
 *
 * @module
 */
import { MockChronySession, type ChronyStateConfig, type MockChronySessionOptions } from "@chrony/mock-session";
import { SCENARIO_NTP_SYNCED, SCENARIOS, isScenarioName, type ScenarioName } from "@chrony/scenarios";

/**
 * The state a mock serves: a `ChronyStateConfig` (e.g. a `SCENARIO_*`
 * preset), or a preset's kebab-case name such as `"leap-insert"`.
 */
export type MockChronyState = ChronyStateConfig | ScenarioName;

/** The default state of every helper: {@link SCENARIO_NTP_SYNCED}, one synchronized LAN NTP server. */
export const DEFAULT_SCENARIO: ChronyStateConfig = SCENARIO_NTP_SYNCED;

/** The `ChronyStateConfig` of a {@link MockChronyState} (a preset name is looked up in `SCENARIOS`). */
export function resolveState(state: MockChronyState = DEFAULT_SCENARIO): ChronyStateConfig {
  if (typeof state === "string") {
    if (!isScenarioName(state)) {
      throw new RangeError(`Unknown scenario "${String(state)}"; the presets are: ${Object.keys(SCENARIOS).join(", ")}`);
    }
    return SCENARIOS[state].config;
  }
  return state;
}

/** A fresh mock session for a state (or the session itself when one is given). */
export function toSession(state: MockChronyState | MockChronySession | undefined, options?: MockChronySessionOptions): MockChronySession {
  return state instanceof MockChronySession ? state : new MockChronySession(resolveState(state), options);
}
