import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { LeapStatus, SelectState, SourceMode, SourceState } from "@chrony/fields";
import { ChronyConfigError, MockChronySession, normalizeState, referenceIdOf, type ChronyStateConfig } from "../src/index.js";

const rejects = (config: unknown) => {
  try {
    new MockChronySession(config as ChronyStateConfig);
  } catch (error) {
    if (error instanceof ChronyConfigError) return { path: error.path, allowed: error.allowed, message: error.message };
    throw error;
  }
  throw new Error("accepted");
};

describe("validation names the exact path and what is allowed", () => {
  it.each([
    { config: { sources: [{}, {}, { reachability: 300 }] }, path: "sources[2].reachability", allowed: "an integer from 0 to 255" },
    { config: { tracking: { stratum: 16 } }, path: "tracking.stratum", allowed: "an integer from 0 to 15" },
    { config: { tracking: { offset: NaN } }, path: "tracking.offset", allowed: "a finite number from -4611685743549480960 to 4611685743549480960 (chronyd's 32-bit wire float)" },
    { config: { tracking: { skew: -1 } }, path: "tracking.skew", allowed: "a finite number from 0 to 4611685743549480960 (chronyd's 32-bit wire float)" },
    { config: { tracking: { leapStatus: 4 } }, path: "tracking.leapStatus", allowed: "one of 0, 1, 2, 3" },
    { config: { sources: [{ state: "selected" }] }, path: "sources[0].state", allowed: "one of 0, 1, 2, 3, 4, 5" },
    { config: { trackin: {} }, path: "trackin", allowed: "one of the keys serverVersion, tracking, sources, rtc, smoothing, activity, serverstats, timeline" },
    { config: { sources: [{ ntpdata: { flags: 0x10000 } }] }, path: "sources[0].ntpdata.flags", allowed: "a combination of the bits 0xc3ff" },
    { config: { sources: [{ address: "gps.example.com" }] }, path: "sources[0].address", allowed: "an IPv4 or IPv6 address (no zone index), or a reference clock name of 1 to 4 printable characters" },
    { config: { serverVersion: "5.0" }, path: "serverVersion", allowed: 'a chronyd version "major.minor" from "3.0" to "4.99"' },
    { config: { serverstats: { receivedNtpRequests: 2n ** 64n } }, path: "serverstats.receivedNtpRequests", allowed: "an integer from 0 to 2^64-1" },
    { config: { rtc: { refTime: { sec: 1, nsec: 1e9 } } }, path: "rtc.refTime.nsec", allowed: "an integer from 0 to 999999999" },
    { config: { rtc: { refTime: { sec: 1 } } }, path: "rtc.refTime.nsec", allowed: "a value" },
    // libchrony reads the seconds into a signed time_t: 2^63 would read back negative.
    { config: { tracking: { refTime: { sec: 2n ** 63n, nsec: 0 } } }, path: "tracking.refTime.sec", allowed: "an integer from 0 to 2^63-1" },
    { config: { tracking: { refTime: 2 ** 63 } }, path: "tracking.refTime", allowed: "seconds since the epoch (a finite number ≥ 0 and below 2^63)" },
    { config: { tracking: { refTime: { seconds: 1, nanoseconds: 0 } } }, path: "tracking.refTime.seconds", allowed: "one of the keys sec, nsec" },
    { config: { activity: { online: 1 } }, path: "activity.online", allowed: "one of the keys onlineSources, offlineSources, burstOnlineReturnSources, burstOfflineReturnSources, unresolvedSources" },
    { config: { sources: "none" }, path: "sources", allowed: "an array of at most 1024 entries" },
  ])("rejects at $path", ({ config, path, allowed }) => {
    const error = rejects(config);
    expect(error.path).toBe(path);
    expect(error.allowed).toBe(allowed);
    // An unknown key is named in its object: `activity: unknown key "online" (expected …)`.
    const key = /^(.*)\.(\w+)$/.exec(path);
    if (allowed.startsWith("one of the keys")) expect(error.message).toContain(`${key ? key[1] : "config"}: unknown key "${key ? key[2] : path}"`);
    else expect(error.message).toContain(path);
  });

  it("rejects a reference clock with an IP address and an NTP source with a name", () => {
    expect(rejects({ sources: [{ address: "192.0.2.1", mode: SourceMode.REFERENCE_CLOCK }] }).path).toBe("sources[0].address");
    expect(rejects({ sources: [{ address: "PPS", mode: SourceMode.CLIENT }] }).path).toBe("sources[0].address");
  });

  it("rejects a reference clock whose reference ID is not its name, or with NTP-only records", () => {
    expect(rejects({ sources: [{ address: "GPS", referenceId: 0x50505300 }] })).toMatchObject({ path: "sources[0].referenceId" });
    expect(rejects({ sources: [{ address: "GPS", ntpdata: {} }] }).path).toBe("sources[0].ntpdata");
    expect(rejects({ sources: [{ address: "PPS", authdata: { mode: 0 } }] }).path).toBe("sources[0].authdata");
    expect(normalizeState({ sources: [{ address: "GPS", referenceId: 0x47505300 }] }).sources[0]!.referenceId).toBe(0x47505300);
    // An NTP source's reference ID is its own (it reads back from sourcestats and selectdata, not from the address).
    expect(normalizeState({ sources: [{ address: "192.0.2.1", referenceId: 7 }] }).sources[0]!.referenceId).toBe(7);
  });

  it("rejects a selectdata state that contradicts the source state (sources.c SRC_ReportSource)", () => {
    const error = rejects({ sources: [{ state: SourceState.SELECTED, selectdata: { state: SelectState.FALSETICKER } }] });
    expect(error.path).toBe("sources[0].selectdata.state");
  });

  it("accepts every config or rejects it with a ChronyConfigError, never anything else", { timeout: 60_000 }, () => {
    const number = fc.oneof(fc.integer(), fc.double(), fc.constant(NaN), fc.bigInt(), fc.constantFrom(0, 1, 2, 255, 65535, -1));
    // Mostly plausible values, so that a good share of configs is valid and both outcomes are exercised.
    const value = fc.oneof(
      { weight: 6, arbitrary: fc.constantFrom(0, 1, 2) },
      { weight: 1, arbitrary: fc.oneof(number, fc.boolean(), fc.string(), fc.constant(null), fc.constantFrom("192.0.2.1", "2001:db8::1", "GPS")) },
    );
    const address = fc.oneof({ weight: 3, arbitrary: fc.constantFrom("192.0.2.1", "2001:db8::1", "GPS") }, { weight: 1, arbitrary: value });
    const source = fc.record(
      { address, mode: value, poll: value, stratum: value, state: value, reachability: value, latestMeas: value, sourcestats: fc.record({ samples: value, skew: value }, { requiredKeys: [] }), selectdata: fc.record({ state: value, score: value }, { requiredKeys: [] }), ntpdata: fc.record({ flags: value, mode: value }, { requiredKeys: [] }), authdata: fc.record({ mode: value, keyType: value }, { requiredKeys: [] }) },
      { requiredKeys: [] },
    );
    const known = fc.record(
      {
        serverVersion: fc.oneof(fc.constantFrom("4.3", "3.5", "4.8", "4.0"), fc.string()),
        tracking: fc.record({ stratum: value, leapStatus: value, offset: value, referenceIp: value, refTime: value }, { requiredKeys: [] }),
        sources: fc.array(source, { maxLength: 4 }),
        rtc: fc.oneof(fc.constant(null), fc.record({ samples: value, available: value }, { requiredKeys: [] })),
        smoothing: fc.oneof(fc.constant(null), fc.record({ active: value, offset: value }, { requiredKeys: [] })),
        serverstats: fc.record({ receivedNtpRequests: value }, { requiredKeys: [] }),
      },
      { requiredKeys: [] },
    );
    // An unknown key now and then.
    const config = fc.oneof({ weight: 4, arbitrary: known }, { weight: 1, arbitrary: fc.tuple(known, value).map(([c, extra]) => ({ ...c, extra })) });
    let accepted = 0;
    fc.assert(
      fc.property(config, (candidate) => {
        try {
          new MockChronySession(candidate as ChronyStateConfig);
          accepted++;
        } catch (error) {
          expect(error).toBeInstanceOf(ChronyConfigError);
          expect((error as ChronyConfigError).path).not.toBe("");
        }
      }),
      { numRuns: 2000 },
    );
    expect(accepted).toBeGreaterThan(5);
  });
});

describe("defaults: {} is a synchronized server, and reports agree with each other", () => {
  it("serves pychrony's defaults for an empty config", () => {
    const state = normalizeState({});
    expect(state.tracking).toMatchObject({ referenceId: 0x7f000001, referenceIp: "127.0.0.1", stratum: 2, leapStatus: LeapStatus.NORMAL, updateInterval: 64 });
    expect(state.sources).toEqual([]);
    expect(state.rtc).toBeNull();
    expect(state.smoothing).toBeNull();
  });

  it("makes tracking follow the selected source", () => {
    const state = normalizeState({ sources: [{ address: "192.0.2.7", state: SourceState.UNSELECTED }, { address: "GPS", stratum: 0 }] });
    expect(state.tracking).toMatchObject({ referenceId: 0x47505300, referenceIp: null, stratum: 1 });
    expect(state.sources.map((s) => s.selectdata.state)).toEqual([SelectState.COMBINED, SelectState.BEST]);
  });

  it("computes reference IDs as chronyd: IPv4 as a number, IPv6 by MD5, names in ASCII", () => {
    expect(referenceIdOf("192.0.2.1")).toBe(0xc0000201);
    expect(referenceIdOf("GPS")).toBe(0x47505300);
    expect(referenceIdOf("PPS")).toBe(0x50505300);
    // chronyd 4.3 reported reference ID CF404DC8 for ::1 (fixtures/…/full-c-unix.txt, sourcestats record 0).
    expect(referenceIdOf("::1").toString(16)).toBe("cf404dc8");
  });
});
