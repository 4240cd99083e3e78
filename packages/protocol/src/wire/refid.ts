/**
 * chronyd's reference IDs (util.c `UTI_IPToRefid`, refclock.c): an IPv4
 * address as its 32-bit number, an IPv6 address as the first four bytes of
 * the MD5 hash of its 16 bytes, a reference clock's name as up to four
 * ASCII bytes.
 */
import { createHash } from "node:crypto";
import { isIPv4 } from "node:net";
import { parseIpAddress } from "./address.js";

/** The reference ID chronyd gives a source of this address or reference-clock name. */
export function referenceIdOf(address: string): number {
  if (isIPv4(address)) return address.split(".").reduce((id, octet) => id * 256 + Number(octet), 0);
  const ip = parseIpAddress(address);
  if (ip) return createHash("md5").update(ip.bytes).digest().readUInt32BE(0);
  const bytes = Buffer.alloc(4);
  bytes.write(address, "latin1");
  return bytes.readUInt32BE(0);
}
