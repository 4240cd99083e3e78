/**
 * `@chrony/mock-server`: a fake chronyd on a real UDP socket. It answers
 * chronyd's command protocol — every request chronyc and libchrony send for
 * the ten reports, plus source names — from a declarative
 * `ChronyStateConfig`, with live state changes, protocol-level fault
 * injection and, on request, chronyd's UDP access rules.
 *
 * @packageDocumentation
 */
export {
  startMockChronyd,
  type MockChronyd,
  type MockChronydOptions,
  type MockChronydStats,
  type ServerFaultHandle,
} from "./server.js";
export { handleRequest, topicOfCommand, type DropReason, type HandlerOptions, type Outcome } from "./handler.js";
export {
  serverFaults,
  validateServerFault,
  type DelayFault,
  type DropFault,
  type OversizeFault,
  type RequestTopic,
  type SequenceFault,
  type ServerFault,
  type ServerFaultScope,
  type ServerFieldFault,
  type ServerStatusFault,
  type TruncateFault,
} from "./faults.js";
export { loadStateFile, parseArguments, scenarioFile, type CliArguments } from "./cli-args.js";
