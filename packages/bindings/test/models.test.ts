/** The models' own rules: checks built once per model, frozen instances, reference ID names. */
import { AuthKeyType, AuthMode, LeapStatus } from "@chrony/fields";
import { describe, expect, it } from "vitest";
import { AuthData, ChronyDataError, referenceIdName, TrackingStatus, type ModelFields } from "../src/index.js";

const AUTH: ModelFields<AuthData> = {
  mode: AuthMode.NTS,
  keyType: AuthKeyType.AES128,
  keyId: 1,
  keyLength: 256,
  keyEstablishmentAttempts: 1,
  lastKeyEstablishmentAgo: 10,
  cookies: 8,
  cookieLength: 100,
  nak: false,
};

const TRACKING: ModelFields<TrackingStatus> = {
  referenceId: 0x7f000001,
  referenceIdName: "127.0.0.1",
  referenceIp: "127.0.0.1",
  stratum: 3,
  leapStatus: LeapStatus.NORMAL,
  refTime: 1_700_000_000.5,
  refTimeExact: { sec: 1_700_000_000n, nsec: 500_000_000 },
  offset: 1e-6,
  lastOffset: 2e-6,
  rmsOffset: 3e-6,
  frequency: -12.5,
  residualFreq: 0.01,
  skew: 0.2,
  rootDelay: 1e-3,
  rootDispersion: 2e-3,
  updateInterval: 16,
};

function rejection(build: () => unknown): ChronyDataError {
  try {
    build();
  } catch (error) {
    if (error instanceof ChronyDataError) return error;
    throw error;
  }
  throw new Error("expected a ChronyDataError");
}

describe("models", () => {
  it("are frozen, with every field given", () => {
    const tracking = new TrackingStatus(TRACKING);
    expect(Object.isFrozen(tracking)).toBe(true);
    expect({ ...tracking }).toEqual(TRACKING);
  });

  it("report the first rule broken, in the order the model lists them", () => {
    const error = rejection(() => new TrackingStatus({ ...TRACKING, stratum: 16, leapStatus: 9 as LeapStatus, skew: -1 }));
    expect(error.message).toBe("Invalid TrackingStatus.stratum: 16 must be an integer in 0..15");
    expect(rejection(() => new TrackingStatus({ ...TRACKING, leapStatus: 9 as LeapStatus, skew: -1 }))).toMatchObject({ field: "leapStatus", value: 9 });
    expect(rejection(() => new TrackingStatus({ ...TRACKING, skew: Number.POSITIVE_INFINITY }))).toMatchObject({ field: "skew" });
    expect(rejection(() => new TrackingStatus({ ...TRACKING, skew: -1 })).message).toBe("Invalid TrackingStatus.skew: -1 must be non-negative");
  });

  it("let 0 stand for an unset enum only where the model says so", () => {
    expect(new AuthData({ ...AUTH, keyType: 0 }).keyType).toBe(0);
    expect(rejection(() => new AuthData({ ...AUTH, keyType: 99 as AuthKeyType }))).toMatchObject({ field: "keyType", value: 99 });
    // mode has no such exception: 0 is AuthMode.NONE, a known value, and 9 is not.
    expect(new AuthData({ ...AUTH, mode: AuthMode.NONE }).mode).toBe(AuthMode.NONE);
    expect(rejection(() => new AuthData({ ...AUTH, mode: 9 as AuthMode }))).toMatchObject({ field: "mode", value: 9 });
  });
});

describe("referenceIdName", () => {
  it("reads printable IDs as ASCII without trailing NULs, others as a dotted quad, zero as empty", () => {
    expect(referenceIdName(0x47505300)).toBe("GPS");
    expect(referenceIdName(0x50505331)).toBe("PPS1");
    expect(referenceIdName(0x7f000001)).toBe("127.0.0.1");
    expect(referenceIdName(0xc0000201)).toBe("192.0.2.1");
    expect(referenceIdName(0x41004200)).toBe("65.0.66.0");
    expect(referenceIdName(0)).toBe("");
  });

  it("gives the same names however many different IDs came before", () => {
    const ids = Array.from({ length: 300 }, (_, i) => (0xc0000200 + i) >>> 0);
    const first = ids.map(referenceIdName);
    expect(ids.map(referenceIdName)).toEqual(first);
    expect(first[1]).toBe("192.0.2.1");
    expect(first[299]).toBe("192.0.3.43");
  });
});
