/**
 * `@chrony/mock-server`: a fake chronyd on a real UDP socket. It answers
 * chronyd's command protocol — every request chronyc and libchrony send for
 * the ten reports, plus source names — from a declarative
 * `ChronyStateConfig`, with live state changes, protocol-level fault
 * injection and, on request, chronyd's UDP access rules.
 *
 * @packageDocumentation
 */
export { startMockChronyd, type MockChronyd, type MockChronydOptions, type MockChronydStats } from "./server.js";
export { handleRequest, topicOfCommand, type DropReason, type HandlerOptions, type Outcome } from "./handler.js";
// One fault API with @chrony/mock-session: the same builders, validator, handle and fault types.
export {
  ActiveFault,
  faults,
  validateFault,
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
} from "@chrony/mock-session";
export { loadStateFile, parseArguments, scenarioFile, type CliArguments } from "./cli-args.js";
