/**
 * `@chrony/cli`: the `chrony-ts` command (`show`, `capture`, `doctor`), and the same as
 * functions for programs that want the diagnosis without the shell.
 *
 * @packageDocumentation
 */
export { run } from "./run.js";
export { diagnose, type ConnectOptions, type Problem, type ReportOutcome, type TransportDiagnosis } from "./diagnose.js";
export { inferVersion } from "./version.js";
export { capture, captureJson, type Capture, type CaptureOptions } from "./capture.js";
export { redactState } from "./redact.js";
export type { Output } from "./format.js";
