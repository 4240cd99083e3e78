/**
 * What libchrony leaves to its caller: waiting for the socket without
 * blocking the event loop (libc `poll()` on a koffi worker thread) and
 * reading `errno`.
 *
 * @module
 */
import type { LibChronyHost } from "@chrony/fields";
import { importKoffi } from "./koffi.js";

const POLLIN = 0x1;
const READY = Promise.resolve(true);

type PollFunction = {
  (fds: { fd: number; events: number; revents: number }, nfds: number, timeout: number): number;
  async(fds: { fd: number; events: number; revents: number }, nfds: number, timeout: number, done: (error: unknown, ready: number) => void): void;
};

/** Declares libc's `poll()` and `errno` access through koffi. */
export async function bindHost(): Promise<LibChronyHost> {
  const koffi = await importKoffi();
  const libc = koffi.load("libc.so.6");
  const pollfd = koffi.struct({ fd: "int", events: "short", revents: "short" });
  const poll = libc.func("poll", "int", [koffi.inout(koffi.pointer(pollfd)), "unsigned long", "int"]) as unknown as PollFunction;

  const waitReadable = (fd: number, timeoutMs: number): Promise<boolean> => {
    // A zero-timeout poll() never blocks: when the reply is already there, skip the worker-thread round trip.
    if (poll({ fd, events: POLLIN, revents: 0 }, 1, 0) > 0) return READY;
    return new Promise((resolve, reject) => {
      // .async runs poll() on a worker thread; the event loop stays free while chronyd thinks.
      poll.async({ fd, events: POLLIN, revents: 0 }, 1, Math.max(0, Math.ceil(timeoutMs)), (error, ready) => {
        if (error) reject(error instanceof Error ? error : new Error(String(error)));
        else if (ready < 0) reject(new Error(`poll() failed on fd ${fd}: errno ${koffi.errno()}`));
        else resolve(ready > 0);
      });
    });
  };

  return { waitReadable, lastErrno: () => koffi.errno() };
}
