/**
 * One `poll()` for the whole process. Every socket that waits for chronyd's
 * reply joins a single koffi `.async` call of libc `poll()`, so waiting
 * queries hold at most one libuv thread-pool thread between them, and none
 * when nothing waits. Deadlines are JS timers; an eventfd restarts the
 * running `poll()` whenever the set of waited fds changes.
 *
 * @module
 */
import { endianness } from "node:os";
import { EFD_CLOEXEC, EFD_NONBLOCK, POLLERR, POLLFD_SIZE, POLLHUP, POLLIN, POLLNVAL, loadLibc, type Libc } from "./libc.js";

/** What makes a waiter ready: data, or an error that receive() will report. */
const READY_EVENTS = POLLIN | POLLERR | POLLHUP | POLLNVAL;
/** setTimeout() fires at once for delays past this; longer waits have no deadline. */
const MAX_TIMER_MS = 2 ** 31 - 1;
/** Consecutive failed poll() rounds before the waiters are failed instead of polled again. */
const MAX_POLL_FAILURES = 3;
const LITTLE_ENDIAN = endianness() === "LE";
const READY = Promise.resolve(true);
const NOT_READY = Promise.resolve(false);

interface Waiter {
  readonly fd: number;
  readonly resolve: (ready: boolean) => void;
  readonly reject: (error: Error) => void;
  timer: ReturnType<typeof setTimeout> | undefined;
}

/** What the poller is doing, for tests and diagnostics. */
export interface PollerStats {
  /** Whether a `poll()` is running on a thread-pool thread now. */
  readonly polling: boolean;
  /** Waiting calls of {@link SharedPoller.waitReadable}. */
  readonly waiters: number;
  /** Distinct fds waited for. */
  readonly fds: number;
  /** `poll()` calls started on a thread so far. */
  readonly rounds: number;
}

/** Waits for readability of any number of fds with one thread-pool thread at most. */
export class SharedPoller {
  readonly #libc: Libc;
  /** eventfd written to make the running poll() return. */
  readonly #wakeFd: number;
  readonly #counter = new Uint8Array(8);
  readonly #one = new Uint8Array(8);
  readonly #waiters = new Map<number, Set<Waiter>>();
  /** One pollfd for the synchronous single-fd checks, which may run while a round is in flight. */
  readonly #probe = new DataView(Buffer.allocUnsafeSlow(POLLFD_SIZE).buffer);
  /** pollfd array of the running round; only rebuilt between rounds. Off-heap, so it stays put while the thread reads it. */
  #set = new DataView(Buffer.allocUnsafeSlow(POLLFD_SIZE * 16).buffer);
  /** The fds the running round polls, besides the eventfd. */
  #round = new Set<number>();
  #polling = false;
  #wakePending = false;
  #scheduled = false;
  #failures = 0;
  #rounds = 0;

  constructor(libc: Libc) {
    this.#libc = libc;
    this.#wakeFd = libc.eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    if (this.#wakeFd < 0) throw new Error(`eventfd() failed: errno ${libc.errno()}`);
    new DataView(this.#one.buffer).setBigUint64(0, 1n, LITTLE_ENDIAN);
    // Node joins the thread pool at exit: a poll() still blocked there would hang process.exit() for ever.
    process.on("exit", () => {
      if (this.#polling) this.#wake();
    });
  }

  /**
   * Resolves `true` once `fd` is readable or has an error or hang-up to
   * report, `false` when it is not after `timeoutMs`. Any fd works, not
   * only the transport's own.
   */
  waitReadable(fd: number, timeoutMs: number): Promise<boolean> {
    // A zero-timeout poll() never blocks: when the reply is already there, skip the thread round trip.
    if (this.#readyNow(fd)) return READY;
    if (!(timeoutMs > 0)) return NOT_READY;
    return new Promise<boolean>((resolve, reject) => {
      const waiter: Waiter = { fd, resolve, reject, timer: undefined };
      if (timeoutMs <= MAX_TIMER_MS) waiter.timer = setTimeout(() => this.#expire(waiter), Math.ceil(timeoutMs));
      let waiters = this.#waiters.get(fd);
      if (!waiters) this.#waiters.set(fd, (waiters = new Set()));
      waiters.add(waiter);
      this.#schedule();
    });
  }

  /**
   * Stops watching `fd` before it is closed: its waiters resolve `true`, as
   * receive() has an error (`EBADF`) to report from then on.
   */
  forget(fd: number): void {
    const waiters = this.#waiters.get(fd);
    if (!waiters) return;
    this.#waiters.delete(fd);
    for (const waiter of waiters) settle(waiter, true);
    this.#schedule();
  }

  stats(): PollerStats {
    let waiters = 0;
    for (const set of this.#waiters.values()) waiters += set.size;
    return { polling: this.#polling, waiters, fds: this.#waiters.size, rounds: this.#rounds };
  }

  #readyNow(fd: number): boolean {
    writePollfd(this.#probe, 0, fd);
    const ready = this.#libc.poll(new Uint8Array(this.#probe.buffer), 1, 0);
    return ready > 0 && (this.#probe.getInt16(6, LITTLE_ENDIAN) & READY_EVENTS) !== 0;
  }

  #expire(waiter: Waiter): void {
    waiter.timer = undefined;
    const waiters = this.#waiters.get(waiter.fd);
    if (!waiters?.delete(waiter)) return;
    if (waiters.size === 0) this.#waiters.delete(waiter.fd);
    // A reply that came in just before the deadline counts, even if the round has not reported it yet.
    settle(waiter, this.#readyNow(waiter.fd));
    this.#schedule();
  }

  /** Waiters added or removed in one tick (300 queries sent together) change the round once. */
  #schedule(): void {
    if (this.#scheduled) return;
    this.#scheduled = true;
    queueMicrotask(() => {
      this.#scheduled = false;
      this.#reconcile();
    });
  }

  /** Makes the running round poll exactly the waited fds: starts it, or wakes it to restart or end. */
  #reconcile(): void {
    if (!this.#polling) {
      if (this.#waiters.size > 0) this.#start();
      return;
    }
    if (this.#waiters.size !== this.#round.size || [...this.#waiters.keys()].some((fd) => !this.#round.has(fd))) this.#wake();
  }

  #wake(): void {
    if (this.#wakePending) return;
    this.#wakePending = true;
    this.#libc.write(this.#wakeFd, this.#one, 8);
  }

  #start(): void {
    const fds = [...this.#waiters.keys()];
    this.#fill([this.#wakeFd, ...fds]);
    this.#round = new Set(fds);
    this.#polling = true;
    this.#rounds++;
    // poll() runs on a thread-pool thread with no timeout: the JS timers and the eventfd end it.
    this.#libc.poll.async(new Uint8Array(this.#set.buffer), fds.length + 1, -1, (error, ready) => this.#finished(error, ready));
  }

  #finished(error: unknown, ready: number): void {
    this.#polling = false;
    this.#round = new Set();
    this.#libc.read(this.#wakeFd, this.#counter, 8);
    this.#wakePending = false;
    if (error) return this.#failAll(error instanceof Error ? error : new Error(String(error)));
    // errno belongs to the thread that ran poll(); EINTR is the likely cause, so try again a few times.
    if (ready < 0 && ++this.#failures >= MAX_POLL_FAILURES) return this.#failAll(new Error("poll() failed on the shared poller thread"));
    if (ready >= 0) this.#failures = 0;
    // The round's results may be stale (a datagram read meanwhile, an fd closed and reused): ask again, without blocking.
    this.#sweep();
    this.#reconcile();
  }

  /** Resolves every waiter whose fd is ready now, with one zero-timeout poll(). */
  #sweep(): void {
    const fds = [...this.#waiters.keys()];
    if (fds.length === 0) return;
    this.#fill(fds);
    const ready = this.#libc.poll(new Uint8Array(this.#set.buffer), fds.length, 0);
    if (ready < 0) return this.#failAll(new Error(`poll() failed: errno ${this.#libc.errno()}`));
    if (ready === 0) return;
    fds.forEach((fd, i) => {
      if ((this.#set.getInt16(i * POLLFD_SIZE + 6, LITTLE_ENDIAN) & READY_EVENTS) === 0) return;
      const waiters = this.#waiters.get(fd)!;
      this.#waiters.delete(fd);
      for (const waiter of waiters) settle(waiter, true);
    });
  }

  #failAll(error: Error): void {
    this.#failures = 0;
    const all = [...this.#waiters.values()];
    this.#waiters.clear();
    for (const waiters of all) {
      for (const waiter of waiters) {
        if (waiter.timer !== undefined) clearTimeout(waiter.timer);
        waiter.reject(error);
      }
    }
  }

  /** Writes one pollfd per fd, asking for POLLIN (errors and hang-ups are always reported). */
  #fill(fds: readonly number[]): void {
    if (this.#set.byteLength < fds.length * POLLFD_SIZE) {
      this.#set = new DataView(Buffer.allocUnsafeSlow(Math.max(fds.length, 2 * this.#set.byteLength / POLLFD_SIZE) * POLLFD_SIZE).buffer);
    }
    fds.forEach((fd, i) => writePollfd(this.#set, i * POLLFD_SIZE, fd));
  }
}

function writePollfd(view: DataView, offset: number, fd: number): void {
  view.setInt32(offset, fd, LITTLE_ENDIAN);
  view.setInt16(offset + 4, POLLIN, LITTLE_ENDIAN);
  view.setInt16(offset + 6, 0, LITTLE_ENDIAN);
}

function settle(waiter: Waiter, ready: boolean): void {
  if (waiter.timer !== undefined) clearTimeout(waiter.timer);
  waiter.timer = undefined;
  waiter.resolve(ready);
}

let shared: Promise<SharedPoller> | undefined;

/** The process's poller, created with libc on first use. */
export function sharedPoller(): Promise<SharedPoller> {
  shared ??= loadLibc()
    .then((libc) => new SharedPoller(libc))
    .catch((error: unknown) => {
      shared = undefined;
      throw error;
    });
  return shared;
}
