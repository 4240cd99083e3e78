/**
 * `@chrony/test-utils/vitest`: vitest fixtures and lifecycle wiring. The only
 * entry that imports `vitest` (an optional peer dependency); the main entry
 * works under any runner.
 *
 * @packageDocumentation
 */
import { afterAll, afterEach, aroundEach, beforeAll, test } from "vitest";
import type { MockChronySession } from "@chrony/mock-session";
import { DEFAULT_SCENARIO, toSession, type MockChronyState } from "./config.js";
import { assertNoOpenHandles, openMockConnection, type MockConnectionOptions, type MockedChronyConnection } from "./connection.js";
import type { ChronyMock } from "./override.js";

/** The fixtures of {@link chronyTest}. */
export interface ChronyFixtures {
  /**
   * The state the test's mock serves (default `SCENARIO_NTP_SYNCED`; a
   * config or a preset name). Set per suite with
   * `chronyTest.override({ chronyState: SCENARIO_LEAP_INSERT })`.
   */
  chronyState: MockChronyState;
  /** Options of the test's connection (`timeoutMs`, `retries`, `faults`, `address`). */
  chronyOptions: MockConnectionOptions;
  /** A fresh `MockChronySession` serving {@link chronyState}; after the test it must have no open handles. */
  chronySession: MockChronySession;
  /** A `ChronyConnection` on {@link chronySession}, closed after the test (also a failing one). */
  chrony: MockedChronyConnection;
}

/**
 * `test` with chrony fixtures: each test that asks for `chrony` or
 * `chronySession` gets its own mock, so `chronyTest.concurrent` is safe.
 *
 * @example
 * ```ts
 * chronyTest("reads tracking", async ({ chrony }) => {
 *   expect((await chrony.getTracking()).stratum).toBe(2);
 * });
 * ```
 */
export const chronyTest = test.extend<ChronyFixtures>({
  chronyState: DEFAULT_SCENARIO,
  chronyOptions: {},
  chronySession: async ({ chronyState }, use) => {
    const session = toSession(chronyState);
    await use(session);
    assertNoOpenHandles(session, "chronySession fixture teardown");
  },
  chrony: async ({ chronySession, chronyOptions }, use) => {
    const connection = await openMockConnection(chronySession, chronyOptions);
    try {
      await use(connection);
    } finally {
      await connection[Symbol.asyncDispose]();
    }
  },
});

/** Options of {@link useChronyMock}. */
export interface UseChronyMockOptions {
  /**
   * Run every test of the suite in its own scope (`aroundEach` +
   * `mock.run()`), so concurrent tests each see their own state. Default true.
   */
  readonly scoped?: boolean;
}

/**
 * Wires a {@link ChronyMock} into the current suite: `listen()` before all
 * tests, each test inside its own `mock.run()` scope (AsyncLocalStorage, so
 * `test.concurrent` tests are isolated and `mock.use()` in a test touches only
 * that test), `resetHandlers()` after each, `close()` after all.
 *
 * @returns the mock, for chaining.
 */
export function useChronyMock(mock: ChronyMock, options: UseChronyMockOptions = {}): ChronyMock {
  beforeAll(() => mock.listen());
  if (options.scoped ?? true) aroundEach((runTest) => mock.run(() => runTest()));
  afterEach(() => {
    mock.resetHandlers();
  });
  afterAll(() => mock.close());
  return mock;
}
