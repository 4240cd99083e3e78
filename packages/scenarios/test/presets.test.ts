/**
 * Every preset is valid, complete, deeply frozen and consistent across
 * reports — checked on the normalized state AND on what a libchrony client
 * reads through `new MockChronySession(preset).lib`.
 */
import { AuthMode, ChronyErr, LeapStatus, NtpFlag, NtpMode, SelectState, SourceMode, SourceState } from "@chrony/fields";
import { normalizeState, referenceIdOf, validateConfig, type ServerState } from "@chrony/mock-session";
import { describe, expect, it } from "vitest";
import * as api from "../src/index.js";
import { SCENARIOS, SCENARIO_NAMES, STATE_SPEC, isDeepFrozen, type ValueSpec } from "../src/index.js";
import { driveAll, type DrivenRecord, type DrivenReport } from "./driver.js";

type Source = ServerState["sources"][number];
const NEVER = 0xffffffff;
const LOCAL_REFID = 0x7f7f0101;

/** chronyd's 32-bit float keeps 24 bits of magnitude. */
const close = (actual: unknown, expected: number) => {
  const a = Number(actual);
  return Math.abs(a - expected) <= Math.abs(expected) * 1.2e-7 + 1e-300;
};
const expectClose = (actual: unknown, expected: number, what: string) =>
  expect(close(actual, expected), `${what}: ${String(actual)} ≉ ${expected}`).toBe(true);
const num = (value: unknown) => Number(value);


/** Every key of the table that a config lacks, as paths. */
function missingKeys(spec: ValueSpec, value: unknown, path: string, out: string[]): string[] {
  if (spec.kind === "object" && value !== null && typeof value === "object") {
    for (const [key, field] of Object.entries(spec.shape)) {
      const child = (value as Record<string, unknown>)[key];
      if (child === undefined) out.push(`${path}.${key}`);
      else missingKeys(field.spec, child, `${path}.${key}`, out);
    }
  } else if (spec.kind === "array" && Array.isArray(value)) {
    value.forEach((item, i) => missingKeys(spec.items, item, `${path}[${i}]`, out));
  }
  return out;
}

describe("the preset catalog", () => {
  it("exports a SCENARIO_* constant per SCENARIOS entry, and nothing else named so", () => {
    const constants = Object.keys(api).filter((k) => k.startsWith("SCENARIO_") && k !== "SCENARIO_NAMES");
    expect(constants.sort()).toEqual(SCENARIO_NAMES.map((n) => SCENARIOS[n].constant).sort());
    for (const name of SCENARIO_NAMES) {
      expect(SCENARIOS[name].name).toBe(name);
      expect(name).toMatch(/^[a-z0-9]+(?:-[a-z0-9]+)*$/);
      expect(SCENARIOS[name].constant).toBe(`SCENARIO_${name.toUpperCase().replaceAll("-", "_")}`);
      expect((api as Record<string, unknown>)[SCENARIOS[name].constant]).toBe(SCENARIOS[name].config);
      expect(SCENARIOS[name].description.length).toBeGreaterThan(10);
      expect(SCENARIOS[name].description).not.toContain("\n");
    }
  });

  it("includes pychrony's presets", () => {
    for (const c of ["NTP_SYNCED", "UNSYNC", "LEAP_INSERT", "LEAP_DELETE", "GPS_REFCLOCK", "PPS_REFCLOCK", "RTC_AVAILABLE", "RTC_UNAVAILABLE", "MULTI_SOURCE"]) {
      expect(api).toHaveProperty(`SCENARIO_${c}`);
    }
  });

  it("is deeply frozen", () => {
    expect(isDeepFrozen(SCENARIOS)).toBe(true);
    expect(() => {
      (SCENARIOS["ntp-synced"].config.tracking as { stratum: number }).stratum = 9;
    }).toThrow(TypeError);
  });
});

describe.each(SCENARIO_NAMES)("preset %s", (name) => {
  const config = SCENARIOS[name].config;
  const state = normalizeState(config);
  const selected = state.sources.filter((s) => s.state === SourceState.SELECTED);
  const { reports: driven, leaks } = driveAll(config);

  it("passes validateConfig and is deeply frozen", () => {
    expect(() => validateConfig(config)).not.toThrow();
    expect(isDeepFrozen(config)).toBe(true);
  });

  it("states every value (nothing left to mock-session's defaults)", () => {
    const missing = missingKeys(STATE_SPEC, config, "", []).filter((path) => {
      // A timeline is for presets that move (upstream-lost); "none" is a value of its own, and its events say only what changes.
      if (path.startsWith(".timeline")) return false;
      // Reference clocks have neither ntpdata nor authdata.
      const m = /^\.sources\[(\d+)\]\.(?:ntpdata|authdata)$/.exec(path);
      return !(m && config.sources![Number(m[1])]!.mode === SourceMode.REFERENCE_CLOCK);
    });
    expect(missing).toEqual([]);
  });

  it("keeps 64-bit counters as numbers below 2^53 (plain JSON numbers)", () => {
    for (const [key, value] of Object.entries(config.serverstats ?? {})) {
      expect(typeof value, key).toBe("number");
      expect(Number.isSafeInteger(value), key).toBe(true);
    }
  });

  it("has tracking that follows the selected source", () => {
    expect(selected.length).toBeLessThanOrEqual(1);
    const t = state.tracking;
    const source = selected[0];
    if (source) {
      expect(t.referenceId).toBe(source.referenceId);
      expect(t.referenceIp).toBe(source.isReferenceClock ? null : source.address);
      expect(t.stratum).toBe(source.stratum + 1);
      expect(t.stratum).toBeLessThanOrEqual(15);
      expect(t.leapStatus).not.toBe(LeapStatus.NOT_SYNCHRONIZED);
      expect(source.selectdata.leapStatus).toBe(t.leapStatus);
      if (source.ntpdata) {
        expect(source.ntpdata.leapStatus).toBe(t.leapStatus);
        expect(source.ntpdata.stratum).toBe(source.stratum);
      }
    } else if (t.referenceId === LOCAL_REFID) {
      expect(t.referenceIp).toBeNull();
      expect(t.leapStatus).toBe(LeapStatus.NORMAL);
    } else {
      expect(t).toMatchObject({ referenceId: 0, referenceIp: null, stratum: 0, leapStatus: LeapStatus.NOT_SYNCHRONIZED, residualFreq: 0, skew: 0 });
    }
  });

  it("has sources whose records agree with each other", () => {
    const addresses = state.sources.map((s) => s.address);
    expect(new Set(addresses).size).toBe(addresses.length);
    for (const s of state.sources) {
      const where = `${name} ${s.address}`;
      expect(s.referenceId, where).toBe(referenceIdOf(s.address));
      expect(s.isReferenceClock, where).toBe(s.mode === SourceMode.REFERENCE_CLOCK);
      if (s.selectdata.state === SelectState.NOT_SYNCHRONIZED) expect(s.selectdata.leapStatus, where).toBe(LeapStatus.NOT_SYNCHRONIZED);
      if (s.selectdata.state === SelectState.IGNORED) expect(s.selectdata.configuredOptions & 1, where).toBe(1);
      expect(s.selectdata.authenticated, where).toBe(s.authdata.mode !== AuthMode.NONE);
      if (s.reachability === 0) {
        expect(s, where).toMatchObject({ state: SourceState.NONSELECTABLE, lastSampleAgo: NEVER, stratum: 0, latestMeas: 0 });
        expect(s.selectdata, where).toMatchObject({ state: SelectState.NOT_SYNCHRONIZED, leapStatus: LeapStatus.NOT_SYNCHRONIZED, lowLimit: 0, highLimit: 0 });
        expect(s.sourcestats, where).toMatchObject({ samples: 0, runs: 0, span: 0, stdDev: 4, skew: 2000 });
        expect(s.ntpdata, where).toMatchObject({ localAddress: null, stratum: 0, version: 0, mode: 0, rootDispersion: 0, flags: 0, transmitTimestamping: 0, receiveTimestamping: 0, receivedMessages: 0 });
      } else {
        expect(s.lastSampleAgo, where).not.toBe(NEVER);
        expect(s.sourcestats.samples, where).toBeGreaterThan(0);
        if (s.state !== SourceState.NONSELECTABLE) expect(s.selectdata.lowLimit, where).toBeLessThanOrEqual(s.selectdata.highLimit);
      }
      if (s.isReferenceClock) {
        expect(s.stratum, where).toBe(0);
        expect(s.ntpdata, where).toBeNull();
      } else {
        const n = s.ntpdata!;
        if (s.reachability !== 0) {
          expect(n.stratum, where).toBe(s.stratum);
          expect(n.poll, where).toBe(s.poll);
          expect(n.mode, where).toBe(s.mode === SourceMode.PEER ? NtpMode.ACTIVE_SYMMETRIC : NtpMode.SERVER);
          expect(n.localAddress?.includes(":"), where).toBe(s.address.includes(":"));
        }
        expect(Boolean(n.flags & NtpFlag.AUTHENTICATED), where).toBe(s.authdata.mode !== AuthMode.NONE);
      }
      if (s.authdata.mode === AuthMode.NTS) {
        expect(s.authdata, where).toMatchObject({ keyType: 15, keyLength: 256 });
        expect(s.authdata.cookies, where).toBeGreaterThan(0);
      }
    }
    const ntpSources = state.sources.filter((s) => !s.isReferenceClock).length;
    expect(state.activity.onlineSources + state.activity.offlineSources + state.activity.unresolvedSources).toBe(ntpSources);
  });

  describe("through the C API", () => {
    const records = (report: string): DrivenRecord[] => {
      const r = driven[report]!;
      expect(r.countError, `${report} count`).toBe(ChronyErr.OK);
      return r.records.map((rec, i) => {
        expect(rec.error, `${report}[${i}]`).toBe(ChronyErr.OK);
        return rec.fields;
      });
    };
    const only = (report: string): DrivenReport => driven[report]!;

    it("serves a tracking record equal to the state", () => {
      const [rec] = records("tracking");
      const t = state.tracking;
      expect(rec).toMatchObject({ "reference ID": t.referenceId, address: t.referenceIp, stratum: t.stratum, "leap status": t.leapStatus });
      expect(rec!["reference time"]).toMatchObject({ tv_sec: Number(t.refTime.seconds), tv_nsec: t.refTime.nanoseconds });
      const floats: [string, number][] = [
        ["current correction", t.offset], ["last offset", t.lastOffset], ["RMS offset", t.rmsOffset], ["frequency offset", t.frequency],
        ["residual frequency", t.residualFreq], ["skew", t.skew], ["root delay", t.rootDelay], ["root dispersion", t.rootDispersion],
        ["last update interval", t.updateInterval],
      ];
      for (const [field, value] of floats) expectClose(rec![field], value, `tracking ${field}`);
    });

    it("serves one sources, sourcestats and selectdata record per source, in order, with matching addresses", () => {
      const sources = records("sources");
      const stats = records("sourcestats");
      const select = records("selectdata");
      expect(only("sources").numberRecords).toBe(state.sources.length);
      expect(stats.length).toBe(state.sources.length);
      expect(select.length).toBe(state.sources.length);
      state.sources.forEach((s: Source, i) => {
        const address = s.isReferenceClock ? null : s.address;
        if (s.isReferenceClock) expect(sources[i]!["reference ID"]).toBe(s.referenceId);
        else expect(sources[i]!.address).toBe(s.address);
        // libchrony reads the INT16 poll without sign extension (-4 arrives as 65532).
        expect({ ...sources[i], poll: ((sources[i]!.poll as number) << 16) >> 16 }).toMatchObject({ poll: s.poll, stratum: s.stratum, state: s.state, mode: s.mode, reachability: s.reachability, "last sample ago": s.lastSampleAgo });
        expectClose(sources[i]!["adjusted last sample offset"], s.latestMeas, "latestMeas");
        expectClose(sources[i]!["original last sample offset"], s.origLatestMeas, "origLatestMeas");
        expectClose(sources[i]!["last sample error"], s.latestMeasErr, "latestMeasErr");
        expect(stats[i]).toMatchObject({ "reference ID": s.referenceId, address, samples: s.sourcestats.samples, runs: s.sourcestats.runs, span: s.sourcestats.span });
        expectClose(stats[i]!["standard deviation"], s.sourcestats.stdDev, "stdDev");
        expectClose(stats[i]!.skew, s.sourcestats.skew, "skew");
        expect(select[i]).toMatchObject({
          "reference ID": s.referenceId, address, state: s.selectdata.state, authentication: s.selectdata.authenticated ? 1 : 0,
          "leap status": s.selectdata.leapStatus, "configured options": s.selectdata.configuredOptions, "last sample ago": s.selectdata.lastSampleAgo,
        });
        expectClose(select[i]!["low limit"], s.selectdata.lowLimit, "lowLimit");
        expectClose(select[i]!["high limit"], s.selectdata.highLimit, "highLimit");
      });
    });

    it("serves reports that agree with each other: tracking's reference is the '*' source", () => {
      const [tracking] = records("tracking");
      const sources = records("sources");
      const stats = records("sourcestats");
      const select = records("selectdata");
      const best = select.map((r, i) => (r.state === SelectState.BEST ? i : -1)).filter((i) => i >= 0);
      expect(best).toEqual(sources.map((r, i) => (r.state === SourceState.SELECTED ? i : -1)).filter((i) => i >= 0));
      if (best.length === 1) {
        const i = best[0]!;
        expect(tracking!["reference ID"]).toBe(stats[i]!["reference ID"]);
        expect(tracking!.address).toBe(stats[i]!.address);
        expect(tracking!.stratum).toBe(num(sources[i]!.stratum) + 1);
        expect(tracking!["leap status"]).toBe(select[i]!["leap status"]);
      } else {
        expect(best).toEqual([]);
        expect([0, LOCAL_REFID]).toContain(tracking!["reference ID"]);
        expect(tracking!.address).toBeNull();
      }
      select.forEach((r, i) => {
        if (r.state === SelectState.NOT_SYNCHRONIZED) expect(r["leap status"]).toBe(LeapStatus.NOT_SYNCHRONIZED);
        expect(stats[i]!.address).toBe(r.address);
      });
    });

    it("serves ntpdata and authdata for NTP sources only", () => {
      const ntp = records("ntpdata");
      const auth = records("authdata");
      state.sources.forEach((s, i) => {
        if (s.isReferenceClock) {
          expect(ntp[i]).toEqual({});
          expect(auth[i]).toEqual({});
          return;
        }
        const n = s.ntpdata!;
        expect(ntp[i]).toMatchObject({
          "remote address": s.address, "local address": n.localAddress, "remote port": n.remotePort, "leap status": n.leapStatus,
          version: n.version, mode: n.mode, stratum: n.stratum, poll: n.poll, precision: n.precision, "reference ID": n.referenceId, flags: n.flags,
          "transmitted messages": n.transmittedMessages, "received messages": n.receivedMessages,
        });
        expectClose(ntp[i]!["root delay"], n.rootDelay, "ntpdata root delay");
        expectClose(ntp[i]!["peer delay"], n.peerDelay, "ntpdata peer delay");
        const a = s.authdata;
        expect(auth[i]).toMatchObject({
          mode: a.mode, "key type": a.keyType, "key ID": a.keyId, "key length": a.keyLength, cookies: a.cookies,
          "cookie length": a.cookieLength, "last key establishment ago": a.lastKeyEstablishmentAgo, NAK: a.nak ? 1 : 0,
        });
      });
    });

    it("serves rtcdata and smoothing only when enabled", () => {
      const rtc = only("rtcdata").records[0]!;
      if (state.rtc) {
        expect(rtc.error).toBe(ChronyErr.OK);
        expect(rtc.fields).toMatchObject({ samples: state.rtc.samples, runs: state.rtc.runs, span: state.rtc.span });
        expectClose(rtc.fields.offset, state.rtc.offset, "rtc offset");
      } else {
        expect(rtc.error).toBe(ChronyErr.DISABLED);
      }
      const smoothing = only("smoothing").records[0]!;
      if (state.smoothing) {
        expect(smoothing.error).toBe(ChronyErr.OK);
        expect(smoothing.fields.flags).toBe(state.smoothing.active ? 1 : 0);
        expectClose(smoothing.fields["remaining time"], state.smoothing.remainingTime, "remaining time");
      } else {
        expect(smoothing.error).toBe(ChronyErr.DISABLED);
      }
    });

    it("serves activity and serverstats equal to the state", () => {
      const [activity] = records("activity");
      expect(activity).toMatchObject({ "online sources": state.activity.onlineSources, "offline sources": state.activity.offlineSources });
      const [stats] = records("serverstats");
      expect(BigInt(stats!["received NTP requests"] as number | bigint)).toBe(state.serverstats.receivedNtpRequests);
      expect(BigInt(stats!["received command requests"] as number | bigint)).toBe(state.serverstats.receivedCommandRequests);
      expect(BigInt(stats!["dropped NTP requests"] as number | bigint)).toBe(state.serverstats.droppedNtpRequests);
      if (state.version >= 4.04) {
        expect(BigInt(stats!["served kernel RX timestamps"] as number | bigint)).toBe(state.serverstats.servedKernelRxTimestamps);
      }
    });

    it("leaves no handle open", () => {
      expect(leaks).toBe(0);
    });
  });
});

