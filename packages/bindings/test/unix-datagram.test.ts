/**
 * The native Unix datagram transport and the shared poller, against sockets
 * made here with the same libc bindings and, when installed, a real chronyd
 * started with its own configuration in a temporary directory.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { chownSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { PROTOCOL, REPORTS } from "@chrony/fields";
import { Errno, HEADER, Message, formatRequest, isResponseValid } from "@chrony/protocol";
import { AF_UNIX, MSG_DONTWAIT, SOCKADDR_UN_SIZE, SOCK_CLOEXEC, SOCK_DGRAM, SOCK_NONBLOCK, loadLibc, sockaddrUn } from "../src/native/libc.js";
import { SharedPoller, sharedPoller } from "../src/native/poller.js";
import { CLIENT_DIRECTORY_PREFIX, UnixDatagramTransport } from "../src/native/unix-datagram.js";

const libc = await loadLibc();
const poller = await sharedPoller();
const transport = await UnixDatagramTransport.create();

const CHRONYD = "/usr/sbin/chronyd";
const isRoot = process.geteuid?.() === 0;
// chronyd must be started as root; -u root keeps it from switching to _chrony, which could not reach the test directories.
const hasChronyd = existsSync(CHRONYD) && isRoot;
if (!hasChronyd) {
  const why = isRoot ? `${CHRONYD} is missing (Debian: apt install chrony)` : "they must run as root";
  console.warn("\n" + "!".repeat(78) + `\n  SKIPPED: the real-chronyd tests of unix-datagram.test.ts: ${why}\n` + "!".repeat(78) + "\n");
}

const scratch: string[] = [];
const serverFds: number[] = [];

/** A 0700 directory removed after the test. */
function privateDirectory(): string {
  const directory = mkdtempSync(join(tmpdir(), "chrony-udg-"));
  scratch.push(directory);
  return directory;
}

/** A bound, non-blocking AF_UNIX datagram socket that plays chronyd. */
function bindServer(path: string): number {
  const fd = libc.socket(AF_UNIX, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  expect(fd).toBeGreaterThanOrEqual(0);
  expect(libc.bind(fd, sockaddrUn(path)!, SOCKADDR_UN_SIZE), `bind ${path}: errno ${libc.errno()}`).toBe(0);
  serverFds.push(fd);
  return fd;
}

/** Sends from the server socket to a client; a connected client accepts datagrams only from its peer. */
function reply(server: number, clientPath: string, bytes: Uint8Array): void {
  expect(libc.connect(server, sockaddrUn(clientPath)!, SOCKADDR_UN_SIZE), `connect: errno ${libc.errno()}`).toBe(0);
  expect(libc.send(server, bytes, bytes.byteLength, MSG_DONTWAIT), `send: errno ${libc.errno()}`).toBe(bytes.byteLength);
  // Unconnected again (AF_UNSPEC), as chronyd's socket is: a connected one refuses other clients with EPERM.
  expect(libc.connect(server, { sun_family: 0, sun_path: "" }, SOCKADDR_UN_SIZE)).toBe(0);
}

function openFds(): number {
  return readdirSync("/proc/self/fd").length;
}

function mode(path: string): number {
  return lstatSync(path).mode & 0o777;
}

/** A pid that no longer runs: a child that has already exited and been reaped. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ["-e", ""]);
  return child.pid!;
}

/** `chrony-ts.<pid>.<12>/<16>/sock` as a crashed process leaves it: a socket file nobody holds. */
function leaveClientDirectory(directory: string, pid: number, tag: string, holdSocket = false): string {
  const dir1 = join(directory, `${CLIENT_DIRECTORY_PREFIX}.${pid}.${tag.padEnd(12, "x").slice(0, 12)}`);
  mkdirSync(join(dir1, "abcdefghijklmnop"), { recursive: true, mode: 0o711 });
  const fd = bindServer(join(dir1, "abcdefghijklmnop", "sock"));
  if (!holdSocket) {
    libc.close(fd);
    serverFds.splice(serverFds.indexOf(fd), 1);
  }
  return dir1;
}

afterEach(() => {
  transport.closeAll();
  for (const fd of serverFds.splice(0)) libc.close(fd);
  for (const directory of scratch.splice(0)) rmSync(directory, { recursive: true, force: true });
});

describe("UnixDatagramTransport against a socket made in the test", () => {
  it("opens a client socket next to the server's, exchanges datagrams, and closes leaving nothing behind", async () => {
    const directory = privateDirectory();
    const serverPath = join(directory, "chronyd.sock");
    const server = bindServer(serverPath);
    const fdsBefore = openFds();

    const handle = transport.open(serverPath);
    expect(handle).toBeGreaterThanOrEqual(0);
    const clientPath = transport.socketPath(handle)!;
    expect(clientPath).toMatch(new RegExp(`^${directory}/chrony-ts\\.${process.pid}\\.[A-Za-z0-9]{12}/[A-Za-z0-9]{16}/sock$`));
    // socket.c's permissions: chronyd under another user can reach the socket but not list the directories.
    expect(lstatSync(clientPath).isSocket()).toBe(true);
    expect(mode(clientPath)).toBe(0o666);
    expect(mode(join(clientPath, ".."))).toBe(0o711);
    expect(mode(join(clientPath, "../.."))).toBe(0o711);
    expect(lstatSync(join(clientPath, "../..")).uid).toBe(process.geteuid!());

    expect(transport.receive(handle, new Uint8Array(16))).toBe(-Errno.EAGAIN);
    expect(transport.send(handle, new TextEncoder().encode("ping"))).toBe(0);
    const request = new Uint8Array(16);
    expect(libc.recv(server, request, 16, MSG_DONTWAIT)).toBe(4);
    expect(new TextDecoder().decode(request.subarray(0, 4))).toBe("ping");

    reply(server, clientPath, new TextEncoder().encode("pong!"));
    expect(await transport.waitReadable(handle, 1000)).toBe(true);
    const buffer = new Uint8Array(64);
    expect(transport.receive(handle, buffer)).toBe(5);
    expect(new TextDecoder().decode(buffer.subarray(0, 5))).toBe("pong!");
    expect(transport.receive(handle, buffer)).toBe(-Errno.EAGAIN);

    transport.close(handle);
    expect(readdirSync(directory)).toEqual(["chronyd.sock"]);
    expect(openFds()).toBe(fdsBefore);
    expect(transport.socketPath(handle)).toBeUndefined();
    // Closed or unknown handles: ignored by close(), EBADF elsewhere.
    transport.close(handle);
    expect(transport.send(handle, new Uint8Array(1))).toBe(Errno.EBADF);
    expect(transport.receive(handle, buffer)).toBe(-Errno.EBADF);
    expect(await transport.waitReadable(handle, 1000)).toBe(true);
  });

  it("truncates a datagram to the buffer, as recv() does", async () => {
    const directory = privateDirectory();
    const server = bindServer(join(directory, "chronyd.sock"));
    const handle = transport.open(join(directory, "chronyd.sock"));
    reply(server, transport.socketPath(handle)!, new Uint8Array([1, 2, 3, 4, 5, 6]));
    expect(await transport.waitReadable(handle, 1000)).toBe(true);
    const buffer = new Uint8Array(8);
    expect(transport.receive(handle, buffer.subarray(2, 5))).toBe(3);
    expect([...buffer]).toEqual([0, 0, 1, 2, 3, 0, 0, 0]);
  });

  it("fails with ENOENT, ECONNREFUSED or EINVAL and leaves no file and no fd", () => {
    const directory = privateDirectory();
    const fdsBefore = openFds();
    expect(transport.open(join(directory, "missing.sock"))).toBe(-Errno.ENOENT);
    expect(transport.open("/nonexistent-directory/chronyd.sock")).toBe(-Errno.ENOENT);
    // A socket file with no socket bound to it: chronyd crashed without removing it.
    libc.close(bindServer(join(directory, "stale.sock")));
    serverFds.pop();
    expect(transport.open(join(directory, "stale.sock"))).toBe(-Errno.ECONNREFUSED);
    // A regular file is not a socket.
    writeFileSync(join(directory, "file"), "");
    expect(transport.open(join(directory, "file"))).toBe(-Errno.ECONNREFUSED);
    for (const address of ["", "chronyd.sock", "./chronyd.sock", "127.0.0.1", "127.0.0.1:323", "[::1]:323", "/\0x", `/${"x".repeat(108)}`]) {
      expect(transport.open(address), JSON.stringify(address)).toBe(-Errno.EINVAL);
    }
    expect(readdirSync(directory).sort()).toEqual(["file", "stale.sock"]);
    expect(openFds()).toBe(fdsBefore);
  });

  it("fails with EINVAL when the client socket's path would not fit in sun_path, leaving nothing", () => {
    // The server path fits in 108 bytes; with /chrony-ts.<pid>.<12>/<16>/sock added, it does not.
    const directory = privateDirectory();
    const deep = join(directory, "d".repeat(100 - directory.length - "/chronyd.sock".length));
    mkdirSync(deep);
    const serverPath = join(deep, "chronyd.sock");
    expect(Buffer.byteLength(serverPath)).toBeLessThan(108);
    bindServer(serverPath);
    const fdsBefore = openFds();
    expect(transport.open(serverPath)).toBe(-Errno.EINVAL);
    expect(readdirSync(deep)).toEqual(["chronyd.sock"]);
    expect(openFds()).toBe(fdsBefore);
  });

  it("puts the client directories in clientDirectory when given, and fails cleanly when it is missing", async () => {
    const serverDirectory = privateDirectory();
    const clients = privateDirectory();
    const serverPath = join(serverDirectory, "chronyd.sock");
    const server = bindServer(serverPath);
    const elsewhere = await UnixDatagramTransport.create({ clientDirectory: clients });
    const handle = elsewhere.open(serverPath);
    expect(handle).toBeGreaterThanOrEqual(0);
    expect(elsewhere.socketPath(handle)!.startsWith(`${clients}/chrony-ts.`)).toBe(true);
    expect(readdirSync(serverDirectory)).toEqual(["chronyd.sock"]);
    reply(server, elsewhere.socketPath(handle)!, new Uint8Array(3));
    expect(await elsewhere.waitReadable(handle, 1000)).toBe(true);
    expect(elsewhere.receive(handle, new Uint8Array(8))).toBe(3);
    elsewhere.close(handle);
    expect(readdirSync(clients)).toEqual([]);

    const fdsBefore = openFds();
    const missing = await UnixDatagramTransport.create({ clientDirectory: join(clients, "missing") });
    expect(missing.open(serverPath)).toBe(-Errno.ENOENT);
    expect(readdirSync(clients)).toEqual([]);
    expect(openFds()).toBe(fdsBefore);
  });

  it("removes stale directories of dead pids of this user, and nothing else", () => {
    const directory = privateDirectory();
    const serverPath = join(directory, "chronyd.sock");
    bindServer(serverPath);
    const dead = deadPid();
    expect(() => process.kill(dead, 0)).toThrow(/ESRCH/);

    const stale = leaveClientDirectory(directory, dead, "stale");
    const emptyStale = join(directory, `${CLIENT_DIRECTORY_PREFIX}.${dead}.emptyemptyem`);
    mkdirSync(emptyStale, { mode: 0o711 });
    const ours = leaveClientDirectory(directory, process.pid, "ours");
    const liveOther = leaveClientDirectory(directory, 1, "init");
    // Another pid namespace (a container sharing the directory) can make a live pid look dead: its socket is still bound.
    const held = leaveClientDirectory(directory, dead, "held", true);
    // Another user's: made here as root; without root, one more of our own that is stale.
    const otherUser = leaveClientDirectory(directory, dead, "nobody");
    if (isRoot) chownSync(otherUser, 65534, 65534);
    const libchrony = join(directory, "libchrony.abcdefghijkl");
    mkdirSync(join(libchrony, "abcdefghijklmnop"), { recursive: true });
    // A symlink named like a stale directory is neither followed nor removed.
    const target = privateDirectory();
    mkdirSync(join(target, "abcdefghijklmnop"));
    writeFileSync(join(target, "abcdefghijklmnop", "sock"), "");
    const link = join(directory, `${CLIENT_DIRECTORY_PREFIX}.${dead}.symlinksymli`);
    symlinkSync(target, link);
    const notOurs = [ours, liveOther, held, ...(isRoot ? [otherUser] : []), libchrony, link].map((path) => path.slice(directory.length + 1));

    const handle = transport.open(serverPath);
    expect(handle).toBeGreaterThanOrEqual(0);
    const entries = readdirSync(directory);
    expect(entries).not.toContain(stale.slice(directory.length + 1));
    expect(entries).not.toContain(emptyStale.slice(directory.length + 1));
    for (const entry of notOurs) expect(entries).toContain(entry);
    expect(existsSync(join(held, "abcdefghijklmnop", "sock"))).toBe(true);
    expect(existsSync(join(otherUser, "abcdefghijklmnop", "sock"))).toBe(isRoot);
    expect(readdirSync(join(target, "abcdefghijklmnop"))).toEqual(["sock"]);
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    transport.close(handle);
  });

  it("removes the files of open sockets from its process exit handler, registered only while sockets are open", () => {
    const directory = privateDirectory();
    const serverPath = join(directory, "chronyd.sock");
    bindServer(serverPath);
    const before = process.listeners("exit");
    const first = transport.open(serverPath);
    const second = transport.open(serverPath);
    const added = process.listeners("exit").filter((listener) => !before.includes(listener));
    expect(added).toHaveLength(1);
    expect(readdirSync(directory)).toHaveLength(3);
    (added[0] as () => void)();
    expect(readdirSync(directory)).toEqual(["chronyd.sock"]);
    transport.close(first);
    transport.close(second);
    expect(process.listeners("exit")).toEqual(before);
  });

  it("returns EAGAIN instead of blocking when the peer's queue is full", () => {
    const directory = privateDirectory();
    bindServer(join(directory, "chronyd.sock"));
    const handle = transport.open(join(directory, "chronyd.sock"));
    const datagram = new Uint8Array(512);
    const started = performance.now();
    let result = 0;
    let sent = 0;
    // net.unix.max_dgram_qlen (10 by default) bounds the queue of a server that never reads.
    while (sent < 100_000 && (result = transport.send(handle, datagram)) === 0) sent++;
    expect(result).toBe(Errno.EAGAIN);
    expect(sent).toBeGreaterThan(0);
    expect(performance.now() - started).toBeLessThan(2000);
  });

  it("passes ECONNREFUSED through once the server's socket is gone", () => {
    const directory = privateDirectory();
    const server = bindServer(join(directory, "chronyd.sock"));
    const handle = transport.open(join(directory, "chronyd.sock"));
    expect(transport.send(handle, new Uint8Array(4))).toBe(0);
    libc.close(server);
    serverFds.splice(serverFds.indexOf(server), 1);
    rmSync(join(directory, "chronyd.sock"));
    expect(transport.send(handle, new Uint8Array(4))).toBe(Errno.ECONNREFUSED);
  });
});

describe("SharedPoller", () => {
  /** `count` client sockets to a server that never answers. */
  function silentSockets(count: number): { server: number; handles: number[] } {
    const directory = privateDirectory();
    const server = bindServer(join(directory, "chronyd.sock"));
    const handles = Array.from({ length: count }, () => transport.open(join(directory, "chronyd.sock")));
    for (const handle of handles) expect(handle).toBeGreaterThanOrEqual(0);
    return { server, handles };
  }

  async function idle(): Promise<void> {
    for (let i = 0; i < 50 && poller.stats().polling; i++) await new Promise((resolve) => setTimeout(resolve, 10));
    expect(poller.stats()).toMatchObject({ polling: false, waiters: 0 });
  }

  it("resolves at once without a thread round when the reply is already there", async () => {
    const directory = privateDirectory();
    const server = bindServer(join(directory, "chronyd.sock"));
    const handle = transport.open(join(directory, "chronyd.sock"));
    reply(server, transport.socketPath(handle)!, new Uint8Array(1));
    const rounds = poller.stats().rounds;
    expect(await transport.waitReadable(handle, 1000)).toBe(true);
    expect(await transport.waitReadable(handle, 0)).toBe(true);
    expect(poller.stats().rounds).toBe(rounds);
    transport.receive(handle, new Uint8Array(4));
    expect(await transport.waitReadable(handle, 0)).toBe(false);
    expect(poller.stats().rounds).toBe(rounds);
  });

  it("keeps the libuv thread pool free: 50 silent waiters time out together while readFile completes", async () => {
    const { handles } = silentSockets(50);
    const file = join(privateDirectory(), "small");
    writeFileSync(file, "x".repeat(100));
    const timeoutMs = 1000;
    const started = performance.now();
    const waits = handles.map((handle) => Promise.resolve(transport.waitReadable(handle, timeoutMs)).then((ready) => ({ ready, at: performance.now() - started })));
    // Let the round start on its thread before the thread pool is put to use.
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(poller.stats()).toMatchObject({ polling: true, waiters: 50, fds: 50 });
    const readStarted = performance.now();
    for (let i = 0; i < 8; i++) await readFile(file);
    const readMs = performance.now() - readStarted;
    const results = await Promise.all(waits);
    const total = performance.now() - started;
    console.log(`50 silent waiters (${timeoutMs} ms): all resolved after ${total.toFixed(1)} ms; 8 sequential readFile meanwhile: ${readMs.toFixed(1)} ms`);
    expect(readMs).toBeLessThan(200);
    for (const { ready, at } of results) {
      expect(ready).toBe(false);
      expect(at).toBeGreaterThanOrEqual(timeoutMs - 5);
      expect(at).toBeLessThan(timeoutMs + 500);
    }
    await idle();
  });

  it("resolves 300 concurrent waiters: replied sockets at once, silent ones at their timeout, with few poll() rounds", async () => {
    const { server, handles } = silentSockets(100);
    const roundsBefore = poller.stats().rounds;
    const started = performance.now();
    // Three waiters per socket, with different deadlines.
    const waits = handles.flatMap((handle, i) =>
      [400, 600, 800].map((timeoutMs) => Promise.resolve(transport.waitReadable(handle, timeoutMs)).then((ready) => ({ i, timeoutMs, ready, at: performance.now() - started }))),
    );
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(poller.stats()).toMatchObject({ polling: true, waiters: 300, fds: 100 });
    for (let i = 0; i < handles.length; i += 2) reply(server, transport.socketPath(handles[i]!)!, new Uint8Array([i]));
    const results = await Promise.all(waits);
    expect(results).toHaveLength(300);
    for (const { i, timeoutMs, ready, at } of results) {
      if (i % 2 === 0) {
        expect(ready).toBe(true);
        expect(at).toBeLessThan(400);
      } else {
        expect(ready).toBe(false);
        expect(at).toBeGreaterThanOrEqual(timeoutMs - 5);
        expect(at).toBeLessThan(timeoutMs + 400);
      }
    }
    const rounds = poller.stats().rounds - roundsBefore;
    console.log(`300 waiters on 100 sockets: ${rounds} poll() rounds on the thread pool, done after ${(performance.now() - started).toFixed(1)} ms`);
    expect(rounds).toBeLessThan(30);
    for (let i = 0; i < handles.length; i += 2) expect(transport.receive(handles[i]!, new Uint8Array(4))).toBe(1);
    await idle();
  });

  it("wakes the waiters of a socket closed meanwhile, and receive() then reports EBADF", async () => {
    const { handles } = silentSockets(2);
    const [closing, other] = handles as [number, number];
    const waitClosing = transport.waitReadable(closing, 5000);
    const waitOther = transport.waitReadable(other, 300);
    await new Promise((resolve) => setTimeout(resolve, 20));
    const closedAt = performance.now();
    transport.close(closing);
    expect(await waitClosing).toBe(true);
    expect(performance.now() - closedAt).toBeLessThan(100);
    expect(transport.receive(closing, new Uint8Array(4))).toBe(-Errno.EBADF);
    expect(await waitOther).toBe(false);
    await idle();
  });

  it("works for any fd, such as one libchrony opened, and for several pollers", async () => {
    const directory = privateDirectory();
    const server = bindServer(join(directory, "chronyd.sock"));
    const client = libc.socket(AF_UNIX, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    serverFds.push(client);
    expect(libc.bind(client, sockaddrUn(join(directory, "client"))!, SOCKADDR_UN_SIZE)).toBe(0);
    const own = new SharedPoller(libc);
    const waiting = Promise.all([own.waitReadable(client, 2000), poller.waitReadable(client, 2000)]);
    await new Promise((resolve) => setTimeout(resolve, 20));
    reply(server, join(directory, "client"), new Uint8Array(2));
    expect(await waiting).toEqual([true, true]);
  });
});

describe("process exit", () => {
  /**
   * Statements (for an async function) that open a socket to `serverPath`
   * with the TypeScript sources, loaded through vitest's own vite, start a
   * wait of `waitMs` and leave `report` holding the handle and the path.
   */
  function openAndWait(serverPath: string, waitMs: number): string {
    const require = createRequire(import.meta.url);
    const vite = createRequire(require.resolve("vitest/package.json")).resolve("vite");
    return `
      const { createServer } = await import(${JSON.stringify(pathToFileURL(vite).href)});
      const server = await createServer({ root: ${JSON.stringify(join(import.meta.dirname, ".."))}, configFile: false, logLevel: "silent",
        appType: "custom", server: { middlewareMode: true, hmr: false, ws: false, watch: null }, optimizeDeps: { noDiscovery: true, include: [] } });
      const { UnixDatagramTransport } = await server.ssrLoadModule(${JSON.stringify(join(import.meta.dirname, "../src/native/unix-datagram.ts"))});
      const transport = await UnixDatagramTransport.create();
      const handle = transport.open(${JSON.stringify(serverPath)});
      transport.waitReadable(handle, ${waitMs});
      const report = { handle, path: transport.socketPath(handle) };`;
  }

  /** A child process that opens a socket, starts waiting, reports, and then exits (or not). */
  function child(serverPath: string, finish: "exit" | "hang"): ChildProcess {
    const script = `${openAndWait(serverPath, 60_000)}
      console.log(JSON.stringify(report));
      ${finish === "exit" ? "setTimeout(() => process.exit(0), 200);" : ""}`;
    return spawn(process.execPath, ["--input-type=module", "-e", script], { stdio: ["ignore", "pipe", "inherit"] });
  }

  function firstLine(process: ChildProcess): Promise<{ handle: number; path: string }> {
    return new Promise((resolve, reject) => {
      let output = "";
      process.stdout!.on("data", (chunk: Buffer) => {
        output += chunk.toString();
        if (output.includes("\n")) resolve(JSON.parse(output.split("\n")[0]!) as { handle: number; path: string });
      });
      process.on("exit", (code) => reject(new Error(`child exited with ${code} before reporting: ${output}`)));
    });
  }

  function exited(process: ChildProcess): Promise<number | null> {
    return new Promise((resolve) => process.on("exit", (code) => resolve(code)));
  }

  it("process.exit() returns while a poll() waits on its thread, and the exit handler removes the files", async () => {
    const directory = privateDirectory();
    bindServer(join(directory, "chronyd.sock"));
    const running = child(join(directory, "chronyd.sock"), "exit");
    const exit = exited(running);
    const timer = setTimeout(() => running.kill("SIGKILL"), 15_000);
    const { handle, path } = await firstLine(running);
    expect(handle).toBeGreaterThanOrEqual(0);
    expect(path.startsWith(directory)).toBe(true);
    expect(await exit).toBe(0);
    clearTimeout(timer);
    expect(readdirSync(directory)).toEqual(["chronyd.sock"]);
  });

  it("a killed process's directory is removed by the next open()", async () => {
    const directory = privateDirectory();
    bindServer(join(directory, "chronyd.sock"));
    const running = child(join(directory, "chronyd.sock"), "hang");
    const exit = exited(running);
    const timer = setTimeout(() => running.kill("SIGKILL"), 15_000);
    const { path } = await firstLine(running);
    expect(existsSync(path)).toBe(true);
    running.kill("SIGKILL");
    await exit;
    clearTimeout(timer);
    expect(existsSync(path)).toBe(true);
    const handle = transport.open(join(directory, "chronyd.sock"));
    expect(handle).toBeGreaterThanOrEqual(0);
    expect(existsSync(join(path, "../.."))).toBe(false);
    transport.close(handle);
    expect(readdirSync(directory)).toEqual(["chronyd.sock"]);
  });
});

describe.skipIf(!hasChronyd)(`against a real chronyd (${CHRONYD})`, () => {
  let directory: string;
  let socketPath: string;
  let chronyd: ChildProcess | undefined;

  const stopChronyd = () => {
    if (chronyd?.pid !== undefined && chronyd.exitCode === null) process.kill(chronyd.pid);
  };

  beforeAll(async () => {
    directory = mkdtempSync(join(tmpdir(), "chrony-udg-chronyd-"));
    mkdirSync(join(directory, "sock"), { mode: 0o700 });
    socketPath = join(directory, "sock", "chronyd.sock");
    const config = join(directory, "chrony.conf");
    // Only the Unix command socket: no NTP port, no UDP command port; -x leaves the system clock alone.
    writeFileSync(
      config,
      [`bindcmdaddress ${socketPath}`, "cmdport 0", "port 0", `pidfile ${join(directory, "chronyd.pid")}`, `driftfile ${join(directory, "drift")}`].join("\n") + "\n",
    );
    chronyd = spawn(CHRONYD, ["-n", "-x", "-u", "root", "-f", config, "-L", "0", "-l", join(directory, "chronyd.log")], { stdio: "ignore" });
    process.once("exit", stopChronyd);
    for (let i = 0; i < 100 && !existsSync(socketPath); i++) await new Promise((resolve) => setTimeout(resolve, 50));
    const log = existsSync(join(directory, "chronyd.log")) ? readFileSync(join(directory, "chronyd.log"), "utf8") : "";
    expect(existsSync(socketPath), `chronyd did not create ${socketPath}:\n${log}`).toBe(true);
  });

  afterAll(async () => {
    if (chronyd && chronyd.exitCode === null) {
      const exit = new Promise((resolve) => chronyd!.once("exit", resolve));
      stopChronyd();
      await exit;
    }
    process.off("exit", stopChronyd);
    rmSync(directory, { recursive: true, force: true });
  });

  const tracking = REPORTS.tracking;

  function trackingRequest(sequence: number): Message {
    const request = new Message();
    formatRequest(request, sequence, tracking.recordRequest, null, tracking.responses);
    return request;
  }

  async function query(handle: number, request: Message, response: Message): Promise<void> {
    expect(transport.send(handle, request.bytes.subarray(0, request.len))).toBe(0);
    expect(await transport.waitReadable(handle, 2000)).toBe(true);
    response.clear();
    response.len = transport.receive(handle, response.bytes);
    expect(response.len).toBeGreaterThan(0);
  }

  it("answers a tracking request over the transport's socket", async () => {
    const handle = transport.open(socketPath);
    expect(handle).toBeGreaterThanOrEqual(0);
    expect(transport.socketPath(handle)!.startsWith(join(directory, "sock", "chrony-ts."))).toBe(true);
    const request = trackingRequest(0x1234abcd);
    const response = new Message();
    await query(handle, request, response);
    expect(response.bytes[HEADER.version]).toBe(PROTOCOL.version);
    expect(response.bytes[HEADER.packetType]).toBe(PROTOCOL.replyType);
    expect(response.view.getUint16(HEADER.command)).toBe(tracking.recordRequest.code);
    expect(response.view.getUint16(HEADER.attemptOrReply)).toBe(tracking.responses[0].code);
    expect(response.view.getUint16(HEADER.replyStatus)).toBe(0);
    expect(response.view.getUint32(HEADER.replySequence)).toBe(0x1234abcd);
    expect(isResponseValid(request, response)).toBe(true);
    transport.close(handle);
    expect(readdirSync(join(directory, "sock"))).toEqual(["chronyd.sock"]);
  });

  it("measures 1000 sequential tracking requests", async () => {
    const handle = transport.open(socketPath);
    const response = new Message();
    const requests = Array.from({ length: 1000 }, (_, i) => trackingRequest(i + 1));
    const started = performance.now();
    for (const request of requests) {
      await query(handle, request, response);
      expect(isResponseValid(request, response)).toBe(true);
    }
    const meanUs = ((performance.now() - started) * 1000) / requests.length;
    console.log(`1000 sequential tracking requests to chronyd over the Unix socket: mean ${meanUs.toFixed(1)} µs per round trip`);
    transport.close(handle);
  });

  it("reports ECONNREFUSED after chronyd has gone away", async () => {
    const handle = transport.open(socketPath);
    expect(handle).toBeGreaterThanOrEqual(0);
    const exit = new Promise((resolve) => chronyd!.once("exit", resolve));
    stopChronyd();
    await exit;
    expect(transport.send(handle, trackingRequest(7).bytes.subarray(0, 100))).toBe(Errno.ECONNREFUSED);
    expect(transport.open(socketPath)).toBe(-Errno.ENOENT);
    transport.close(handle);
    expect(readdirSync(join(directory, "sock"))).toEqual([]);
  });
});
