/**
 * The datagram transport the TypeScript libchrony talks through. Sockets
 * live outside this package (node:dgram, a native Unix datagram socket, a
 * simulated chronyd in memory); the protocol only sees handles and bytes.
 *
 * @module
 */

/**
 * A set of datagram sockets to chronyd, identified by small non-negative
 * handles (file descriptors, or numbers the transport makes up). No method
 * blocks: sends that cannot be queued and receives with nothing waiting
 * fail with an errno instead.
 */
export interface DatagramTransport {
  /**
   * Opens a socket to chronyd's command port at `address`: a Unix socket
   * path (`/run/chrony/chronyd.sock`), or an IP address with an optional
   * port (`127.0.0.1`, `127.0.0.1:323`, `::1`, `[::1]:323`). Returns the
   * handle, or a negative errno (`-ENOENT`, `-EACCES`, `-EINVAL`...).
   */
  open(address: string): number;
  /** Sends one datagram: 0, or a positive errno (`EAGAIN` when the socket's queue is full). */
  send(handle: number, datagram: Uint8Array): number;
  /**
   * Moves the oldest received datagram into `buffer` (truncated to its
   * length): the datagram's length, or a negative errno (`-EAGAIN` when
   * nothing is waiting, `-ECONNREFUSED` when the peer is gone...).
   */
  receive(handle: number, buffer: Uint8Array): number;
  /**
   * Resolves `true` as soon as {@link receive} has something to return (a
   * datagram or an error), `false` after `timeoutMs`. May answer at once,
   * without a promise, when it knows already. Never holds a thread per call.
   */
  waitReadable(handle: number, timeoutMs: number): boolean | Promise<boolean>;
  /** Closes the socket and frees what it holds (a Unix client socket's files). Unknown handles are ignored. */
  close(handle: number): void;
}

/** The errno values the protocol layer and its transports speak of (Linux numbering). */
export const Errno = Object.freeze({
  EPERM: 1,
  ENOENT: 2,
  EBADF: 9,
  EAGAIN: 11,
  EACCES: 13,
  EINVAL: 22,
  EMSGSIZE: 90,
  EPROTO: 71,
  EAFNOSUPPORT: 97,
  ECONNREFUSED: 111,
});
