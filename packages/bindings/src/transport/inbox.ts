/**
 * What a socket received and not yet read: datagrams and errors in arrival
 * order, and the callers waiting for the next one. A bounded queue: a flood
 * of datagrams nobody reads drops the oldest, as a full socket buffer would.
 *
 * @module
 */
import { Errno } from "@chrony/protocol";

/** chronyd answers one request at a time; a few late replies may queue up, never more. */
const CAPACITY = 64;

type Entry = Uint8Array | number;

export class Inbox {
  private readonly entries: Entry[] = [];
  private readonly waiters = new Set<(ready: boolean) => void>();
  private closed = false;

  push(datagram: Uint8Array): void {
    this.add(datagram);
  }

  /** Queues an error (a positive errno) to be returned by the next {@link take}. */
  fail(errno: number): void {
    this.add(errno);
  }

  /** The next datagram copied into `buffer` (its length), a queued error as `-errno`, or `-EAGAIN`. */
  take(buffer: Uint8Array): number {
    const entry = this.entries.shift();
    if (entry === undefined) return this.closed ? -Errno.EBADF : -Errno.EAGAIN;
    if (typeof entry === "number") return -entry;
    const length = Math.min(entry.length, buffer.length);
    buffer.set(length < entry.length ? entry.subarray(0, length) : entry);
    return length;
  }

  /** Resolves `true` once {@link take} has something, `false` after `timeoutMs`; `true` at once when it has. */
  wait(timeoutMs: number): boolean | Promise<boolean> {
    if (this.entries.length > 0 || this.closed) return true;
    return new Promise((resolve) => {
      const done = (ready: boolean) => {
        clearTimeout(timer);
        this.waiters.delete(done);
        resolve(ready);
      };
      const timer = setTimeout(done, Math.max(0, timeoutMs), false);
      this.waiters.add(done);
    });
  }

  /** Wakes every waiter; later takes fail with `EBADF`. */
  close(): void {
    this.closed = true;
    this.entries.length = 0;
    this.wake();
  }

  private add(entry: Entry): void {
    if (this.closed) return;
    if (this.entries.length >= CAPACITY) this.entries.shift();
    this.entries.push(entry);
    this.wake();
  }

  private wake(): void {
    for (const waiter of [...this.waiters]) waiter(true);
  }
}
