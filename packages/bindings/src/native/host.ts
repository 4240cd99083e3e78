/**
 * What libchrony leaves to its caller, done so that nothing blocks: its
 * sockets made non-blocking (a full chronyd queue fails the send with
 * `EAGAIN` instead of freezing the event loop), waiting through the shared
 * poller (no thread held per waiting query), and `errno`.
 *
 * @module
 */
import type { LibChrony, LibChronyHost } from "@chrony/fields";
import { importKoffi } from "./koffi.js";
import { loadLibc } from "./libc.js";
import { sharedPoller } from "./poller.js";

/** The host functions, and `chrony_open_socket()` wrapped to make each socket it opens non-blocking. */
export async function bindHost(api: LibChrony): Promise<LibChronyHost & Pick<LibChrony, "chrony_open_socket" | "chrony_close_socket">> {
  const [koffi, libc, poller] = await Promise.all([importKoffi(), loadLibc(), sharedPoller()]);
  return {
    chrony_open_socket(address) {
      const fd = api.chrony_open_socket(address);
      // libchrony's socket is blocking; without this its send() would stall the event loop on a full queue.
      if (fd >= 0 && libc.setNonBlocking(fd) < 0) {
        const errno = libc.errno();
        api.chrony_close_socket(fd);
        return -errno;
      }
      return fd;
    },
    chrony_close_socket(fd) {
      poller.forget(fd);
      api.chrony_close_socket(fd);
    },
    waitReadable: (fd, timeoutMs) => poller.waitReadable(fd, timeoutMs),
    lastErrno: () => koffi.errno(),
  };
}
