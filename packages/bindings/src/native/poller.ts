/**
 * One `poll()` for the whole process. Every socket that waits for chronyd's
 * reply joins a single koffi `.async` call of libc `poll()`, so waiting
 * queries hold at most one libuv thread-pool thread between them, and none
 * when nothing waits. Deadlines are JS timers; an eventfd restarts the
 * running `poll()` whenever the set of waited fds changes.
 *
 * A `poll()` left blocked on a thread-pool thread blocks Node's exit, which
 * joins those threads: `process.exit()` would hang for ever. So the poller
 * wakes its `poll()` from the `exit` event, and gives `poll()` a timeout a
 * little past the last waiter's deadline as a backstop for what no JS event
 * announces (`worker.terminate()`). The JS timers still decide the results.
 *
 * A reply from chronyd on the same machine takes some 20 µs, far less than
 * a round trip through the thread pool. So a lone waiter first waits for
 * its fd on the main thread: checking in a loop for 50 µs (with a second
 * core, where chronyd runs meanwhile), then sleeping in `ppoll()` for at
 * most {@link FAST_WAIT_NS}, as a C client would; the event loop is held no
 * longer than that, never while other
 * waits are pending (many queries would add up), and not on an fd whose
 * last fast waits ran out (chronyd stopped or busy) until it has answered
 * through the thread again or a moment has passed.
 *
 * In a worker thread, koffi aborts the process when an `.async` call
 * completes while the worker is being torn down: end a worker only when
 * none of its waits is pending and the poller is idle ({@link SharedPoller.stats}).
 *
 * @module
 */
import { availableParallelism, endianness } from "node:os";
import { EFD_CLOEXEC, EFD_NONBLOCK, POLLERR, POLLFD_SIZE, POLLHUP, POLLIN, POLLNVAL, loadLibc, type Libc } from "./libc.js";

/** How long a lone waiter checks for its reply in a loop first: only with a core to spare for chronyd. */
const SPIN_MS = availableParallelism() > 1 ? 0.05 : 0;
/** Then how long it sleeps in ppoll() for it on the main thread, at most. */
export const FAST_WAIT_NS = 200_000;
/** Fast waits in a row that may run out before an fd goes without them... */
const SLOW_FD_MISSES = 2;
/**
 * ...for this long at first, twice as long each time the fast wait runs out
 * again after a pause, up to {@link SLOW_FD_MAX_BACKOFF_MS}: a chronyd that
 * missed a beat is back on the fast path soon, a stopped or busy one stays off it.
 */
const SLOW_FD_BACKOFF_MS = 10;
const SLOW_FD_MAX_BACKOFF_MS = 250;

/** What makes a waiter ready: data, or an error that receive() will report. */
const READY_EVENTS = POLLIN | POLLERR | POLLHUP | POLLNVAL;
/** setTimeout() fires at once for delays past this; longer waits have no deadline. */
const MAX_TIMER_MS = 2 ** 31 - 1;
/** How long past the last deadline the backstop timeout of a round lets poll() run. */
const BACKSTOP_MARGIN_MS = 100;
/** Consecutive failed poll() rounds before the waiters are failed instead of polled again. */
const MAX_POLL_FAILURES = 3;
const LITTLE_ENDIAN = endianness() === "LE";

interface Waiter {
  readonly fd: number;
  readonly resolve: (ready: boolean) => void;
  readonly reject: (error: Error) => void;
  /** performance.now() at the deadline, Infinity for none. */
  readonly deadline: number;
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
  readonly #probe = pollfds(1);
  /** pollfd array of the running round; only rebuilt between rounds. Off-heap, so it stays put while the thread reads it. */
  #set = pollfds(16);
  /** The fds the running round polls, besides the eventfd. */
  #round = new Set<number>();
  /** `struct timespec` of the fast wait: tv_sec stays 0. */
  readonly #fastTimeout = new Uint8Array(16);
  /** Fds whose fast waits ran out: how many in a row, when the last did, and how long that one keeps the fd off the fast path. */
  readonly #slow = new Map<number, { misses: number; since: number; backoff: number }>();
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
   * only the transport's own. Answers at once, without a promise, when the
   * fd is ready now (or after the fast wait), and `false` for a timeout of 0.
   */
  waitReadable(fd: number, timeoutMs: number): boolean | Promise<boolean> {
    // poll() reports a closed fd as POLLNVAL; a negative one it skips, which would only wait out the timeout.
    if (!Number.isInteger(fd) || fd < 0) return true;
    // When the reply is there (or about to be), skip the thread round trip.
    if (this.#readySoon(fd, timeoutMs)) return true;
    if (!(timeoutMs > 0)) return false;
    return new Promise<boolean>((resolve, reject) => {
      const limited = timeoutMs <= MAX_TIMER_MS;
      const waiter: Waiter = { fd, resolve, reject, deadline: limited ? performance.now() + timeoutMs : Infinity, timer: undefined };
      if (limited) waiter.timer = setTimeout(() => this.#expire(waiter), Math.ceil(timeoutMs));
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
    this.#slow.delete(fd);
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
    writePollfd(this.#probe.view, 0, fd);
    const ready = this.#libc.poll(this.#probe.bytes, 1, 0);
    return ready > 0 && (this.#probe.view.getInt16(6, LITTLE_ENDIAN) & READY_EVENTS) !== 0;
  }

  /** {@link readyNow}, after a bounded wait on the main thread when this is the only wait and the fd answers fast. */
  #readySoon(fd: number, timeoutMs: number): boolean {
    const slow = this.#slow.get(fd);
    if (this.#waiters.size > 0 || !(timeoutMs > 0) || (slow && slow.misses >= SLOW_FD_MISSES && performance.now() - slow.since < slow.backoff)) {
      return this.#readyNow(fd);
    }
    // With a core to spare, checking in a loop catches the reply without the wake-up of a sleeping thread.
    if (SPIN_MS > 0) {
      const spinUntil = performance.now() + Math.min(SPIN_MS, timeoutMs);
      do {
        if (this.#readyNow(fd)) {
          this.#slow.delete(fd);
          return true;
        }
      } while (performance.now() < spinUntil);
    }
    const timeout = new DataView(this.#fastTimeout.buffer);
    timeout.setBigInt64(8, BigInt(Math.min(FAST_WAIT_NS, Math.floor(timeoutMs * 1e6))), LITTLE_ENDIAN);
    writePollfd(this.#probe.view, 0, fd);
    const ready = this.#libc.ppoll(this.#probe.bytes, 1, this.#fastTimeout, null) > 0 && (this.#probe.view.getInt16(6, LITTLE_ENDIAN) & READY_EVENTS) !== 0;
    if (ready) this.#slow.delete(fd);
    else {
      const misses = (slow?.misses ?? 0) + 1;
      const backoff = misses > SLOW_FD_MISSES ? Math.min((slow?.backoff ?? SLOW_FD_BACKOFF_MS) * 2, SLOW_FD_MAX_BACKOFF_MS) : SLOW_FD_BACKOFF_MS;
      this.#slow.set(fd, { misses, since: performance.now(), backoff });
    }
    return ready;
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
    try {
      // The JS timers and the eventfd end the round; the timeout is only the backstop.
      this.#libc.poll.async(this.#set.bytes, fds.length + 1, this.#backstop(), (error, ready) => this.#finished(error, ready));
    } catch (error) {
      // koffi refuses when too many async calls run at once (its max_async_calls).
      this.#polling = false;
      this.#round = new Set();
      this.#failAll(error instanceof Error ? error : new Error(String(error)));
    }
  }

  /** poll()'s timeout: a little past the last deadline, or none (-1) when a waiter has none. */
  #backstop(): number {
    let last = 0;
    for (const waiters of this.#waiters.values()) for (const waiter of waiters) last = Math.max(last, waiter.deadline);
    if (last === Infinity) return -1;
    return Math.min(MAX_TIMER_MS, Math.max(0, Math.ceil(last - performance.now())) + BACKSTOP_MARGIN_MS);
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
    const ready = this.#libc.poll(this.#set.bytes, fds.length, 0);
    if (ready < 0) return this.#failAll(new Error(`poll() failed: errno ${this.#libc.errno()}`));
    if (ready === 0) return;
    fds.forEach((fd, i) => {
      if ((this.#set.view.getInt16(i * POLLFD_SIZE + 6, LITTLE_ENDIAN) & READY_EVENTS) === 0) return;
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
    if (this.#set.bytes.byteLength < fds.length * POLLFD_SIZE) this.#set = pollfds(Math.max(fds.length, (2 * this.#set.bytes.byteLength) / POLLFD_SIZE));
    fds.forEach((fd, i) => writePollfd(this.#set.view, i * POLLFD_SIZE, fd));
  }
}

/** Room for `count` packed `struct pollfd`, in memory of its own outside the V8 heap. */
function pollfds(count: number): { readonly bytes: Uint8Array; readonly view: DataView } {
  const bytes = Buffer.allocUnsafeSlow(count * POLLFD_SIZE);
  return { bytes, view: new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength) };
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
