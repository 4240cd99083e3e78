/**
 * chronyd's command port over UDP through `node:dgram`: on the event loop,
 * no native code. Each handle is a connected socket, so an ICMP "port
 * unreachable" (nothing listens, chronyd restarting) comes back as
 * `ECONNREFUSED` on the next receive instead of a silent timeout.
 *
 * @module
 */
import { createSocket, type Socket } from "node:dgram";
import { constants } from "node:os";
import { Errno, parseEndpoint, type DatagramTransport } from "@chrony/protocol";
import { Inbox } from "./inbox.js";

interface UdpSocket {
  readonly socket: Socket;
  readonly inbox: Inbox;
  /** Datagrams sent before `connect()` completed, sent once it has. */
  pending: Buffer[] | null;
}

/** The errno of a Node system error, or `EPROTO` when it carries none. */
function errnoOf(error: unknown): number {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  const number = code ? (constants.errno as Record<string, number | undefined>)[code] : undefined;
  return number ?? Errno.EPROTO;
}

/** UDP sockets to chronyd's command port (`host`, `host:port`, `[v6]:port`; port 323 by default). */
export class UdpTransport implements DatagramTransport {
  private readonly sockets = new Map<number, UdpSocket>();
  private nextHandle = 0;

  open(address: string): number {
    const endpoint = parseEndpoint(address);
    if (endpoint?.kind !== "udp") return -Errno.EINVAL;
    const socket = createSocket(endpoint.family === 6 ? "udp6" : "udp4");
    const entry: UdpSocket = { socket, inbox: new Inbox(), pending: [] };
    socket.on("message", (message) => entry.inbox.push(message));
    // Errors of a connected socket (ECONNREFUSED from ICMP) are delivered as the next receive's result.
    socket.on("error", (error) => entry.inbox.fail(errnoOf(error)));
    socket.connect(endpoint.port, endpoint.host, () => {
      const queued = entry.pending ?? [];
      entry.pending = null;
      for (const datagram of queued) this.transmit(entry, datagram);
    });
    // A socket waiting for chronyd does not keep the process alive; a query's own timer does.
    socket.unref();
    const handle = this.nextHandle++;
    this.sockets.set(handle, entry);
    return handle;
  }

  send(handle: number, datagram: Uint8Array): number {
    const entry = this.sockets.get(handle);
    if (!entry) return Errno.EBADF;
    // The caller reuses its buffer: send a copy.
    const copy = Buffer.from(datagram);
    if (entry.pending) entry.pending.push(copy);
    else this.transmit(entry, copy);
    return 0;
  }

  receive(handle: number, buffer: Uint8Array): number {
    const entry = this.sockets.get(handle);
    return entry ? entry.inbox.take(buffer) : -Errno.EBADF;
  }

  waitReadable(handle: number, timeoutMs: number): boolean | Promise<boolean> {
    const entry = this.sockets.get(handle);
    // An unknown handle is "readable" at once, as poll() reports POLLNVAL; the read then fails.
    return entry ? entry.inbox.wait(timeoutMs) : true;
  }

  close(handle: number): void {
    const entry = this.sockets.get(handle);
    if (!entry) return;
    this.sockets.delete(handle);
    entry.inbox.close();
    entry.socket.close();
  }

  private transmit(entry: UdpSocket, datagram: Buffer): void {
    entry.socket.send(datagram, (error) => {
      if (error) entry.inbox.fail(errnoOf(error));
    });
  }
}
