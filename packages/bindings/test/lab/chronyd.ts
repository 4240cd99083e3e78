/**
 * A lab of two real chronyd processes on loopback for tests: a server
 * (local reference, stratum 3) and a client that syncs to it within seconds.
 * Each runs with `-x` (the system clock is never touched), its own config,
 * command socket, UDP command port, pidfile and driftfile under a temp dir,
 * in the foreground (`-d`) as a child process, so the pid we hold is
 * chronyd's. Processes are only ever signalled by that pid.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import dgram from "node:dgram";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

const SEARCH_DIRS = ["/usr/sbin", "/usr/bin", "/sbin", "/bin", "/usr/local/sbin", "/usr/local/bin"];

/** chronyd and chronyc may be outside a non-root PATH (/usr/sbin). */
function findBinary(name: string): string | null {
  const dirs = [...(process.env.PATH ?? "").split(path.delimiter).filter(Boolean), ...SEARCH_DIRS];
  for (const dir of dirs) {
    const candidate = path.join(dir, name);
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      return candidate;
    } catch {
      // Not here.
    }
  }
  return null;
}

/** Whether the chronyd and chronyc binaries are installed. */
export function chronydAvailable(): boolean {
  return findBinary("chronyd") !== null && findBinary("chronyc") !== null;
}

/** Options of {@link ChronydProcess.chronyc}. */
export interface ChronycOptions {
  /** Kill chronyc after this long (default 10 s); chronyc's own retries take about 7 s against a silent chronyd. */
  readonly timeoutMs?: number;
}

/** One chronyd of the lab. */
export interface ChronydProcess {
  readonly name: string;
  /** Its temp dir (config, pidfile, driftfile, log). */
  readonly dir: string;
  /** Its Unix command socket, inside a 0700 directory. */
  readonly socketPath: string;
  /** `127.0.0.1:<cmdport>` (it also listens on `[::1]:<cmdport>` where IPv6 works). */
  readonly udpAddress: string;
  readonly udpPort: number;
  /** chronyd's pid, `null` when stopped. */
  pid: number | null;
  /** `chronyc -n -c -h <socket or 127.0.0.1> [-p port] ...args`: its stdout; throws with stderr on failure or timeout. */
  chronyc(args: readonly string[], via?: "unix" | "udp", options?: ChronycOptions): string;
  /** SIGTERM by pid and wait for the exit (SIGKILL after 3 s). */
  stop(): Promise<void>;
  /** (Re)starts with the same config; resolves once the command socket answers (at most 5 s). */
  start(): Promise<void>;
  /** SIGSTOP by pid. */
  pause(): void;
  /** SIGCONT by pid. */
  resume(): void;
  /** chronyd's recent log lines (stderr under `-d`), for error messages. */
  log(): string;
}

/** The server and its client. */
export interface ChronydLab {
  /** `local stratum 3`, serving NTP on 127.0.0.1:{@link ntpPort}. */
  readonly server: ChronydProcess;
  /** Polls the server every 1/16 s, plus one source that never answers; time smoothing enabled; no RTC. */
  readonly client: ChronydProcess;
  /** The server's NTP port. */
  readonly ntpPort: number;
  /** The port of the client's unreachable source (127.0.0.2). */
  readonly unreachablePort: number;
  /** Stops both by pid and removes their temp dirs. */
  close(): Promise<void>;
}

/** Options of {@link startChronydLab}. */
export interface ChronydLabOptions {
  /** Wait (at most 15 s) until the client has selected the server (default true). */
  readonly waitForSync?: boolean;
  /**
   * chronyd's own `-t` timeout: each chronyd exits by itself after this many
   * seconds, a backstop for when the test process is killed without running
   * its exit handlers (default 900).
   */
  readonly lifetimeSeconds?: number;
}

const START_TIMEOUT_MS = 5_000;
const STOP_GRACE_MS = 3_000;
const KILL_WAIT_MS = 2_000;
const SYNC_TIMEOUT_MS = 15_000;
const LOG_LINES = 50;

const live = new Set<Chronyd>();
let cleanupRegistered = false;

/** Kills every chronyd still running and removes its files; safe to run more than once. */
function cleanupAll(): void {
  for (const chronyd of live) chronyd.killNow();
  live.clear();
}

/** A crashed or interrupted test must not leave chronyd running. */
function registerCleanup(): void {
  if (cleanupRegistered) return;
  cleanupRegistered = true;
  process.on("exit", cleanupAll);
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
    const onSignal = (): void => {
      cleanupAll();
      process.removeListener(signal, onSignal);
      // Keep the default behaviour (terminate) unless someone else handles the signal.
      if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
    };
    process.on(signal, onSignal);
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
  // A killed process whose parent has not reaped it yet still answers signal 0.
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3) !== "Z";
  } catch {
    // Gone in between, unless there is no procfs to ask.
    return !fs.existsSync("/proc/self/stat");
  }
}

/** Distinct free UDP ports on 127.0.0.1: all probe sockets stay bound until every port is read, so none repeats. */
async function freeUdpPorts(count: number): Promise<number[]> {
  const sockets: dgram.Socket[] = [];
  try {
    const ports: number[] = [];
    for (let i = 0; i < count; i++) {
      const socket = dgram.createSocket("udp4");
      sockets.push(socket);
      await new Promise<void>((resolve, reject) => {
        socket.once("error", reject);
        socket.bind(0, "127.0.0.1", () => resolve());
      });
      ports.push(socket.address().port);
    }
    return ports;
  } finally {
    await Promise.all(sockets.map((socket) => new Promise<void>((resolve) => socket.close(() => resolve()))));
  }
}

class Chronyd implements ChronydProcess {
  pid: number | null = null;
  readonly socketPath: string;
  readonly udpAddress: string;
  private child: ChildProcess | null = null;
  private exited: Promise<void> = Promise.resolve();
  private readonly logLines: string[] = [];
  private readonly confPath: string;
  private readonly pidPath: string;

  constructor(
    readonly name: string,
    readonly dir: string,
    readonly udpPort: number,
    configLines: readonly string[],
    private readonly chronydPath: string,
    private readonly chronycPath: string,
    private readonly lifetimeSeconds: number,
  ) {
    const runDir = path.join(dir, "run");
    // chronyd refuses a command socket in a directory others can enter.
    fs.mkdirSync(runDir, { mode: 0o700 });
    fs.chmodSync(runDir, 0o700);
    this.socketPath = path.join(runDir, "chronyd.sock");
    this.udpAddress = `127.0.0.1:${udpPort}`;
    this.confPath = path.join(dir, "chrony.conf");
    this.pidPath = path.join(dir, "chronyd.pid");
    const conf = [
      ...configLines,
      `cmdport ${udpPort}`,
      "bindcmdaddress 127.0.0.1",
      "bindcmdaddress ::1",
      `bindcmdaddress ${this.socketPath}`,
      `pidfile ${this.pidPath}`,
      `driftfile ${path.join(dir, "drift")}`,
    ];
    fs.writeFileSync(this.confPath, conf.join("\n") + "\n");
  }

  log(): string {
    return this.logLines.join("\n");
  }

  chronyc(args: readonly string[], via: "unix" | "udp" = "unix", options: ChronycOptions = {}): string {
    const target = via === "unix" ? ["-h", this.socketPath] : ["-h", "127.0.0.1", "-p", String(this.udpPort)];
    const result = spawnSync(this.chronycPath, ["-n", "-c", ...target, ...args], {
      encoding: "utf8",
      timeout: options.timeoutMs ?? 10_000,
      stdio: ["ignore", "pipe", "pipe"],
    });
    const command = `chronyc ${args.join(" ")} (${this.name}, ${via})`;
    if (result.error) {
      const code = (result.error as NodeJS.ErrnoException).code;
      throw new Error(code === "ETIMEDOUT" ? `${command} timed out` : `${command} failed: ${result.error.message}`);
    }
    if (result.status !== 0) {
      throw new Error(`${command} exited with ${result.status ?? result.signal}: ${result.stderr.trim() || result.stdout.trim()}`);
    }
    return result.stdout;
  }

  async start(): Promise<void> {
    if (this.pid !== null) return;
    const child = spawn(
      this.chronydPath,
      // -u root: the default _chrony user could not reach the temp dir after dropping privileges.
      ["-d", "-x", "-u", "root", "-t", String(this.lifetimeSeconds), "-f", this.confPath],
      { stdio: ["ignore", "pipe", "pipe"] },
    );
    if (child.pid === undefined) {
      const error = await new Promise<Error>((resolve) => child.once("error", resolve));
      throw new Error(`${this.name}: cannot spawn ${this.chronydPath}: ${error.message}`);
    }
    this.child = child;
    this.pid = child.pid;
    live.add(this);
    const collect = (chunk: Buffer): void => {
      for (const line of chunk.toString("utf8").split("\n")) if (line.trim()) this.logLines.push(line);
      if (this.logLines.length > LOG_LINES) this.logLines.splice(0, this.logLines.length - LOG_LINES);
    };
    child.stdout!.on("data", collect);
    child.stderr!.on("data", collect);
    this.exited = new Promise((resolve) => {
      child.once("exit", () => {
        if (this.child === child) {
          this.child = null;
          this.pid = null;
          live.delete(this);
        }
        resolve();
      });
    });
    // A lab left open must not keep the test process alive; the exit handler kills it.
    child.unref();
    for (const stream of [child.stdout, child.stderr]) (stream as unknown as { unref?: () => void }).unref?.();

    const deadline = Date.now() + START_TIMEOUT_MS;
    let lastError = "";
    while (Date.now() < deadline) {
      if (this.child !== child) {
        throw new Error(`${this.name}: chronyd exited during start-up:\n${this.log()}`);
      }
      try {
        this.chronyc(["tracking"], "unix", { timeoutMs: 1_000 });
        return;
      } catch (error) {
        lastError = (error as Error).message;
      }
      await sleep(100);
    }
    await this.stop();
    throw new Error(`${this.name}: command socket did not answer within ${START_TIMEOUT_MS} ms (${lastError}):\n${this.log()}`);
  }

  async stop(): Promise<void> {
    const pid = this.pid;
    if (pid === null) return;
    this.signal("SIGTERM");
    // A paused chronyd handles SIGTERM only once continued.
    this.signal("SIGCONT");
    if (await this.waitExit(STOP_GRACE_MS)) return;
    this.signal("SIGKILL");
    if (await this.waitExit(KILL_WAIT_MS)) return;
    throw new Error(`${this.name}: chronyd (pid ${pid}) did not exit after SIGKILL`);
  }

  pause(): void {
    this.requirePid("pause");
    this.signal("SIGSTOP");
  }

  resume(): void {
    this.requirePid("resume");
    this.signal("SIGCONT");
  }

  /** Synchronous SIGKILL for the exit handler (no event loop left to wait in). */
  killNow(): void {
    if (this.pid !== null) {
      try {
        process.kill(this.pid, "SIGKILL");
      } catch {
        // Already gone.
      }
    }
    this.pid = null;
    fs.rmSync(this.dir, { recursive: true, force: true });
  }

  private requirePid(action: string): number {
    if (this.pid === null) throw new Error(`${this.name}: cannot ${action}, chronyd is not running`);
    return this.pid;
  }

  private signal(signal: NodeJS.Signals): void {
    if (this.pid === null) return;
    try {
      process.kill(this.pid, signal);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "ESRCH") throw error;
    }
  }

  private async waitExit(ms: number): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(false), ms);
    });
    try {
      return await Promise.race([this.exited.then(() => true), timeout]);
    } finally {
      clearTimeout(timer);
    }
  }
}

/** The client's `chronyc -c sources` shows the server selected (`^,*,127.0.0.1,...`). */
function serverSelected(client: ChronydProcess): { selected: boolean; output: string } {
  let output: string;
  try {
    output = client.chronyc(["sources"], "unix", { timeoutMs: 2_000 });
  } catch (error) {
    return { selected: false, output: (error as Error).message };
  }
  const selected = output.split("\n").some((line) => {
    const [mode, state, address] = line.split(",");
    return mode === "^" && state === "*" && address === "127.0.0.1";
  });
  return { selected, output };
}

/** Starts a server and a client chronyd on loopback; see {@link ChronydLab}. */
export async function startChronydLab(options: ChronydLabOptions = {}): Promise<ChronydLab> {
  const chronydPath = findBinary("chronyd");
  const chronycPath = findBinary("chronyc");
  if (!chronydPath || !chronycPath) throw new Error("chronyd lab: chronyd and chronyc must be installed");
  registerCleanup();
  const lifetime = options.lifetimeSeconds ?? 900;

  const [ntpPort, unreachablePort, serverCmdPort, clientCmdPort] = (await freeUdpPorts(4)) as [number, number, number, number];
  const made: Chronyd[] = [];
  const create = (name: string, cmdPort: number, config: readonly string[]): Chronyd => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), `chronyd-lab-${name}-`));
    try {
      const chronyd = new Chronyd(name, dir, cmdPort, config, chronydPath, chronycPath, lifetime);
      made.push(chronyd);
      return chronyd;
    } catch (error) {
      fs.rmSync(dir, { recursive: true, force: true });
      throw error;
    }
  };
  const closeAll = async (): Promise<void> => {
    const errors: unknown[] = [];
    for (const chronyd of made) {
      try {
        await chronyd.stop();
      } catch (error) {
        errors.push(error);
        chronyd.killNow();
      }
      fs.rmSync(chronyd.dir, { recursive: true, force: true });
    }
    if (errors.length > 0) throw new AggregateError(errors, "chronyd lab: stopping failed");
  };

  try {
    const server = create("server", serverCmdPort, [
      "local stratum 3",
      "allow 127.0.0.1",
      "bindaddress 127.0.0.1",
      `port ${ntpPort}`,
    ]);
    const client = create("client", clientCmdPort, [
      `server 127.0.0.1 port ${ntpPort} minpoll -4 maxpoll -4 iburst`,
      // Nothing listens there: a source that stays unreachable.
      `server 127.0.0.2 port ${unreachablePort} minpoll -4 maxpoll -4`,
      "port 0",
      // Enables the smoothing report.
      "smoothtime 400 0.001",
    ]);
    await server.start();
    await client.start();

    if (options.waitForSync ?? true) {
      const deadline = Date.now() + SYNC_TIMEOUT_MS;
      let last = serverSelected(client);
      while (!last.selected && Date.now() < deadline) {
        await sleep(250);
        last = serverSelected(client);
      }
      if (!last.selected) {
        throw new Error(
          `chronyd lab: the client did not select the server within ${SYNC_TIMEOUT_MS} ms.\n` +
            `chronyc sources:\n${last.output}\nclient log:\n${client.log()}\nserver log:\n${server.log()}`,
        );
      }
    }

    return { server, client, ntpPort, unreachablePort, close: closeAll };
  } catch (error) {
    await closeAll().catch(() => undefined);
    throw error;
  }
}

/** Whether a pid is alive (for tests checking that the lab left nothing running). */
export function pidAlive(pid: number): boolean {
  return isAlive(pid);
}
