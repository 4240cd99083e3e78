/**
 * `@chrony/mock-session`: a pure-TypeScript libchrony for tests. Its `lib`
 * implements libchrony's whole C API over a simulated chronyd driven by
 * declarative state, with error injection and a call log.
 *
 * @packageDocumentation
 */
export { DEFAULT_CALL_LOG_SIZE, MockChronySession, type CallRecord, type FaultHandle, type MockChronySessionOptions } from "./session.js";
export { faults, FaultOccurrences, type Fault, type FaultScope, type CallFault, type NoReplyFault, type StatusFault, type FieldFault } from "./faults.js";
export type * from "./state/config.js";
export type { ConfigUpdate } from "./state/merge.js";
export { ChronyConfigError } from "./state/errors.js";
export { validateConfig } from "./state/schema.js";
export { STATE_SPEC, EXACT_TIME_SHAPE, TIME_LIMIT, MAX_SOURCES, type ValueSpec, type FieldSpec, type ObjectShape, type AnyConstantSet } from "./state/spec.js";
export { normalizeState, sourceStateOf, type ServerState } from "./state/normalize.js";
/** chronyd's reference ID of an address or reference-clock name (from `@chrony/protocol`). */
export { referenceIdOf } from "@chrony/protocol";
export { mergeConfig } from "./state/merge.js";
export { resolveRequest, type Answer } from "./chronyd/server.js";
