/**
 * `@chrony/scenarios`: versioned presets of chronyd state for
 * `@chrony/mock-session` — as TypeScript constants (`SCENARIO_*`), as the
 * {@link SCENARIOS} map, and as JSON files with a JSON Schema for other tools
 * and languages. Changing a preset's values is a breaking change.
 *
 * @packageDocumentation
 */
export {
  SCENARIO_NTP_SYNCED,
  SCENARIO_UNSYNC,
  SCENARIO_LEAP_INSERT,
  SCENARIO_LEAP_DELETE,
  SCENARIO_GPS_REFCLOCK,
  SCENARIO_PPS_REFCLOCK,
  SCENARIO_RTC_AVAILABLE,
  SCENARIO_RTC_UNAVAILABLE,
  SCENARIO_MULTI_SOURCE,
  SCENARIO_FALSETICKER,
  SCENARIO_NO_MAJORITY,
  SCENARIO_ALL_UNREACHABLE,
  SCENARIO_UPSTREAM_LOST,
  SCENARIO_NETWORK_PARTITION,
  SCENARIO_FALSETICKER_APPEARS,
  SCENARIO_LEAP_SECOND,
  SCENARIO_RESUME_FROM_SUSPEND,
  SCENARIO_SOURCE_ADDED,
  SCENARIO_JITTERY,
  SCENARIO_LOCAL_REFERENCE,
  SCENARIO_PEER_MODE,
  SCENARIO_IPV6_SOURCES,
  SCENARIO_NTS_AUTHENTICATED,
  SCENARIO_LARGE_OFFSET,
  SCENARIO_FREQUENCY_DRIFT,
  SCENARIO_SMOOTHING_ACTIVE,
  SCENARIO_BUSY_SERVER,
  SCENARIO_MANY_SOURCES,
  SCENARIO_STRATUM_1,
  SCENARIO_STRATUM_MAX,
  SCENARIO_CAPTURED_LAN_CLIENT,
  SCENARIO_CAPTURED_LOCAL_REFERENCE,
  SCENARIO_CAPTURED_MIXED_IPV4_IPV6,
} from "./presets.js";
export { SCENARIOS, SCENARIO_NAMES, isScenarioName, type ScenarioInfo, type ScenarioName } from "./catalog.js";
export { loadScenario } from "./load.js";
/** What `loadScenario()` throws for a bad name or state (the class of `@chrony/mock-session`). */
export { ChronyConfigError } from "@chrony/mock-session";
/** The JSON form of a state lives with the rule table in `@chrony/mock-session` (the fake chronyd's state files use it too). */
export { toStateJson, fromStateJson, type ChronyStateJson, type JsonValue } from "@chrony/mock-session";
export { CHRONY_STATE_SCHEMA, CHRONY_STATE_SCHEMA_ID, buildChronyStateSchema, type JsonSchema } from "./schema.js";
/** The rule table of a state config lives in `@chrony/mock-session`; re-exported for the schema's users. */
export { STATE_SPEC, MAX_SOURCES, type ValueSpec, type FieldSpec, type ObjectShape, type AnyConstantSet } from "@chrony/mock-session";
export { deepFreeze, isDeepFrozen, type DeepReadonly } from "./freeze.js";
export { renderJsonFiles, SCHEMA_FILE, INDEX_FILE } from "./files.js";
