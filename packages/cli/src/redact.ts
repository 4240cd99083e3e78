/**
 * Redaction of a captured state: every address replaced, consistently, by
 * a documentation address (192.0.2.0/24, then 198.51.100.0/24 and
 * 203.0.113.0/24 for IPv4; 2001:db8::/32 for IPv6), and every reference ID
 * derived from a replaced address recomputed, so the capture still
 * describes a consistent chronyd. Loopback and reference-clock names stay.
 *
 * @module
 */
import { isIP, isIPv4 } from "node:net";
import { referenceIdOf } from "@chrony/protocol";

const IPV4_BLOCKS = ["192.0.2", "198.51.100", "203.0.113"];

/** A consistent mapping of real addresses to documentation ones. */
class Redactor {
  readonly #map = new Map<string, string>();
  #v4 = 0;
  #v6 = 0;

  address(address: string): string {
    if (!isIP(address) || isLoopback(address)) return address;
    let replaced = this.#map.get(address);
    if (replaced === undefined) {
      if (isIPv4(address)) {
        const n = this.#v4++;
        if (n >= IPV4_BLOCKS.length * 254) throw new RangeError("more IPv4 addresses than the documentation ranges hold");
        replaced = `${IPV4_BLOCKS[Math.floor(n / 254)]}.${(n % 254) + 1}`;
      } else {
        replaced = `2001:db8::${(++this.#v6).toString(16)}`;
      }
      this.#map.set(address, replaced);
    }
    return replaced;
  }

  /**
   * A reference ID: the one of the replacement when it is a known address's
   * (IPv6 ones are hashes that only the address explains); an IPv4-looking
   * one of an unknown host is replaced too.
   */
  referenceId(id: number, known: readonly string[]): number {
    for (const original of known) if (isIP(original) && referenceIdOf(original) === id) return referenceIdOf(this.address(original));
    const bytes = [id >>> 24, (id >>> 16) & 0xff, (id >>> 8) & 0xff, id & 0xff];
    // Reference clocks' IDs are ASCII names ("GPS", "PPS"); anything else is a host's address or hash.
    const isName = bytes.every((b) => b === 0 || (b >= 0x20 && b < 0x7f)) && bytes[0] !== 0;
    if (isName || id === 0 || isLoopback(bytes.join("."))) return id;
    return referenceIdOf(this.address(bytes.join(".")));
  }
}

function isLoopback(address: string): boolean {
  return address === "::1" || address.startsWith("127.");
}

type Config = Record<string, unknown>;

/** A copy of the state with addresses and their reference IDs redacted. */
export function redactState(state: Config): Config {
  const redactor = new Redactor();
  const original = (state.sources as Config[] | undefined) ?? [];
  const tracking = state.tracking ? { ...(state.tracking as Config) } : undefined;
  // Every address the state names, so that reference IDs derived from one follow its replacement.
  const known = [...original.map((s) => s.address as string), ...(typeof tracking?.referenceIp === "string" ? [tracking.referenceIp] : [])];
  const sources = original.map((source) => {
    const copy: Config = { ...source, address: redactor.address(source.address as string) };
    if (typeof copy.referenceId === "number") copy.referenceId = redactor.referenceId(copy.referenceId, [source.address as string]);
    if (copy.ntpdata) {
      const ntp = { ...(copy.ntpdata as Config) };
      if (typeof ntp.localAddress === "string") ntp.localAddress = redactor.address(ntp.localAddress);
      if (typeof ntp.referenceId === "number") ntp.referenceId = redactor.referenceId(ntp.referenceId, known);
      copy.ntpdata = ntp;
    }
    return copy;
  });
  if (tracking && typeof tracking.referenceIp === "string") tracking.referenceIp = redactor.address(tracking.referenceIp);
  if (tracking && typeof tracking.referenceId === "number") tracking.referenceId = redactor.referenceId(tracking.referenceId, known);
  return { ...state, ...(tracking ? { tracking } : {}), sources };
}
