/** A chronyd like the lab's client B: one NTP source (negative poll), one reference clock, smoothing, no RTC. */
import { ChronyErr, LeapStatus, NtpFlag, NtpTimestamping, SelectState, SourceMode, SourceState, type ReportName } from "@chrony/fields";
import { FakeLib, type FakeReport } from "./fake-lib.js";

export const GPS_REFID = 0x47505300;
export const BIG_COUNTER = 2n ** 53n + 1n;

export const TRACKING = {
  "reference ID": 0x7f000001,
  address: "127.0.0.1",
  stratum: 4,
  "leap status": LeapStatus.NORMAL,
  "reference time": { sec: 1795632394n, nsec: 623181533 },
  "current correction": -1.6344175719495979e-6,
  "last offset": 2.1476975575751567e-7,
  "RMS offset": 4.3498022250787471e-7,
  "frequency offset": 0.023328607901930809,
  "residual frequency": 0.0078750047832727432,
  skew: 0.1208856925368309,
  "root delay": 7.1280001066043042e-6,
  "root dispersion": 1.2730085927614709e-6,
  "last update interval": 0.51445454359054565,
};

const NTP_SOURCE = {
  address: "127.0.0.1",
  poll: -1,
  stratum: 3,
  state: SourceState.SELECTED,
  mode: SourceMode.CLIENT,
  flags: 0,
  reachability: 255,
  "last sample ago": 1,
  "original last sample offset": 2.94e-7,
  "adjusted last sample offset": 1.72e-7,
  "last sample error": 4.386e-6,
};

const REFCLOCK_SOURCE = {
  "reference ID": GPS_REFID,
  poll: -2,
  stratum: 0,
  state: SourceState.NONSELECTABLE,
  mode: SourceMode.REFERENCE_CLOCK,
  flags: 0,
  reachability: 0,
  "last sample ago": 4294967295,
  "original last sample offset": 0,
  "adjusted last sample offset": 0,
  "last sample error": 0,
};

const sourceStats = (referenceId: number, address: string | null, samples: number) => ({
  "reference ID": referenceId,
  address,
  samples,
  runs: 8,
  span: 8,
  "standard deviation": 2.62e-7,
  "residual frequency": -0.005,
  skew: 0.092,
  offset: -2e-9,
  "offset error": 1e-7,
});

export const NTPDATA = {
  "remote address": "127.0.0.1",
  "local address": "127.0.0.1",
  "remote port": 11123,
  "leap status": LeapStatus.NORMAL,
  version: 4,
  mode: 4,
  stratum: 3,
  poll: -1,
  precision: -25,
  "root delay": 0,
  "root dispersion": 1.5e-5,
  "reference ID": 0x7f7f0101,
  "reference time": { sec: 1795632390n, nsec: 5 },
  offset: 1.2e-7,
  "peer delay": 3.1e-5,
  "peer dispersion": 1e-6,
  "response time": 1.1e-5,
  "jitter asymmetry": 0.05,
  flags: 0x3ff | NtpFlag.AUTHENTICATED,
  "transmit timestamping": NtpTimestamping.KERNEL,
  "receive timestamping": NtpTimestamping.KERNEL,
  "transmitted messages": 20,
  "received messages": 19,
  "received valid messages": 19,
  "received good messages": 18,
  "kernel transmit timestamps": 20,
  "kernel receive timestamps": 19,
  "hardware transmit timestamps": 0,
  "hardware receive timestamps": 0,
};

export function labServer(overrides: Partial<Record<ReportName, FakeReport>> = {}, { readyAtOnce = false } = {}): FakeLib {
  const lib = new FakeLib({
    tracking: { entries: [TRACKING] },
    sources: { entries: [REFCLOCK_SOURCE, NTP_SOURCE] },
    sourcestats: { entries: [sourceStats(GPS_REFID, null, 0), sourceStats(0x7f000001, "127.0.0.1", 20)] },
    selectdata: {
      entries: [
        {
          "reference ID": 0x7f000001,
          address: "127.0.0.1",
          state: SelectState.BEST,
          authentication: 0,
          "leap status": LeapStatus.NORMAL,
          "reserved #1": 0,
          "configured options": 0x2,
          "effective options": 0x6,
          "last sample ago": 1,
          score: 1.5,
          "low limit": -1e-5,
          "high limit": 1e-5,
        },
      ],
    },
    activity: { entries: [{ "online sources": 2, "offline sources": 0, "burst online-return sources": 0, "burst offline-return sources": 0, "unresolved sources": 1 }] },
    authdata: {
      entries: [
        "empty",
        { mode: 2, "key type": 15, "key ID": 0, "key length": 256, "key establishment attempts": 1, "last key establishment ago": 5, cookies: 8, "cookie length": 100, NAK: 0, "reserved #1": 0 },
      ],
    },
    ntpdata: { entries: ["empty", NTPDATA] },
    serverstats: {
      entries: [
        Object.fromEntries(
          [
            "received NTP requests",
            "accepted NTS-KE connections",
            "received command requests",
            "dropped NTP requests",
            "dropped NTS-KE connections",
            "dropped command requests",
            "dropped client log records",
            "received authenticated NTP requests",
            "received interleaved NTP requests",
            "held NTP timestamps",
            "NTP timestamp span",
            "served daemon RX timestamps",
            "served daemon TX timestamps",
            "served kernel RX timestamps",
            "served kernel TX timestamps",
            "served hardware RX timestamps",
            "served hardware TX timestamps",
          ].map((name, index) => [name, index === 0 ? BIG_COUNTER : BigInt(index)]),
        ),
      ],
    },
    rtcdata: { entries: [{ error: ChronyErr.DISABLED }] },
    smoothing: {
      entries: [
        { flags: 1, offset: -1.548e-7, "frequency offset": 0.00498, wander: 0.001, "last update ago": 0.3197, "remaining time": 63.9 },
      ],
    },
    ...overrides,
  });
  lib.readyAtOnce = readyAtOnce;
  return lib;
}
