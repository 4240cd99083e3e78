/**
 * Addresses of chronyd's command port as libchrony's `chrony_open_socket()`
 * reads them (socket.c): a Unix socket path, or a numeric IP address with
 * an optional port.
 *
 * @module
 */
import { isIPv4, isIPv6 } from "node:net";
import { PROTOCOL } from "@chrony/fields";

/** Where a command socket connects to. */
export type Endpoint =
  | { readonly kind: "unix"; readonly path: string }
  | { readonly kind: "udp"; readonly host: string; readonly port: number; readonly family: 4 | 6 };

/** chronyd's Unix socket path that libchrony tries first when given no address. */
export const LIBCHRONY_SOCKET_PATH = "/var/run/chrony/chronyd.sock";

/**
 * Parses `/path`, `192.0.2.1`, `192.0.2.1:323`, `2001:db8::1` or
 * `[2001:db8::1]:323`; `null` where libchrony fails with `EINVAL`. As in
 * socket.c, one colon or a bracketed address with three or more colons
 * separates a port, and the port defaults to 323.
 */
export function parseEndpoint(address: string): Endpoint | null {
  if (address.startsWith("/")) return { kind: "unix", path: address };
  let host = address;
  let port: number = PROTOCOL.defaultPort;
  const colons = address.split(":").length - 1;
  if (colons === 1 || (colons >= 3 && address.startsWith("["))) {
    const at = address.lastIndexOf(":");
    if (at <= 0 || at === address.length - 1) return null;
    host = colons >= 3 && address[at - 1] === "]" ? address.slice(1, at - 1) : address.slice(0, at);
    const portText = address.slice(at + 1);
    if (!/^\d{1,5}$/.test(portText)) return null;
    port = Number(portText);
    if (port > 65535) return null;
  }
  if (isIPv4(host)) return { kind: "udp", host, port, family: 4 };
  // inet_pton() takes no zone index.
  if (isIPv6(host) && !host.includes("%")) return { kind: "udp", host, port, family: 6 };
  return null;
}
