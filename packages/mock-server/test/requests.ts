/** Building request datagrams as chronyc and libchrony do. */
import { PROTOCOL } from "@chrony/fields";
import * as protocol from "@chrony/protocol";

/** A protocol-6 request: header, argument at offset 20, zero padding up to `length`. */
export function request(command: number, length: number, options: { sequence?: number; version?: number; index?: number; address?: string } = {}): Uint8Array {
  const bytes = new Uint8Array(Math.max(length, PROTOCOL.requestHeaderLength + 20));
  const view = new DataView(bytes.buffer);
  view.setUint8(0, options.version ?? PROTOCOL.version);
  view.setUint8(1, PROTOCOL.requestType);
  view.setUint16(4, command);
  view.setUint32(8, options.sequence ?? 0x12345678);
  if (options.index !== undefined) view.setUint32(PROTOCOL.requestHeaderLength, options.index);
  if (options.address !== undefined) {
    const wire = protocol.parseIpAddress(options.address)!;
    bytes.set(wire.bytes, PROTOCOL.requestHeaderLength);
    view.setUint16(PROTOCOL.requestHeaderLength + 16, wire.family);
  }
  return bytes.subarray(0, length);
}
