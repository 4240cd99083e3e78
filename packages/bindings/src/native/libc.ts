/**
 * The few libc functions the native transport and the shared poller call,
 * declared once per process through koffi. Loads glibc or musl.
 *
 * @module
 */
import { arch } from "node:process";
import type { IKoffiLib } from "koffi";
import { ChronyLibraryError, type LibraryLoadAttempt } from "../errors.js";
import { importKoffi } from "./koffi.js";

type Koffi = Awaited<ReturnType<typeof importKoffi>>;

/** `AF_UNIX`. */
export const AF_UNIX = 1;
/** `SOCK_DGRAM`. */
export const SOCK_DGRAM = 2;
/** `SOCK_NONBLOCK` (= `O_NONBLOCK`, 04000 in Linux's asm-generic layout). */
export const SOCK_NONBLOCK = 0o4000;
/** `SOCK_CLOEXEC` (= `O_CLOEXEC`, 02000000 in Linux's asm-generic layout). */
export const SOCK_CLOEXEC = 0o2000000;
/** `MSG_DONTWAIT`: this call does not block, whatever the socket's flags. */
export const MSG_DONTWAIT = 0x40;
/** `EFD_NONBLOCK` (= `O_NONBLOCK`). */
export const EFD_NONBLOCK = 0o4000;
/** `EFD_CLOEXEC` (= `O_CLOEXEC`). */
export const EFD_CLOEXEC = 0o2000000;
/** `fcntl()` commands and the flag they set (asm-generic/fcntl.h). */
const F_GETFL = 3;
const F_SETFL = 4;
const O_NONBLOCK = 0o4000;

/** `poll()` event bits (asm-generic/poll.h). */
export const POLLIN = 0x1;
export const POLLERR = 0x8;
export const POLLHUP = 0x10;
export const POLLNVAL = 0x20;
/** `sizeof(struct pollfd)`: int fd, short events, short revents. */
export const POLLFD_SIZE = 8;
/** `sizeof(((struct sockaddr_un *)0)->sun_path)` on Linux. */
export const SUN_PATH_LENGTH = 108;

/** `struct sockaddr_un` as koffi passes it: the path as a JS string, NUL-padded to 108 bytes. */
export interface SockaddrUn {
  sun_family: number;
  sun_path: string;
}

/**
 * libc as the transport and the poller use it. Every function returns what
 * the C function returns; read {@link Libc.errno} right after a failure.
 */
export interface Libc {
  /** The soname or path libc was loaded from. */
  readonly path: string;
  socket(domain: number, type: number, protocol: number): number;
  bind(fd: number, address: SockaddrUn, length: number): number;
  connect(fd: number, address: SockaddrUn, length: number): number;
  send(fd: number, data: Uint8Array, length: number, flags: number): number;
  recv(fd: number, buffer: Uint8Array, length: number, flags: number): number;
  close(fd: number): number;
  /** `mkdirat()`: socket.c creates the second directory relative to the checked first one. */
  mkdirat(dirfd: number, path: string, mode: number): number;
  eventfd(initval: number, flags: number): number;
  read(fd: number, buffer: Uint8Array, length: number): number;
  write(fd: number, data: Uint8Array, length: number): number;
  /** `poll()` over `nfds` packed `struct pollfd` in `fds`. */
  poll: PollFunction;
  /** `fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)`: 0, or -1 with errno set. */
  setNonBlocking(fd: number): number;
  /** `ppoll()` with a packed `struct timespec` timeout and no signal mask: poll() with nanosecond timeouts. */
  ppoll(fds: Uint8Array, nfds: number, timeout: Uint8Array, sigmask: null): number;
  /** `errno` of the last failed call on this thread. */
  errno(): number;
}

/** `poll()` with koffi's `.async`, which runs it on a libuv thread-pool thread. */
export interface PollFunction {
  (fds: Uint8Array, nfds: number, timeout: number): number;
  async(fds: Uint8Array, nfds: number, timeout: number, done: (error: unknown, ready: number) => void): void;
}

/** musl's architecture names, for its `libc.musl-<arch>.so.1` and `ld-musl-<arch>.so.1`. */
const MUSL_ARCH: Partial<Record<NodeJS.Architecture, string>> = {
  x64: "x86_64",
  arm64: "aarch64",
  arm: "armhf",
  ia32: "i386",
  ppc64: "powerpc64le",
  s390x: "s390x",
  riscv64: "riscv64",
  loong64: "loongarch64",
};

/** glibc's soname first, then musl's (Alpine links `libc.musl-<arch>.so.1` to the dynamic linker, which is musl's libc). */
export function libcCandidates(architecture: NodeJS.Architecture = arch): string[] {
  const musl = MUSL_ARCH[architecture];
  return ["libc.so.6", ...(musl ? [`libc.musl-${musl}.so.1`, `/lib/ld-musl-${musl}.so.1`, `/usr/lib/ld-musl-${musl}.so.1`] : [])];
}

let libc: Promise<Libc> | undefined;

/**
 * libc, loaded and declared on first use.
 *
 * @throws {@link ChronyLibraryError} listing every name tried and why it failed.
 */
export function loadLibc(): Promise<Libc> {
  libc ??= bindLibc().catch((error: unknown) => {
    libc = undefined;
    throw error;
  });
  return libc;
}

async function bindLibc(): Promise<Libc> {
  // MIPS numbers SOCK_DGRAM and O_NONBLOCK differently; nothing else Node runs on Linux does.
  if (process.platform !== "linux" || arch === "mips" || arch === "mipsel") {
    throw new ChronyLibraryError(`The native Unix datagram transport supports Linux except MIPS, not ${process.platform}/${arch}`, []);
  }
  const koffi = await importKoffi();
  const attempts: LibraryLoadAttempt[] = [];
  for (const path of libcCandidates()) {
    let library: IKoffiLib;
    try {
      library = koffi.load(path);
    } catch (error) {
      attempts.push({ path, reason: error instanceof Error ? error.message : String(error) });
      continue;
    }
    return declare(koffi, library, path);
  }
  const tried = attempts.map(({ path, reason }) => `  ${path}: ${reason}`).join("\n");
  throw new ChronyLibraryError(`libc (glibc or musl) could not be loaded. Tried:\n${tried}`, attempts);
}

function declare(koffi: Koffi, library: IKoffiLib, path: string): Libc {
  const sockaddrUn = koffi.struct({ sun_family: "uint16_t", sun_path: koffi.array("char", SUN_PATH_LENGTH, "String") });
  const address = koffi.pointer(sockaddrUn);
  // ssize_t is long on every Linux ABI; socklen_t and nfds_t are unsigned int and unsigned long.
  const fn = (name: string, result: string, args: unknown[]) => library.func(name, result, args as never[]) as unknown;
  // Variadic: the third argument goes with its type.
  const fcntl = library.func("int fcntl(int fd, int cmd, ...)") as (fd: number, cmd: number, ...typed: unknown[]) => number;
  return Object.freeze({
    path,
    socket: fn("socket", "int", ["int", "int", "int"]) as Libc["socket"],
    bind: fn("bind", "int", ["int", address, "uint32_t"]) as Libc["bind"],
    connect: fn("connect", "int", ["int", address, "uint32_t"]) as Libc["connect"],
    send: fn("send", "long", ["int", "const void *", "size_t", "int"]) as Libc["send"],
    recv: fn("recv", "long", ["int", "void *", "size_t", "int"]) as Libc["recv"],
    close: fn("close", "int", ["int"]) as Libc["close"],
    mkdirat: fn("mkdirat", "int", ["int", "const char *", "uint32_t"]) as Libc["mkdirat"],
    eventfd: fn("eventfd", "int", ["unsigned int", "int"]) as Libc["eventfd"],
    read: fn("read", "long", ["int", "void *", "size_t"]) as Libc["read"],
    write: fn("write", "long", ["int", "const void *", "size_t"]) as Libc["write"],
    poll: fn("poll", "int", ["void *", "unsigned long", "int"]) as PollFunction,
    setNonBlocking: (fd: number) => {
      const flags = fcntl(fd, F_GETFL);
      return flags < 0 ? -1 : fcntl(fd, F_SETFL, "int", flags | O_NONBLOCK);
    },
    ppoll: fn("ppoll", "int", ["void *", "unsigned long", "const void *", "const void *"]) as Libc["ppoll"],
    errno: () => koffi.errno(),
  });
}

/** `sizeof(struct sockaddr_un)`, the length socket.c passes to bind() and connect(). */
export const SOCKADDR_UN_SIZE = 2 + SUN_PATH_LENGTH;

/** A `struct sockaddr_un` for `path`, or `null` when the path does not fit (socket.c then fails with `EINVAL`). */
export function sockaddrUn(path: string): SockaddrUn | null {
  if (path.includes("\0") || Buffer.byteLength(path, "utf8") >= SUN_PATH_LENGTH) return null;
  return { sun_family: AF_UNIX, sun_path: path };
}
