/**
 * `setupChronyMock()`: makes every `ChronyConnection.open()` without a `lib`
 * — the ones code under test makes itself — talk to a mock session, with
 * Mock Service Worker's lifecycle (`listen` / `use` / `resetHandlers` /
 * `close`) and per-test scopes (`run`) that keep concurrent tests apart.
 *
 * @module
 */
import { AsyncLocalStorage } from "node:async_hooks";
import { LIB_OVERRIDE_SYMBOL, UNMOCKED_HINT_SYMBOL, type ChronyLibOverride, type ChronyUnmockedHint } from "@chrony/bindings";
import { MockChronySession, type ChronyStateConfig, type ConfigUpdate, type Fault } from "@chrony/mock-session";
import type { ScenarioName } from "@chrony/scenarios";
import { resolveState, type MockChronyState } from "./config.js";
import { ChronyMockLeakError } from "./connection.js";
import { checkAlong, type TimelineStep } from "./timeline.js";
import { trackLib, type OpenHandles, type TrackedLib } from "./tracked-lib.js";

/**
 * What {@link ChronyMock.use} accepts: a partial state (merged into the
 * current one as `MockChronySession.update()` does: objects merge, arrays and
 * `null` replace) or a fault (`faults.*` of `@chrony/mock-session`).
 */
export type ChronyHandler = ConfigUpdate | Fault | ScenarioName;

/** Options of {@link ChronyMock.listen}. */
export interface ListenOptions {
  /**
   * What a `ChronyConnection.open()` without `lib` meets once this mock was
   * closed: `"bypass"` (default) lets it reach the real chronyd; `"error"`
   * keeps a guard in the hook that rejects it with a {@link ChronyMockError}
   * naming this mock, until the mock listens again or is disposed — so code
   * that outlives its test cannot reach the host's chronyd unnoticed.
   */
  readonly onUnmocked?: "bypass" | "error";
}

/** A connection was opened outside a listening mock, where the mock says that is an error. */
export class ChronyMockError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** One mock session and the handles opened on it: the root scope, or one per {@link ChronyMock.run}. */
class Scope {
  readonly session: MockChronySession;
  readonly tracked: TrackedLib;

  constructor(
    /** The state this scope starts from and resets to. */
    readonly config: ChronyStateConfig,
    handlers: readonly ChronyHandler[],
  ) {
    this.session = new MockChronySession(config);
    this.tracked = trackLib(this.session.lib);
    apply(this.session, handlers);
  }
}

function isFault(handler: ChronyHandler): handler is Fault {
  return typeof handler === "object" && handler !== null && ("call" in handler || "reply" in handler);
}

/** A preset name replaces the whole state; a partial state merges into it; a fault is injected. */
function apply(session: MockChronySession, handlers: readonly ChronyHandler[]): void {
  for (const handler of handlers) {
    if (typeof handler === "string") session.reset(resolveState(handler));
    else if (isFault(handler)) session.inject(handler);
    else session.update(handler);
  }
}

type OverrideSlot = { [LIB_OVERRIDE_SYMBOL]?: ChronyLibOverride; [UNMOCKED_HINT_SYMBOL]?: ChronyUnmockedHint };

/** Mocks made and not disposed (weakly), with where each was made: a failed open() of the real chronyd names one that is not listening. */
const made = new Map<WeakRef<ChronyMock>, string>();

/** The sentence bindings adds to a failed open() of the real chronyd while a mock exists but is not listening. */
const unmockedHint: ChronyUnmockedHint = () => {
  let idle: string | undefined;
  for (const [ref, where] of made) {
    const mock = ref.deref();
    if (mock === undefined) made.delete(ref);
    else if (mock.listening) return undefined;
    else idle ??= where;
  }
  return idle === undefined
    ? undefined
    : `A chrony mock (setupChronyMock() ${idle}) exists but is not listening, so the connection went to the real chronyd: ` +
        "call listen() (or useChronyMock() in vitest) before the code under test opens its connection.";
};

/**
 * A mock of chronyd for code that opens its own `ChronyConnection`. Create it
 * with {@link setupChronyMock}; while it is listening, `ChronyConnection.open()`
 * without a `lib` option gets the current scope's mock session.
 *
 * Scopes: outside {@link run} every connection shares the root session
 * (sequential tests: `use()` in a test, `resetHandlers()` after each).
 * Inside `run(fn)` — through `AsyncLocalStorage`, so across every `await` —
 * connections get that run's own fresh session, and `use()`/{@link session}
 * address it: concurrent tests never see each other's state.
 */
export class ChronyMock {
  readonly #als = new AsyncLocalStorage<Scope>();
  readonly #config: ChronyStateConfig;
  #initialHandlers: readonly ChronyHandler[];
  #root: Scope;
  #provider: ChronyLibOverride | null = null;
  #guard: ChronyLibOverride | null = null;
  #onUnmocked: "bypass" | "error" = "bypass";
  /** Where the mock was made, for the error of a connection opened outside it. */
  readonly #createdAt = createdAt();
  readonly #ref: WeakRef<ChronyMock>;

  /** Use {@link setupChronyMock}. */
  constructor(state: MockChronyState | undefined, handlers: readonly ChronyHandler[]) {
    this.#config = resolveState(state);
    this.#initialHandlers = handlers;
    this.#root = new Scope(this.#config, handlers);
    this.#ref = new WeakRef(this);
    made.set(this.#ref, this.#createdAt);
    (globalThis as OverrideSlot)[UNMOCKED_HINT_SYMBOL] = unmockedHint;
  }

  /** Whether {@link listen} was called and {@link close} not since. */
  get listening(): boolean {
    return this.#provider !== null;
  }

  /** The mock session of the current scope (the running {@link run}'s, else the root one). */
  get session(): MockChronySession {
    return this.#scope().session;
  }

  /** Sockets and sessions opened through the mock in the current scope and not closed yet. */
  get openHandles(): OpenHandles {
    return this.#scope().tracked.open();
  }

  /**
   * Starts intercepting: registers the override hook of `@chrony/bindings`.
   * Idempotent. Throws if another `ChronyMock` (or anything else) already
   * holds the hook, rather than silently replacing it.
   */
  listen(options: ListenOptions = {}): void {
    if (options.onUnmocked !== undefined && options.onUnmocked !== "bypass" && options.onUnmocked !== "error") {
      throw new RangeError(`listen(): onUnmocked must be "bypass" or "error", got ${JSON.stringify(options.onUnmocked)}`);
    }
    this.#onUnmocked = options.onUnmocked ?? "bypass";
    if (this.#provider) return;
    const slot = globalThis as OverrideSlot;
    if (this.#guard && slot[LIB_OVERRIDE_SYMBOL] === this.#guard) delete slot[LIB_OVERRIDE_SYMBOL];
    this.#guard = null;
    if (slot[LIB_OVERRIDE_SYMBOL] !== undefined) {
      throw new Error("Another chrony lib override is already installed (a second setupChronyMock() listening?); close() it first");
    }
    const provider: ChronyLibOverride = () => this.#scope().tracked.lib;
    slot[LIB_OVERRIDE_SYMBOL] = provider;
    this.#provider = provider;
  }

  /**
   * Moves the current scope's simulated time on by `seconds`: the state's
   * `timeline` applies and sources poll, as `MockChronySession.advance()`
   * does. {@link resetHandlers} sets the time back to 0.
   */
  advance(seconds: number): void {
    this.#scope().session.advance(seconds);
  }

  /**
   * {@link checkAlong} on the current scope's session: runs `check` at each
   * time of `at` (seconds since the start, ascending) and collects the results.
   *
   * @example
   * ```ts
   * const verdicts = await chrony.checkAlong([0, 544, 3600], async () => (await checkHealth()).verdict);
   * ```
   */
  checkAlong<T>(at: readonly number[], check: (at: number) => Promise<T> | T): Promise<TimelineStep<T>[]> {
    return checkAlong(this.#scope().session, at, check);
  }

  /**
   * Overrides part of the current scope's state, or injects a fault, until
   * {@link resetHandlers}: `chrony.use({ tracking: { leapStatus: LeapStatus.INSERT_SECOND } })`,
   * `chrony.use(faults.noReply())`. Applied in order.
   */
  use(...handlers: ChronyHandler[]): void {
    apply(this.#scope().session, handlers);
  }

  /**
   * Back to the initial state and handlers: undoes every {@link use}, removes
   * faults, clears the call log and frees handles left open in the current
   * scope (inside {@link run}: back to the state the run started with). With arguments, those become the new initial handlers (as MSW's
   * `resetHandlers(...next)`).
   *
   * @returns the handles that were still open and have been freed.
   */
  resetHandlers(...nextHandlers: ChronyHandler[]): OpenHandles {
    if (nextHandlers.length > 0) this.#initialHandlers = nextHandlers;
    const scope = this.#scope();
    const leaked = scope.tracked.release();
    scope.session.reset(scope.config);
    scope.session.clearFaults();
    apply(scope.session, this.#initialHandlers);
    scope.session.clearCalls();
    return leaked;
  }

  /**
   * Runs `fn` in a scope of its own: a fresh mock session with the initial
   * state (or `state`, when given) and initial handlers, seen by every
   * `ChronyConnection.open()` made inside `fn` — across awaits, timers and
   * callbacks — and by {@link use} / {@link session}. When `fn` settles,
   * every socket and session still open in the scope is freed; if `fn`
   * succeeded but had left handles open, `run` rejects with
   * {@link ChronyMockLeakError}; if `fn` threw, its error is rethrown.
   */
  run<T>(fn: (session: MockChronySession) => Promise<T> | T): Promise<T>;
  run<T>(state: MockChronyState, fn: (session: MockChronySession) => Promise<T> | T): Promise<T>;
  async run<T>(
    stateOrFn: MockChronyState | ((session: MockChronySession) => Promise<T> | T),
    maybeFn?: (session: MockChronySession) => Promise<T> | T,
  ): Promise<T> {
    if (!this.#provider) throw new Error("ChronyMock.run(): call listen() first (e.g. in beforeAll)");
    const fn = typeof stateOrFn === "function" ? stateOrFn : maybeFn;
    if (typeof fn !== "function") throw new TypeError("ChronyMock.run(state?, fn): fn must be a function");
    const config = typeof stateOrFn === "function" ? this.#config : resolveState(stateOrFn);
    const scope = new Scope(config, this.#initialHandlers);
    let result: T;
    try {
      result = await this.#als.run(scope, () => fn(scope.session));
    } catch (error) {
      scope.tracked.release();
      throw error;
    }
    const leaked = scope.tracked.release();
    if (leaked.sockets !== 0 || leaked.sessions !== 0) throw new ChronyMockLeakError(leaked, "ChronyMock.run");
    return result;
  }

  /**
   * Stops intercepting: removes the override hook (only if it is this
   * mock's) and frees handles left open in the root scope. Idempotent;
   * `listen()` may be called again afterwards.
   */
  close(): void {
    const slot = globalThis as OverrideSlot;
    if (this.#provider && slot[LIB_OVERRIDE_SYMBOL] === this.#provider) {
      delete slot[LIB_OVERRIDE_SYMBOL];
      if (this.#onUnmocked === "error") {
        const where = this.#createdAt;
        this.#guard = () => {
          throw new ChronyMockError(
            `ChronyConnection.open() was called after the chrony mock created ${where} was closed (listen({ onUnmocked: "error" })): ` +
              "the connection would reach the real chronyd. Open it while the mock listens, or dispose the mock to allow that.",
          );
        };
        slot[LIB_OVERRIDE_SYMBOL] = this.#guard;
      }
    }
    this.#provider = null;
    this.#root.tracked.release();
    this.#root = new Scope(this.#config, this.#initialHandlers);
  }

  /** {@link close}, and the end of an `onUnmocked: "error"` guard; for `using chrony = setupChronyMock(...)`. */
  [Symbol.dispose](): void {
    this.close();
    made.delete(this.#ref);
    const slot = globalThis as OverrideSlot;
    if (this.#guard && slot[LIB_OVERRIDE_SYMBOL] === this.#guard) delete slot[LIB_OVERRIDE_SYMBOL];
    this.#guard = null;
  }

  #scope(): Scope {
    return this.#als.getStore() ?? this.#root;
  }
}

/**
 * A chronyd mock for code that opens its own `ChronyConnection`, with Mock
 * Service Worker's lifecycle:
 *
 * ```ts
 * const chrony = setupChronyMock(SCENARIO_NTP_SYNCED);
 * beforeAll(() => chrony.listen());
 * afterEach(() => chrony.resetHandlers());
 * afterAll(() => chrony.close());
 *
 * test("leap second", async () => {
 *   chrony.use({ tracking: { leapStatus: LeapStatus.INSERT_SECOND } });
 *   expect((await checkHealth()).verdict).toBe("warn");
 * });
 * ```
 *
 * For concurrent tests run each body in its own scope:
 * `test.concurrent("…", () => chrony.run(async () => { chrony.use(…); … }))`
 * (or `useChronyMock(chrony)` from `@chrony/test-utils/vitest`).
 *
 * @param state the initial state (default `SCENARIO_NTP_SYNCED`), a config or a preset name.
 * @param handlers initial overrides and faults, re-applied by every reset.
 */
export function setupChronyMock(state?: MockChronyState, ...handlers: ChronyHandler[]): ChronyMock {
  return new ChronyMock(state, handlers);
}

/** `at file:line` of the code that called setupChronyMock(). */
function createdAt(): string {
  const frames = (new Error().stack ?? "").split("\n").slice(1).map((line) => line.trim());
  const caller = frames.find((line) => !line.includes("/test-utils/src/") && !line.includes("/test-utils/dist/"));
  return caller ? caller.replace(/^at /, "at ") : "(unknown place)";
}
