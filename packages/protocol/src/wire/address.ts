/**
 * candm.h's `IPAddr`: 16 bytes of address, a 16-bit family, 16 bits of
 * padding; and the textual forms libchrony produces from it (message.c
 * `get_field_string`).
 */
import { AddressFamily } from "@chrony/fields";
import { isIPv4, isIPv6 } from "node:net";

/** An address as chronyd sends it. */
export interface WireAddress {
  readonly family: AddressFamily;
  /** 16 bytes; IPv4 and IDs use the first four, in network order. */
  readonly bytes: Uint8Array;
}

export const ADDRESS_LENGTH = 20;

/** The unspecified address: reference clocks' sourcestats, an unsynchronized tracking report. */
export const UNSPECIFIED_ADDRESS: WireAddress = Object.freeze({ family: AddressFamily.UNSPEC, bytes: new Uint8Array(16) });

/** An address whose first four bytes hold a 32-bit number (IPv4, or a reference ID / unresolved-source ID). */
export function wordAddress(family: AddressFamily, word: number): WireAddress {
  const bytes = new Uint8Array(16);
  new DataView(bytes.buffer).setUint32(0, word >>> 0);
  return { family, bytes };
}

/** Parses a numeric IPv4 or IPv6 address; `null` for anything else. */
export function parseIpAddress(text: string): WireAddress | null {
  if (isIPv4(text)) {
    const bytes = new Uint8Array(16);
    text.split(".").forEach((octet, i) => (bytes[i] = Number(octet)));
    return { family: AddressFamily.INET4, bytes };
  }
  if (isIPv6(text)) return { family: AddressFamily.INET6, bytes: parseIPv6(text) };
  return null;
}

function parseIPv6(text: string): Uint8Array {
  // An embedded dotted quad ends the address (e.g. ::ffff:192.0.2.1): turn it into two groups.
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  let groupsText = text;
  if (dotted) {
    const [a, b, c, d] = dotted[1]!.split(".").map(Number) as [number, number, number, number];
    groupsText = `${text.slice(0, dotted.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head = "", tail] = groupsText.split("::") as [string, string | undefined];
  const headGroups = head ? head.split(":") : [];
  const tailGroups = tail ? tail.split(":") : [];
  const zeros = tail === undefined ? [] : new Array<string>(8 - headGroups.length - tailGroups.length).fill("0");
  const groups = [...headGroups, ...zeros, ...tailGroups];
  const bytes = new Uint8Array(16);
  const view = new DataView(bytes.buffer);
  groups.forEach((group, i) => view.setUint16(i * 2, parseInt(group, 16)));
  return bytes;
}

/** Writes an address at `offset`. */
export function writeAddress(view: DataView, offset: number, address: WireAddress): void {
  new Uint8Array(view.buffer, view.byteOffset + offset, 16).set(address.bytes);
  view.setUint16(offset + 16, address.family);
  view.setUint16(offset + 18, 0);
}

/** Reads the address at `offset` (a copy of its 16 bytes and its family). */
export function readAddress(view: DataView, offset: number): WireAddress {
  const start = view.byteOffset + offset;
  return { family: view.getUint16(offset + 16) as AddressFamily, bytes: new Uint8Array(view.buffer.slice(start, start + 16)) };
}

/** libchrony's text for an address: inet_ntop for IP, `ID#%010u` for IDs, `?` for unknown families, `null` when unspecified. */
export function formatAddress(view: DataView, offset: number): string | null {
  switch (view.getUint16(offset + 16)) {
    case AddressFamily.UNSPEC:
      return null;
    case AddressFamily.INET4:
      return ipv4Text(view.getUint32(offset));
    case AddressFamily.INET6:
      return formatIPv6(view, offset);
    case AddressFamily.ID:
      return `ID#${view.getUint32(offset).toString().padStart(10, "0")}`;
    default:
      return "?";
  }
}

/** The last IPv4 address formatted: a source's address is read again with every report. */
let lastIPv4 = { word: -1, text: "" };

function ipv4Text(word: number): string {
  if (word !== lastIPv4.word) lastIPv4 = { word, text: `${word >>> 24}.${(word >>> 16) & 0xff}.${(word >>> 8) & 0xff}.${word & 0xff}` };
  return lastIPv4.text;
}

/** inet_ntop's IPv6 text (RFC 5952 compression of the longest run of two or more zero groups; IPv4-mapped as dotted quad). */
function formatIPv6(view: DataView, offset: number): string {
  const groups = Array.from({ length: 8 }, (_, i) => view.getUint16(offset + i * 2));
  const isMapped = groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff;
  // glibc prints the dotted form only when the zero run is exactly the first six (or five + ffff) groups.
  const isCompat = groups.slice(0, 6).every((g) => g === 0) && groups[6] !== 0;
  if (isMapped || isCompat) {
    const quad = [12, 13, 14, 15].map((i) => view.getUint8(offset + i)).join(".");
    return isMapped ? `::ffff:${quad}` : `::${quad}`;
  }
  let bestStart = -1;
  let bestLength = 1;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLength) {
      bestStart = i;
      bestLength = j - i;
    }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestStart < 0) return hex.join(":");
  return `${hex.slice(0, bestStart).join(":")}::${hex.slice(bestStart + bestLength).join(":")}`;
}

/** Whether an address on the wire (16 bytes and family at `offset` of `bytes`) is `address`. */
export function sameWireAddress(address: WireAddress, bytes: Uint8Array, offset = 0): boolean {
  if (bytes.length < offset + ADDRESS_LENGTH) return false;
  if (((bytes[offset + 16]! << 8) | bytes[offset + 17]!) !== address.family) return false;
  for (let i = 0; i < 16; i++) if (bytes[offset + i] !== address.bytes[i]) return false;
  return true;
}
