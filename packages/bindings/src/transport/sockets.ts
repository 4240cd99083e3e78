/**
 * The sockets of the pure-TypeScript backend: UDP through `node:dgram`,
 * Unix datagram sockets through the native transport, chosen per address.
 *
 * @module
 */
import { Errno, parseEndpoint, type DatagramTransport } from "@chrony/protocol";
import { UdpTransport } from "./udp.js";

/** Routes each socket to the transport for its address kind; handles are its own. */
export class ChronydSockets implements DatagramTransport {
  private readonly routes = new Map<number, { readonly transport: DatagramTransport; readonly inner: number }>();
  private nextHandle = 0;

  constructor(
    private readonly udp: DatagramTransport = new UdpTransport(),
    private readonly unix: DatagramTransport | null = null,
  ) {}

  open(address: string): number {
    const endpoint = parseEndpoint(address);
    if (!endpoint) return -Errno.EINVAL;
    const transport = endpoint.kind === "udp" ? this.udp : this.unix;
    if (!transport) return -Errno.EAFNOSUPPORT;
    const inner = transport.open(address);
    if (inner < 0) return inner;
    const handle = this.nextHandle++;
    this.routes.set(handle, { transport, inner });
    return handle;
  }

  send(handle: number, datagram: Uint8Array): number {
    const route = this.routes.get(handle);
    return route ? route.transport.send(route.inner, datagram) : Errno.EBADF;
  }

  receive(handle: number, buffer: Uint8Array): number {
    const route = this.routes.get(handle);
    return route ? route.transport.receive(route.inner, buffer) : -Errno.EBADF;
  }

  waitReadable(handle: number, timeoutMs: number): boolean | Promise<boolean> {
    const route = this.routes.get(handle);
    return route ? route.transport.waitReadable(route.inner, timeoutMs) : true;
  }

  close(handle: number): void {
    const route = this.routes.get(handle);
    if (!route) return;
    this.routes.delete(handle);
    route.transport.close(route.inner);
  }
}
