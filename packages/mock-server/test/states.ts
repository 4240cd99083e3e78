/** States the suites serve: each exercises a different corner of what chronyc prints. */
import { AuthMode, LeapStatus, NtpMode, NtpTimestamping, SelectOption, SelectState, SourceMode, SourceState } from "@chrony/fields";
import type { ChronyStateConfig } from "@chrony/mock-session";

/** Synchronized to a GPS refclock, with IPv4 and IPv6 NTP servers (NTS and symmetric-key), a peer, RTC and smoothing. */
export const SYNCED: ChronyStateConfig = {
  serverVersion: "4.3",
  tracking: { offset: -0.000012345, lastOffset: 0.00000321, frequency: -12.345, residualFreq: -0.0042, skew: 0.0456, rootDelay: 0.0000123, rootDispersion: 0.000456, updateInterval: 16.2 },
  sources: [
    { address: "GPS", poll: 4, reachability: 0o377, lastSampleAgo: 9, latestMeas: -0.00000012, origLatestMeas: -0.00000015, latestMeasErr: 0.0000002 },
    {
      address: "192.0.2.1",
      state: SourceState.UNSELECTED,
      stratum: 1,
      poll: 10,
      reachability: 0o177,
      lastSampleAgo: 1500,
      latestMeas: 0.00123,
      latestMeasErr: 0.0345,
      authdata: { mode: AuthMode.NTS },
      selectdata: { configuredOptions: SelectOption.PREFER | SelectOption.TRUST, score: 12.75 },
      ntpdata: { referenceId: 0x47505300, stratum: 1, poll: 10, precision: -20, jitterAsymmetry: -0.25, transmitTimestamping: NtpTimestamping.DAEMON, receiveTimestamping: NtpTimestamping.HARDWARE },
      sourcestats: { samples: 30, runs: 11, span: 40000, residFreq: -0.5, skew: 123456.7, offset: -2.5, stdDev: 1234.5 },
    },
    {
      address: "2001:db8::1",
      state: SourceState.SELECTABLE,
      selectdata: { state: SelectState.LARGE_DISTANCE, configuredOptions: SelectOption.REQUIRE, effectiveOptions: SelectOption.REQUIRE | SelectOption.NOSELECT },
      authdata: { mode: AuthMode.SYMMETRIC_KEY, keyId: 42 },
      ntpdata: { remotePort: 10123, mode: NtpMode.SERVER, flags: 0x3ff },
    },
    { address: "198.51.100.7", mode: SourceMode.PEER, state: SourceState.FALSETICKER, poll: -3, ntpdata: { mode: NtpMode.ACTIVE_SYMMETRIC, leapStatus: LeapStatus.INSERT_SECOND } },
  ],
  rtc: { samples: 12, runs: 5, span: 123456, offset: -0.654321, freqOffset: 17.25 },
  smoothing: { active: true, leapOnly: true, offset: -0.000155, freqOffset: 0.00493, wander: -0.001, lastUpdateAgo: 0.25, remainingTime: 1234.5 },
  activity: { onlineSources: 3, offlineSources: 1, burstOnlineReturnSources: 0, burstOfflineReturnSources: 2, unresolvedSources: 1 },
  serverstats: {
    receivedNtpRequests: 123456,
    receivedCommandRequests: 77,
    droppedNtpRequests: 3,
    acceptedNtsKeConnections: 5,
    receivedAuthenticatedNtpRequests: 9,
    receivedInterleavedNtpRequests: 4,
    heldNtpTimestamps: 100,
    ntpTimestampSpan: 3600,
  },
};

/** Unsynchronized: nothing reachable, no RTC, no smoothing. */
export const UNSYNCHRONIZED: ChronyStateConfig = {
  tracking: { referenceId: 0, referenceIp: null, stratum: 0, leapStatus: LeapStatus.NOT_SYNCHRONIZED, refTime: 0, offset: 0, lastOffset: 0, rmsOffset: 0, frequency: 0, residualFreq: 0, skew: 0, rootDelay: 1, rootDispersion: 1, updateInterval: 0 },
  sources: [
    { address: "192.0.2.1", state: SourceState.NONSELECTABLE, stratum: 0, reachability: 0, lastSampleAgo: 4294967295, latestMeas: 0, latestMeasErr: 0 },
    { address: "2001:db8::2", state: SourceState.NONSELECTABLE, stratum: 0, reachability: 0, lastSampleAgo: 4294967295, latestMeas: 0, latestMeasErr: 0 },
  ],
};

/** The defaults, no sources, as an old (4.1) chronyd. */
export const EMPTY_41: ChronyStateConfig = { serverVersion: "4.1" };

/** A 4.4 chronyd (64-bit serverstats, which chronyc 4.3 cannot ask for). */
export const V44: ChronyStateConfig = { ...SYNCED, serverVersion: "4.4" };

/** A 4.6 chronyd (new ntpdata too). */
export const V46: ChronyStateConfig = { ...SYNCED, serverVersion: "4.6" };
