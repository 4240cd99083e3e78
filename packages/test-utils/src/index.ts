/**
 * `@chrony/test-utils`: test helpers for code that reads chronyd through
 * `@chrony/bindings`, on `@chrony/mock-session` — no chronyd, no native code.
 * Works under any test runner (vitest, node:test, jest); the vitest fixtures
 * are in `@chrony/test-utils/vitest`.
 *
 * - {@link openMockConnection} / {@link withMockChrony}: a real
 *   `ChronyConnection` on a fresh mock, for code that takes a connection.
 * - {@link setupChronyMock}: Mock Service Worker-style interception of the
 *   `ChronyConnection.open()` calls code under test makes itself, scoped per
 *   test with `AsyncLocalStorage`.
 * - `make*` factories: real model instances with realistic defaults.
 *
 * @packageDocumentation
 */
export { DEFAULT_SCENARIO, resolveState, type MockChronyState } from "./config.js";
export {
  assertNoOpenHandles,
  ChronyMockLeakError,
  MOCK_ADDRESS,
  openMockConnection,
  withMockChrony,
  type MockConnectionOptions,
  type MockedChronyConnection,
} from "./connection.js";
export { ChronyMock, ChronyMockError, setupChronyMock, type ChronyHandler, type ListenOptions } from "./override.js";
export type { OpenHandles } from "./tracked-lib.js";
export { checkAlong, type TimelineStep } from "./timeline.js";
export {
  makeActivity,
  makeAuthData,
  makeNtpData,
  makeRtcData,
  makeSelectData,
  makeServerStats,
  makeSmoothing,
  makeSource,
  makeSourceStats,
  makeTracking,
  type Overrides,
} from "./factories.js";
// Re-exported so a test needs only this package: the presets, the fault builders and the mock.
export { SCENARIOS, type ScenarioName } from "@chrony/scenarios";
export { faults, MockChronySession, type Fault } from "@chrony/mock-session";
