/**
 * chronyd's Unix command socket from Node, which has no `AF_UNIX`
 * `SOCK_DGRAM` sockets of its own: libc through koffi, set up the way
 * libchrony's socket.c `open_unix_socket()` does it, waiting through the
 * process's {@link SharedPoller}.
 *
 * @module
 */
import { randomBytes } from "node:crypto";
import {
  chmodSync,
  closeSync,
  constants as fsConstants,
  fchmodSync,
  fstatSync,
  lstatSync,
  mkdirSync,
  openSync,
  readdirSync,
  rmdirSync,
  unlinkSync,
} from "node:fs";
import { constants as osConstants } from "node:os";
import { resolve as resolvePath } from "node:path";
import { Errno, type DatagramTransport } from "@chrony/protocol";
import {
  AF_UNIX,
  MSG_DONTWAIT,
  SOCKADDR_UN_SIZE,
  SOCK_CLOEXEC,
  SOCK_DGRAM,
  SOCK_NONBLOCK,
  loadLibc,
  sockaddrUn,
  type Libc,
  type SockaddrUn,
} from "./libc.js";
import { sharedPoller, type SharedPoller } from "./poller.js";

/** First part of the client directories' names; socket.c's own are `libchrony.<random>`. */
export const CLIENT_DIRECTORY_PREFIX = "chrony-ts";

/** `chrony-ts.<pid>.<12 random>`: the pid says whose it is when a crashed process left it behind. */
const CLIENT_DIRECTORY_NAME = new RegExp(`^${CLIENT_DIRECTORY_PREFIX.replace(/[.-]/g, "\\$&")}\\.(\\d{1,10})\\.[A-Za-z0-9]{12}$`);
const ALPHANUMERIC = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
const EPROTO = Errno.EPROTO;

/** Options of {@link UnixDatagramTransport.create}. */
export interface UnixDatagramTransportOptions {
  /**
   * Directory in which the client sockets' private directories are made.
   * Default: the directory of chronyd's socket, as libchrony does; give
   * another one when that directory is read-only for this process.
   * chronyd must be able to reach it (search permission on every parent).
   */
  readonly clientDirectory?: string;
}

/** The files of one client socket: `<dir1>/<dir2>/sock`. */
interface ClientFiles {
  readonly socket: string;
  readonly dir2: string;
  readonly dir1: string;
}

/** Client sockets still open in this process, whichever transport opened them. */
const openSockets = new Map<number, ClientFiles>();

/** Removes what is left when the process exits with sockets open (signals skip this; stale cleanup catches those). */
function removeOpenSockets(): void {
  for (const files of openSockets.values()) removeFiles(files);
}

function track(fd: number, files: ClientFiles): void {
  if (openSockets.size === 0) process.on("exit", removeOpenSockets);
  openSockets.set(fd, files);
}

function untrack(fd: number): void {
  openSockets.delete(fd);
  if (openSockets.size === 0) process.off("exit", removeOpenSockets);
}

/** socket.c `remove_unix_socket()`: the socket, then the two directories it was placed in. */
function removeFiles({ socket, dir2, dir1 }: ClientFiles): void {
  for (const remove of [() => unlinkSync(socket), () => rmdirSync(dir2), () => rmdirSync(dir1)]) {
    try {
      remove();
    } catch (_error) {
      return;
    }
  }
}

/** A positive errno from a node:fs error. */
function errnoOf(error: unknown): number {
  const { errno, code } = (error ?? {}) as NodeJS.ErrnoException;
  if (typeof errno === "number" && errno !== 0) return Math.abs(errno);
  const byName = code === undefined ? undefined : (osConstants.errno as Record<string, number>)[code];
  return byName ?? EPROTO;
}

/** Random letters and digits, as socket.c's `generate_random_path()`; bytes from 248 up are dropped so that no character is likelier. */
function randomName(length: number): string {
  let name = "";
  while (name.length < length) {
    for (const byte of randomBytes(2 * length)) {
      if (byte < 4 * ALPHANUMERIC.length && name.length < length) name += ALPHANUMERIC[byte % ALPHANUMERIC.length];
    }
  }
  return name;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: alive, under another user.
    return (error as NodeJS.ErrnoException).code !== "ESRCH";
  }
}

/**
 * {@link DatagramTransport} over `AF_UNIX` `SOCK_DGRAM` sockets, for Unix
 * socket paths only (other addresses fail with `EINVAL`). Handles are the
 * sockets' file descriptors.
 */
export class UnixDatagramTransport implements DatagramTransport {
  readonly #libc: Libc;
  readonly #poller: SharedPoller;
  readonly #clientDirectory: string | undefined;
  readonly #euid: number;
  readonly #handles = new Set<number>();

  /** Loads libc and the shared poller (koffi loads lazily), then makes the transport. */
  static async create(options: UnixDatagramTransportOptions = {}): Promise<UnixDatagramTransport> {
    const [libc, poller] = await Promise.all([loadLibc(), sharedPoller()]);
    return new UnixDatagramTransport(libc, poller, options);
  }

  constructor(libc: Libc, poller: SharedPoller, options: UnixDatagramTransportOptions = {}) {
    this.#libc = libc;
    this.#poller = poller;
    this.#clientDirectory = options.clientDirectory === undefined ? undefined : resolvePath(options.clientDirectory);
    this.#euid = process.geteuid?.() ?? 0;
  }

  open(address: string): number {
    if (!address.startsWith("/")) return -Errno.EINVAL;
    const server = sockaddrUn(address);
    if (!server) return -Errno.EINVAL;

    // socket.c: connect without binding first, so that a missing or forbidden socket fails before anything is made.
    const unreachable = this.#tryConnect(server);
    if (unreachable !== 0) return -unreachable;

    // socket.c: dir0 is the server socket's directory, and a socket right under "/" is refused.
    const dir0 = this.#clientDirectory ?? address.slice(0, address.lastIndexOf("/"));
    if (dir0 === "") return -Errno.EINVAL;
    this.#removeStale(dir0);

    // The random names hide the socket from chronyd (which can list dir0) until chmod() opens it up,
    // so a compromised chronyd cannot swap in a symlink for chmod() to follow (socket.c).
    const name2 = randomName(16);
    const dir1 = `${dir0 === "/" ? "" : dir0}/${CLIENT_DIRECTORY_PREFIX}.${process.pid}.${randomName(12)}`;
    const files: ClientFiles = { dir1, dir2: `${dir1}/${name2}`, socket: `${dir1}/${name2}/sock` };
    const client = sockaddrUn(files.socket);
    if (!client) return -Errno.EINVAL;

    const libc = this.#libc;
    let dirFd = -1;
    let fd = -1;
    let made = 0;
    try {
      mkdirSync(dir1, 0o711);
      made = 1;
      dirFd = openSync(dir1, fsConstants.O_RDONLY | fsConstants.O_NOFOLLOW | fsConstants.O_DIRECTORY);
      const stat = fstatSync(dirFd);
      // socket.c: what was opened must be the directory just made, not something put there meanwhile.
      if (!stat.isDirectory() || (stat.mode & 0o777 & ~0o711) !== 0 || stat.uid !== this.#euid) return this.#fail(EPROTO);
      if (libc.mkdirat(dirFd, name2, 0o711) < 0) return this.#fail(libc.errno());
      made = 2;
      fd = libc.socket(AF_UNIX, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
      if (fd < 0) return this.#fail(libc.errno());
      if (libc.bind(fd, client, SOCKADDR_UN_SIZE) < 0) return this.#fail(libc.errno());
      made = 3;
      // chronyd running as another user must be able to send the replies; the directories guard the socket.
      chmodSync(files.socket, 0o666);
      chmodSync(files.dir2, 0o711);
      fchmodSync(dirFd, 0o711);
      if (libc.connect(fd, server, SOCKADDR_UN_SIZE) < 0) return this.#fail(libc.errno());
      const opened = fd;
      fd = -1;
      made = 0;
      this.#handles.add(opened);
      track(opened, files);
      return opened;
    } catch (error) {
      return -errnoOf(error);
    } finally {
      // socket.c's error labels: undo what was made, in reverse.
      if (fd >= 0) libc.close(fd);
      if (dirFd >= 0) closeSync(dirFd);
      if (made >= 3) ignoreErrors(() => unlinkSync(files.socket));
      if (made >= 2) ignoreErrors(() => rmdirSync(files.dir2));
      if (made >= 1) ignoreErrors(() => rmdirSync(files.dir1));
    }
  }

  send(handle: number, datagram: Uint8Array): number {
    if (!this.#handles.has(handle)) return Errno.EBADF;
    // The socket is O_NONBLOCK already; MSG_DONTWAIT keeps send() from blocking even if someone cleared it.
    return this.#libc.send(handle, datagram, datagram.byteLength, MSG_DONTWAIT) < 0 ? this.#libc.errno() : 0;
  }

  receive(handle: number, buffer: Uint8Array): number {
    if (!this.#handles.has(handle)) return -Errno.EBADF;
    const length = this.#libc.recv(handle, buffer, buffer.byteLength, MSG_DONTWAIT);
    return length < 0 ? -this.#libc.errno() : length;
  }

  waitReadable(handle: number, timeoutMs: number): boolean | Promise<boolean> {
    // receive() has EBADF to report for a handle that is not open.
    if (!this.#handles.has(handle)) return true;
    return this.#poller.waitReadable(handle, timeoutMs);
  }

  close(handle: number): void {
    if (!this.#handles.delete(handle)) return;
    this.#poller.forget(handle);
    this.#libc.close(handle);
    const files = openSockets.get(handle);
    untrack(handle);
    if (files) removeFiles(files);
  }

  /** Closes every socket this transport opened. */
  closeAll(): void {
    for (const handle of [...this.#handles]) this.close(handle);
  }

  /** The client socket's path of an open handle, or `undefined`. */
  socketPath(handle: number): string | undefined {
    return this.#handles.has(handle) ? openSockets.get(handle)?.socket : undefined;
  }

  #fail(errno: number): number {
    return -(errno || EPROTO);
  }

  /** 0 when an unbound socket can connect to `address`, else the errno. */
  #tryConnect(address: SockaddrUn): number {
    const libc = this.#libc;
    const fd = libc.socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (fd < 0) return libc.errno() || EPROTO;
    const result = libc.connect(fd, address, SOCKADDR_UN_SIZE) < 0 ? libc.errno() || EPROTO : 0;
    libc.close(fd);
    return result;
  }

  /**
   * Removes client directories that crashed processes of this user left in
   * `dir0`: only `chrony-ts.<pid>.*` real directories owned by our euid,
   * whose pid is gone and whose socket nobody holds (a pid namespace of its
   * own, as in a container sharing the directory, can make a live pid look
   * dead; connect() then still tells). Symlinks are never followed.
   */
  #removeStale(dir0: string): void {
    let names: string[];
    try {
      names = readdirSync(dir0);
    } catch (_error) {
      return;
    }
    for (const name of names) {
      const match = CLIENT_DIRECTORY_NAME.exec(name);
      if (!match) continue;
      const pid = Number(match[1]);
      if (pid <= 0 || pid >= 2 ** 31 || pid === process.pid || isAlive(pid)) continue;
      const dir1 = `${dir0 === "/" ? "" : dir0}/${name}`;
      if (!this.#isOwnDirectory(dir1)) continue;
      ignoreErrors(() => {
        for (const name2 of readdirSync(dir1)) {
          const dir2 = `${dir1}/${name2}`;
          if (!this.#isOwnDirectory(dir2)) continue;
          const socket = `${dir2}/sock`;
          const stat = lstatOrNull(socket);
          if (stat) {
            if (!stat.isSocket() || stat.uid !== this.#euid) continue;
            const client = sockaddrUn(socket);
            // ECONNREFUSED: no socket is bound there any more.
            if (!client || this.#tryConnect(client) !== Errno.ECONNREFUSED) continue;
            unlinkSync(socket);
          }
          ignoreErrors(() => rmdirSync(dir2));
        }
        rmdirSync(dir1);
      });
    }
  }

  #isOwnDirectory(path: string): boolean {
    const stat = lstatOrNull(path);
    return stat !== null && stat.isDirectory() && stat.uid === this.#euid;
  }
}

function lstatOrNull(path: string) {
  try {
    return lstatSync(path);
  } catch (_error) {
    return null;
  }
}

function ignoreErrors(action: () => void): void {
  try {
    action();
  } catch (_error) {
    // Best effort, as socket.c's cleanup.
  }
}
