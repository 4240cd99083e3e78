import { AuthMode, LeapStatus, SourceState } from "@chrony/fields";
import {
  Activity,
  AuthData,
  ChronyDataError,
  NtpData,
  RTCData,
  SelectData,
  ServerStats,
  Smoothing,
  Source,
  SourceStats,
  TrackingStatus,
} from "@chrony/bindings";
import { describe, expect, it } from "vitest";
import {
  makeActivity,
  makeAuthData,
  makeNtpData,
  makeRtcData,
  makeSelectData,
  makeServerStats,
  makeSmoothing,
  makeSource,
  makeSourceStats,
  makeTracking,
  withMockChrony,
} from "../src/index.js";

/** Every factory: its model class and a field that must be a finite, non-negative number or a known value. */
const FACTORIES = [
  { make: makeTracking, model: TrackingStatus, bad: { stratum: 16 }, field: "stratum" },
  { make: makeSource, model: Source, bad: { reachability: 256 }, field: "reachability" },
  { make: makeSourceStats, model: SourceStats, bad: { stdDev: -1 }, field: "stdDev" },
  { make: makeRtcData, model: RTCData, bad: { freqOffset: Number.NaN }, field: "freqOffset" },
  { make: makeSelectData, model: SelectData, bad: { state: 0x21 }, field: "state" },
  { make: makeActivity, model: Activity, bad: { onlineSources: -1 }, field: "onlineSources" },
  { make: makeAuthData, model: AuthData, bad: { mode: 9 }, field: "mode" },
  { make: makeNtpData, model: NtpData, bad: { rootDelay: Number.POSITIVE_INFINITY }, field: "rootDelay" },
  { make: makeServerStats, model: ServerStats, bad: { droppedNtpRequests: -1n }, field: "droppedNtpRequests" },
  { make: makeSmoothing, model: Smoothing, bad: { remainingTime: -5 }, field: "remainingTime" },
] as const;

describe("every factory", () => {
  for (const { make, model, bad, field } of FACTORIES) {
    const name = model.name;
    const build = make as (overrides?: object) => object;

    it(`${name}: a frozen instance of the real model`, () => {
      const value = build();
      expect(value).toBeInstanceOf(model);
      expect(Object.isFrozen(value)).toBe(true);
    });

    it(`${name}: an invalid value throws ChronyDataError naming ${field}`, () => {
      expect(() => build(bad)).toThrow(ChronyDataError);
      expect(() => build(bad)).toThrow(expect.objectContaining({ field }));
    });

    it(`${name}: an unknown field or a wrong type throws ChronyDataError naming it`, () => {
      expect(() => build({ nonsense: 1 })).toThrow(expect.objectContaining({ name: "ChronyDataError", field: "nonsense" }));
      expect(() => build({ [field]: "12" })).toThrow(expect.objectContaining({ name: "ChronyDataError", field }));
      expect(() => build({ [field]: null })).toThrow(expect.objectContaining({ name: "ChronyDataError", field }));
    });
  }
});

describe("defaults are what the mock serves for the same host", () => {
  it("tracking, source, sourcestats, selectdata, ntpdata, activity match SCENARIO_NTP_SYNCED read through the mock", async () => {
    await withMockChrony("ntp-synced", async (chrony) => {
      const close = (made: object, read: object) => {
        for (const [key, value] of Object.entries(read)) {
          const mine = (made as Record<string, unknown>)[key];
          // The wire carries 32-bit floats: equal to 7 significant digits.
          if (typeof value === "number") expect(Math.abs((mine as number) - value), key).toBeLessThanOrEqual(1e-6 * Math.max(1, Math.abs(value)));
          else expect(mine, key).toEqual(value);
        }
      };
      close(makeTracking(), await chrony.getTracking());
      close(makeSource(), (await chrony.getSources())[0]!);
      close(makeSourceStats(), (await chrony.getSourceStats())[0]!);
      close(makeSelectData(), (await chrony.getSelectData())[0]!);
      close(makeNtpData(), (await chrony.getNtpData())[0]!);
      close(makeActivity(), await chrony.getActivity());
    });
  });

  it("rtcdata and smoothing match their presets", async () => {
    await withMockChrony("rtc-available", async (chrony) => {
      const rtc = (await chrony.getRtcData())!;
      expect(makeRtcData().freqOffset).toBeCloseTo(rtc.freqOffset, 3);
      expect(makeRtcData().refTimeExact).toEqual(rtc.refTimeExact);
    });
    await withMockChrony("smoothing-active", async (chrony) => {
      const smoothing = (await chrony.getSmoothing())!;
      expect(makeSmoothing().isActive()).toBe(smoothing.isActive());
      expect(makeSmoothing()).toMatchObject({ flags: smoothing.flags, active: smoothing.active, leapOnly: smoothing.leapOnly });
      expect(makeSmoothing().freqOffset).toBeCloseTo(smoothing.freqOffset, 6);
      expect(makeSmoothing().remainingTime).toBeCloseTo(smoothing.remainingTime, 5);
    });
  });
});

describe("overrides", () => {
  it("are typed and applied; helpers see them", () => {
    const tracking = makeTracking({ leapStatus: LeapStatus.INSERT_SECOND });
    expect(tracking.isLeapPending()).toBe(true);
    expect(tracking.isSynchronized()).toBe(true);
    expect(makeTracking({ referenceId: 0, stratum: 0 }).isSynchronized()).toBe(false);
    expect(makeSource({ state: SourceState.FALSETICKER }).isSelected()).toBe(false);
    expect(makeSource({ reachability: 0 }).isReachable()).toBe(false);
    expect(makeSourceStats({ samples: 3 }).hasSufficientSamples()).toBe(false);
    expect(makeRtcData({ samples: 0 }).isCalibrated()).toBe(false);
    expect(makeSelectData({ state: 0x78 }).stateSymbol()).toBe("x");
    expect(makeActivity({ offlineSources: 2 }).totalSources()).toBe(3);
    expect(makeAuthData({ mode: AuthMode.NTS, keyType: 15, keyLength: 256, cookies: 8 }).isAuthenticated()).toBe(true);
    expect(makeNtpData({ flags: 0 }).passedAllTests()).toBe(false);
    expect(makeServerStats({ receivedNtpRequests: 2n ** 60n }).receivedNtpRequests).toBe(2n ** 60n);
    expect(makeServerStats({ servedKernelRxTimestamps: 5n }).servedKernelRxTimestamps).toBe(5n);
    expect(makeSmoothing({ flags: 0 }).isActive()).toBe(false);
  });

  it("keep derived fields consistent unless both are given", () => {
    const t = makeTracking({ referenceId: 0x47505300 });
    expect(t.referenceIdName).toBe("GPS");
    expect(makeTracking({ refTime: 1700000000.5 }).refTimeExact).toEqual({ sec: 1700000000n, nsec: 500000000 });
    expect(makeTracking({ refTimeExact: { sec: 1600000000n, nsec: 250000000 } }).refTime).toBe(1600000000.25);
    expect(makeNtpData({ referenceId: 0x7f000001 }).referenceIdName).toBe("127.0.0.1");
    expect(makeRtcData({ refTime: 10 }).refTimeExact).toEqual({ sec: 10n, nsec: 0 });
    expect(makeTracking({ referenceId: 1, referenceIdName: "custom" }).referenceIdName).toBe("custom");
    // Smoothing's booleans and flags follow each other.
    expect(makeSmoothing({ flags: 3 })).toMatchObject({ flags: 3, active: true, leapOnly: true });
    expect(makeSmoothing({ flags: 0 })).toMatchObject({ flags: 0, active: false, leapOnly: false });
    expect(makeSmoothing({ active: false })).toMatchObject({ flags: 0, active: false, leapOnly: false });
    expect(makeSmoothing({ leapOnly: true })).toMatchObject({ flags: 3, active: true, leapOnly: true });
    expect(makeSmoothing({ leapOnly: true }).isLeapOnly()).toBe(true);
    expect(() => makeSmoothing({ flags: 0, active: true })).toThrow(expect.objectContaining({ name: "ChronyDataError", field: "active" }));
  });

  it("reject what the model rejects, as a bad value from chronyd", () => {
    expect(() => makeTracking({ leapStatus: 7 as LeapStatus })).toThrow(/TrackingStatus\.leapStatus: 7/);
    expect(() => makeTracking({ offset: Number.NaN })).toThrow(expect.objectContaining({ field: "offset" }));
    expect(() => makeTracking({ refTime: -1 })).toThrow(expect.objectContaining({ field: "refTime" }));
    expect(() => makeTracking({ refTimeExact: { sec: 1, nsec: 0 } as never })).toThrow(expect.objectContaining({ field: "refTimeExact" }));
    expect(() => makeNtpData({ kernelTransmitTimestamps: null })).not.toThrow();
    expect(() => makeServerStats({ receivedNtpRequests: 5 as never })).toThrow(expect.objectContaining({ field: "receivedNtpRequests" }));
  });

  it("ignore undefined values", () => {
    expect(makeTracking({ stratum: undefined }).stratum).toBe(2);
  });
});
