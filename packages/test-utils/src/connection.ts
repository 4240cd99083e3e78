/**
 * A real `ChronyConnection` on a fresh mock session, for code that takes a
 * connection as an argument.
 *
 * @module
 */
import { ChronyConnection, type ChronyConnectionOptions } from "@chrony/bindings";
import type { Fault, MockChronySession } from "@chrony/mock-session";
import { toSession, type MockChronyState } from "./config.js";
import { trackLib, type OpenHandles } from "./tracked-lib.js";

/** The address a mocked connection opens unless told otherwise (any address works on the mock). */
export const MOCK_ADDRESS = "/run/chrony/chronyd.sock";

/** Options of {@link openMockConnection} and {@link withMockChrony}. */
export interface MockConnectionOptions extends Omit<ChronyConnectionOptions, "lib" | "libraryPath"> {
  /** Faults in force from the start (`faults.*` of `@chrony/mock-session`). */
  readonly faults?: readonly Fault[];
}

/**
 * A `ChronyConnection` on a mock session: every method of the real class,
 * plus `session` (its `MockChronySession`, under the name `ChronyMock` and
 * the `chronySession` fixture use too); disposing it (`await using`) closes
 * the connection and then throws a {@link ChronyMockLeakError} if the mock
 * still has open sockets or sessions.
 */
export type MockedChronyConnection = ChronyConnection & {
  /** The mock session behind the connection: `update()`, `advance()` (simulated time), `inject()`, `calls`, `openHandles`. */
  readonly session: MockChronySession;
};

/** Thrown when a mock session still has open sockets or sessions after the code using it finished. */
export class ChronyMockLeakError extends Error {
  /** What was still open. */
  readonly openHandles: OpenHandles;

  constructor(openHandles: OpenHandles, where: string) {
    super(
      `${where}: the mock session still has ${openHandles.sockets} open socket(s) and ${openHandles.sessions} open session(s); ` +
        "close every ChronyConnection (e.g. `await using`) before the test ends",
    );
    this.name = "ChronyMockLeakError";
    this.openHandles = openHandles;
  }
}

/** Throws {@link ChronyMockLeakError} if the session has open handles. */
export function assertNoOpenHandles(session: MockChronySession, where = "assertNoOpenHandles"): void {
  const open = session.openHandles;
  if (open.sockets !== 0 || open.sessions !== 0) throw new ChronyMockLeakError(open, where);
}

/**
 * Opens a real `ChronyConnection` on a fresh `MockChronySession` serving
 * `state` (default: `SCENARIO_NTP_SYNCED`; a preset name or an existing
 * session work too). Nothing native is loaded.
 *
 * @example
 * ```ts
 * await using chrony = await openMockConnection(SCENARIO_LEAP_INSERT);
 * expect((await chrony.getTracking()).isLeapPending()).toBe(true);
 * chrony.session.inject(faults.noReply());
 * chrony.session.advance(600); // simulated time: the config's timeline applies, sources poll
 * ```
 */
export async function openMockConnection(
  state?: MockChronyState | MockChronySession,
  options: MockConnectionOptions = {},
): Promise<MockedChronyConnection> {
  const { faults = [], ...connectionOptions } = options;
  const session = toSession(state);
  for (const fault of faults) session.inject(fault);
  const connection = await ChronyConnection.open({ address: MOCK_ADDRESS, ...connectionOptions, lib: trackLib(session.lib).lib });
  const close = connection.close.bind(connection);
  Object.defineProperties(connection, {
    session: { value: session, enumerable: false },
    [Symbol.asyncDispose]: {
      value: async () => {
        await close();
        assertNoOpenHandles(session, "openMockConnection dispose");
      },
      enumerable: false,
    },
  });
  return connection as MockedChronyConnection;
}

/**
 * Runs `fn` with a mocked connection and its session, then closes the
 * connection, also when `fn` throws (its error is rethrown). When `fn`
 * succeeded but the session still has open handles (code under test that
 * opened connections on `session.lib` and never closed them), throws
 * {@link ChronyMockLeakError}.
 *
 * @returns what `fn` returns.
 */
export async function withMockChrony<T>(
  state: MockChronyState | MockChronySession | undefined,
  fn: (connection: MockedChronyConnection, session: MockChronySession) => Promise<T> | T,
  options: MockConnectionOptions = {},
): Promise<T> {
  const connection = await openMockConnection(state, options);
  let result: T;
  try {
    result = await fn(connection, connection.session);
  } catch (error) {
    await connection.close();
    throw error;
  }
  await connection[Symbol.asyncDispose]();
  return result;
}
