/**
 * `@chrony/mock-session`: a pure-TypeScript libchrony for tests. Its `lib`
 * implements libchrony's whole C API over a simulated chronyd driven by
 * declarative state, with error injection and a call log.
 *
 * @packageDocumentation
 */
export { DEFAULT_CALL_LOG_SIZE, MockChronySession, type CallRecord, type MockChronySessionOptions } from "./session.js";
export {
  ActiveFault,
  FaultOccurrences,
  faults,
  statusCode,
  topicOfCommand,
  type ByteFault,
  type CallFault,
  type CallScope,
  type DelayFault,
  type Fault,
  type FaultHandle,
  type FaultScope,
  type FieldFault,
  type NoReplyFault,
  type OversizeFault,
  type ReplyFault,
  type ReplyStatusName,
  type ReportFieldFault,
  type RequestTopic,
  type SequenceFault,
  type StatusFault,
  type TruncateFault,
} from "./faults.js";
export { validateFault, type FaultFrontEnd } from "./state/faults-schema.js";
export { faultAnswer, transformReply, type FaultedAnswer } from "./chronyd/reply-faults.js";
export type * from "./state/config.js";
export type { ConfigUpdate } from "./state/merge.js";
export { ChronyConfigError, type ChronyConfigErrorOptions } from "./state/errors.js";
export { validateConfig } from "./state/schema.js";
export { STATE_SPEC, EXACT_TIME_SHAPE, TIME_LIMIT, FLOAT_MAX, MAX_SOURCES, MAX_TIMELINE_EVENTS, type ValueSpec, type FieldSpec, type ObjectShape, type AnyConstantSet } from "./state/spec.js";
export { normalizeState, sourceStateOf, type ServerState } from "./state/normalize.js";
/** chronyd's reference ID of an address or reference-clock name (from `@chrony/protocol`). */
export { referenceIdOf } from "@chrony/protocol";
export { mergeConfig } from "./state/merge.js";
export { configAt, stateAt, MAX_CLOCK_ERROR_PPM, MAX_SLEW_RATE, MAX_ELAPSED } from "./state/simulate.js";
export { toStateJson, fromStateJson, type ChronyStateJson, type JsonValue } from "./state/json.js";
export { resolveRequest, type Answer } from "./chronyd/server.js";
