/**
 * The fake chronyd on a real UDP socket: `startMockChronyd(state)` binds a
 * loopback port and answers chronyd's command protocol from the state, which
 * tests can change while it serves.
 */
import { createSocket, type RemoteInfo, type Socket } from "node:dgram";
import { isIP } from "node:net";
import {
  ActiveFault,
  MAX_ELAPSED,
  mergeConfig,
  stateAt,
  validateConfig,
  validateFault,
  type ChronyStateConfig,
  type ConfigUpdate,
  type Fault,
  type FaultHandle,
  type ServerState,
} from "@chrony/mock-session";
import { loadStateFile, scenarioFile } from "./cli-args.js";
import { handleRequest, type HandlerOptions } from "./handler.js";

/** Options of {@link startMockChronyd}. */
export interface MockChronydOptions extends HandlerOptions {
  /** Address to bind. Default `"127.0.0.1"`; `"::1"` for IPv6. Anything not loopback needs {@link allowNonLoopback}. */
  readonly host?: string;
  /** UDP port. Default 0: an ephemeral port (read it from {@link MockChronyd.port}). */
  readonly port?: number;
  /** Allow binding a non-loopback address (the fake chronyd then answers the network). Default `false`. */
  readonly allowNonLoopback?: boolean;
  /** Reply faults in force from the start (`faults.*`; call faults are the in-process mock's and are rejected). */
  readonly faults?: readonly Fault[];
  /**
   * What moves simulated time. `"manual"` (default): only {@link MockChronyd.advance}.
   * `"real"`: the wall clock too — each request is answered, and
   * {@link MockChronyd.elapsed} read, at the real seconds since the start (or
   * the last {@link MockChronyd.reset}), for clients that poll the server
   * (chronyc, an exporter) and expect time to pass between polls. No timer
   * runs; `advance()` still jumps ahead on top of the real time.
   */
  readonly clock?: "manual" | "real";
}

/** Counters of what the server did, for tests and benchmarks. */
export interface MockChronydStats {
  /** Datagrams received. */
  readonly received: number;
  /** Replies sent. */
  readonly replied: number;
  /** Datagrams left unanswered (invalid, or a drop fault). */
  readonly dropped: number;
}

/** A running fake chronyd. */
export interface MockChronyd extends AsyncDisposable {
  /** `"host:port"` as chronyc's `-h host -p port` or libchrony's `chrony_open_socket()` take it (`"[::1]:port"` for IPv6). */
  readonly address: string;
  /** The bound address. */
  readonly host: string;
  /** The bound UDP port. */
  readonly port: number;
  /** The config being served. */
  readonly config: ChronyStateConfig;
  /** Counters since the start. */
  readonly stats: MockChronydStats;
  /** Changes the served state: objects merge key by key, arrays and `null` replace. Throws `ChronyConfigError` on an invalid result (and keeps the old state). */
  update(change: ConfigUpdate): void;
  /** Replaces the served state and sets simulated time back to 0. Throws `ChronyConfigError` on an invalid config (and keeps the old state). */
  reset(config?: ChronyStateConfig): void;
  /**
   * Simulated seconds since the start or {@link reset}: the sum of every
   * {@link advance}, plus with `clock: "real"` the real seconds elapsed (at
   * most 2^32 − 1 s in all, the simulation's range).
   */
  readonly elapsed: number;
  /**
   * Moves simulated time on by `seconds`, exactly as `@chrony/mock-session`'s
   * `MockChronySession.advance()` does (the same code): sources poll, the
   * config's `timeline` applies, reachability, selection and root dispersion
   * move as chronyd's. No real timer; with `clock: "real"` the jump adds to
   * the real time. Throws `RangeError` for a negative or non-finite time, or
   * a sum of advances beyond 2^32 − 1 s (and keeps the old state).
   */
  advance(seconds: number): void;
  /**
   * Puts a reply fault in force until its handle is disposed (`handle.dispose()`,
   * or `using handle = server.inject(…)`); `handle.fired` counts the requests it
   * affected. Throws `ChronyConfigError` on an invalid fault or a call fault.
   */
  inject(fault: Fault): FaultHandle;
  /** Removes every injected fault. */
  clearFaults(): void;
  /** Stops serving; replies still delayed by faults are discarded. Idempotent. */
  close(): Promise<void>;
}

function isLoopback(host: string): boolean {
  return host === "::1" || (isIP(host) === 4 && host.startsWith("127."));
}

/** The validated snapshot of a config (the caller's object is not read again) and the state it serves `elapsed` simulated seconds after the start. */
function prepare(input: ChronyStateConfig, elapsed = 0): { config: ChronyStateConfig; served: ServerState } {
  const config = validateConfig(input);
  return { config, served: stateAt(config, elapsed) };
}

/**
 * Starts a fake chronyd serving `state` on a loopback UDP port: a state
 * config, the name of a preset of `@chrony/scenarios` (`"gps-refclock"`,
 * when that package is installed), or the path of a JSON state file.
 *
 * @example
 * ```ts
 * await using server = await startMockChronyd({ sources: [{ address: "192.0.2.1" }] });
 * // chronyc -h 127.0.0.1 -p ${server.port} tracking
 * ```
 */
export async function startMockChronyd(state: ChronyStateConfig | string = {}, options: MockChronydOptions = {}): Promise<MockChronyd> {
  // A preset's name ("gps-refclock"), as the other helpers take it: its published JSON, read before any socket is made.
  if (typeof state === "string") state = loadStateFile(scenarioFile(state, process.cwd(), "startMockChronyd:")).state;
  const host = options.host ?? "127.0.0.1";
  const family = isIP(host);
  if (family === 0) throw new TypeError(`host: expected a numeric IPv4 or IPv6 address, got ${JSON.stringify(host)}`);
  if (!isLoopback(host) && !options.allowNonLoopback) {
    throw new TypeError(`host: ${host} is not a loopback address; pass allowNonLoopback: true to answer the network`);
  }
  const port = options.port ?? 0;
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new TypeError(`port: expected an integer from 0 to 65535, got ${port}`);
  // Only an absent clock is the default: null is as wrong as any other value.
  const clock = options.clock === undefined ? "manual" : options.clock;
  if (clock !== "manual" && clock !== "real") {
    throw new TypeError(`clock: expected "manual" or "real", got ${typeof clock === "string" ? JSON.stringify(clock) : String(clock)}`);
  }

  let { config, served } = prepare(state);
  /** The simulated time `served` was computed at. */
  let servedAt = 0;
  /** Seconds of advance() since the start or reset(). */
  let advanced = 0;
  /** performance.now() at the start or reset(): monotonic, so a wall-clock step (NTP, a VM resuming) cannot move simulated time back. */
  let origin = performance.now();
  /**
   * Simulated seconds now, with `offset` seconds of advance(). Manual and
   * real time are one computation (the real part is 0 in manual mode);
   * clamped because real time alone can carry advances past the
   * simulation's range.
   */
  const now = (offset = advanced): number => Math.min(offset + (clock === "real" ? (performance.now() - origin) / 1000 : 0), MAX_ELAPSED);
  /** The state to answer a request from: in real mode, moved to the current time (in manual mode, time has not moved since `served`). */
  const current = (): ServerState => {
    const t = now();
    if (t !== servedAt) {
      // A throw here would escape the socket's listener and end the process. advance() has checked
      // every time up to its own, but real seconds can carry it past a limit of the simulation's
      // (its counters' range): the server then keeps the last state it computed.
      try {
        served = stateAt(config, t);
        servedAt = t;
      } catch {
        // Keep serving `served`.
      }
    }
    return served;
  };
  let faults: ActiveFault[] = (options.faults ?? []).map((f, i) => new ActiveFault(validateFault(f, `faults[${i}]`, "mock-server")));
  const handlerOptions: HandlerOptions = {
    udpRestrictions: options.udpRestrictions ?? false,
    openCommands: options.openCommands,
    acceptControlCommands: options.acceptControlCommands ?? false,
  };
  const stats = { received: 0, replied: 0, dropped: 0 };
  const timers = new Set<ReturnType<typeof setTimeout>>();
  let closed = false;

  const socket: Socket = createSocket({ type: family === 6 ? "udp6" : "udp4", ipv6Only: family === 6 });
  // Send errors (e.g. the client went away) must never stop the server.
  socket.on("error", () => {});

  const send = (reply: Uint8Array, remote: RemoteInfo): void => {
    if (closed) return;
    stats.replied++;
    socket.send(reply, remote.port, remote.address, () => {});
  };

  socket.on("message", (message: Buffer, remote: RemoteInfo) => {
    stats.received++;
    const outcome = handleRequest(current(), message, handlerOptions, faults);
    if (outcome.kind === "drop") {
      stats.dropped++;
      return;
    }
    if (outcome.delayMs > 0) {
      const timer = setTimeout(() => {
        timers.delete(timer);
        send(outcome.reply, remote);
      }, outcome.delayMs);
      timers.add(timer);
    } else {
      send(outcome.reply, remote);
    }
  });

  await new Promise<void>((resolve, reject) => {
    socket.once("error", (error) => {
      // A failed bind (port in use) must not leave the socket open.
      socket.close();
      reject(error);
    });
    socket.bind(port, host, () => {
      socket.removeAllListeners("error");
      socket.on("error", () => {});
      resolve();
    });
  });
  const bound = socket.address();

  const close = async (): Promise<void> => {
    if (closed) return;
    closed = true;
    for (const timer of timers) clearTimeout(timer);
    timers.clear();
    await new Promise<void>((resolve) => socket.close(() => resolve()));
  };

  return {
    address: family === 6 ? `[${bound.address}]:${bound.port}` : `${bound.address}:${bound.port}`,
    host: bound.address,
    port: bound.port,
    get config() {
      return config;
    },
    get stats() {
      return { ...stats };
    },
    get elapsed() {
      return now();
    },
    update(change) {
      // Nothing is assigned until the whole change is valid: a failed update keeps the old state.
      const t = now();
      ({ config, served } = prepare(mergeConfig(config, change), t));
      servedAt = t;
    },
    reset(next = {}) {
      ({ config, served } = prepare(next));
      servedAt = 0;
      advanced = 0;
      origin = performance.now();
    },
    advance(seconds) {
      if (typeof seconds !== "number" || !(seconds >= 0) || !Number.isFinite(seconds)) {
        throw new RangeError(`advance(seconds): expected a finite number of seconds ≥ 0, got ${String(seconds)}`);
      }
      const next = advanced + seconds;
      if (next > MAX_ELAPSED) throw new RangeError(`advance(seconds): simulated time would pass ${MAX_ELAPSED} s, got ${next}`);
      // Computed here rather than at the next request, so that a time the simulation refuses throws to the caller.
      const t = now(next);
      served = stateAt(config, t);
      servedAt = t;
      advanced = next;
    },
    inject(fault) {
      const active = new ActiveFault(validateFault(fault, "fault", "mock-server"));
      faults = [...faults, active];
      return active.handle(() => {
        faults = faults.filter((f) => f !== active);
      });
    },
    clearFaults() {
      faults = [];
    },
    close,
    [Symbol.asyncDispose]: close,
  };
}
