import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { decodeField, decodeFloat, encodeField, encodeFloat, formatAddress, parseIpAddress, writeAddress } from "../src/index.js";

describe("chronyd's wire float (util.c UTI_FloatHostToNetwork, message.c get_field_float)", () => {
  it("encodes exact values exactly", () => {
    for (const value of [0, 1, -1, 0.5, 2000, 4, -0.25, 64, 1024]) expect(decodeFloat(encodeFloat(value))).toBe(value);
  });

  it("keeps about 24 bits: relative error within 2^-23 below the 2^62 ceiling", () => {
    fc.assert(
      fc.property(fc.double({ min: -4e18, max: 4e18, noNaN: true }).filter((x) => Math.abs(x) > 1e-15), (x) => {
        expect(Math.abs(decodeFloat(encodeFloat(x)) - x)).toBeLessThanOrEqual(Math.abs(x) * 2 ** -23);
      }),
    );
  });

  it("is idempotent: a decoded value encodes to the same word", () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 0xffffffff }), (word) => {
      const value = decodeFloat(word);
      expect(decodeFloat(encodeFloat(value))).toBe(value);
    }));
  });

  it("sends NaN as zero, and saturates beyond 1e100 as chronyd does", () => {
    expect(encodeFloat(NaN)).toBe(0);
    expect(decodeFloat(encodeFloat(1e-101))).toBe(0);
    expect(decodeFloat(encodeFloat(1e101))).toBe((2 ** 24 - 1) * 2 ** (63 - 25));
    expect(decodeFloat(encodeFloat(-1e101))).toBe(-(2 ** 24) * 2 ** (63 - 25));
  });

});

describe("addresses as libchrony prints them (inet_ntop, ID#%010u)", () => {
  const roundTrip = (text: string) => {
    const view = new DataView(new ArrayBuffer(20));
    writeAddress(view, 0, parseIpAddress(text)!);
    return formatAddress(view, 0);
  };

  it("formats IPv4 and canonical IPv6", () => {
    expect(roundTrip("192.0.2.1")).toBe("192.0.2.1");
    expect(roundTrip("2001:0db8:0000:0000:0000:0000:0000:0001")).toBe("2001:db8::1");
    expect(roundTrip("::1")).toBe("::1");
    expect(roundTrip("::")).toBe("::");
    expect(roundTrip("2001:db8:0:1:0:0:0:1")).toBe("2001:db8:0:1::1");
    expect(roundTrip("2001:db8:0:0:1:0:0:1")).toBe("2001:db8::1:0:0:1");
    expect(roundTrip("2001:db8:1:1:1:1:0:1")).toBe("2001:db8:1:1:1:1:0:1");
    expect(roundTrip("::ffff:192.0.2.1")).toBe("::ffff:192.0.2.1");
    expect(roundTrip("::192.0.2.1")).toBe("::192.0.2.1");
    expect(roundTrip("::5")).toBe("::5");
  });

  it("prints every IPv4 address byte by byte, one after another", () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(255), fc.nat(255), fc.nat(255), fc.nat(255)), { minLength: 1, maxLength: 5 }), (addresses) => {
        for (const bytes of addresses) expect(roundTrip(bytes.join("."))).toBe(bytes.join("."));
      }),
    );
  });

  it("prints IDs, unknown families and the unspecified address as libchrony does", () => {
    const view = new DataView(new ArrayBuffer(20));
    view.setUint32(0, 42);
    view.setUint16(16, 3);
    expect(formatAddress(view, 0)).toBe("ID#0000000042");
    view.setUint16(16, 9);
    expect(formatAddress(view, 0)).toBe("?");
    view.setUint16(16, 0);
    expect(formatAddress(view, 0)).toBeNull();
  });

  it("rejects names: only numeric addresses parse", () => {
    expect(parseIpAddress("localhost")).toBeNull();
    expect(parseIpAddress("GPS")).toBeNull();
  });
});

describe("field codec", () => {
  it("wraps a bigint beyond 2^53 to a 32-bit field exactly, as C's conversion does", () => {
    const view = new DataView(new ArrayBuffer(4));
    encodeField(view, 0, "uint32", 2n ** 60n + 0x12345679n);
    expect(decodeField(view, 0, "uint32")).toBe(0x12345679);
    encodeField(view, 0, "uint32", 2 ** 32 + 5);
    expect(decodeField(view, 0, "uint32")).toBe(5);
  });
});
