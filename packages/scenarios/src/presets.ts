/**
 * The presets: complete, self-consistent chronyd states. Each states every
 * value of every report (nothing is left to mock-session's defaults), the
 * tracking report follows the selected source, and selectdata, sourcestats,
 * ntpdata and authdata agree with the sources report. Values are modelled on
 * chronyd 4.3's output (chronyc and libchrony traces).
 *
 * Changing any value here is a breaking change of this package.
 *
 * @module
 */
import { LeapStatus, SelectOption, SelectState, SourceMode } from "@chrony/fields";
import type { AuthDataConfig, ChronyStateConfig, SourceConfig } from "@chrony/mock-session";
import {
  NTS_AUTH,
  REF_TIME,
  before,
  ntpSource,
  refclockSource,
  serverstats,
  state,
  trackingFor,
  unreachableSource,
  unsynchronizedTracking,
  type HeardSource,
} from "./build.js";
import { deepFreeze } from "./freeze.js";
import { fromStateJson } from "@chrony/mock-session";
import { CAPTURE as LAN_CLIENT_CAPTURE } from "./captures/lan-client.js";
import { CAPTURE as LOCAL_REFERENCE_CAPTURE } from "./captures/local-reference.js";
import { CAPTURE as MIXED_IPV4_IPV6_CAPTURE } from "./captures/mixed-ipv4-ipv6.js";

const preset = (config: ChronyStateConfig): ChronyStateConfig => deepFreeze(config);

/** A LAN stratum-1 server (a GPS appliance), as pychrony's mock models the synchronized default. */
const LAN_SERVER: HeardSource = {
  address: "192.168.1.100",
  select: SelectState.BEST,
  stratum: 1,
  poll: 6,
  offset: -0.000004521,
  error: 0.000365,
  lastSampleAgo: 32,
  samples: 10,
  stdDev: 0.000008,
  skew: 0.021,
  residFreq: 0.001,
  upstreamRefId: 0x47505300,
  rootDelay: 0,
  rootDispersion: 0.000015,
  peerDelay: 0.000345,
};
const lanSource = (leap: LeapStatus = LeapStatus.NORMAL): SourceConfig => ntpSource({ ...LAN_SERVER, leap });
const lanTracking = (source: SourceConfig, leap: LeapStatus = LeapStatus.NORMAL, refTime = REF_TIME) =>
  trackingFor(source, { leap, refTime, offset: 0.000001234, rmsOffset: 0.000006789, skew: 0.021, residualFreq: 0.001 });

const SYNCED_SOURCE = lanSource();

/** A client synchronized to one LAN NTP server (192.168.1.100, stratum 1): tracking stratum 2, leap normal. */
export const SCENARIO_NTP_SYNCED: ChronyStateConfig = preset(
  state({ tracking: lanTracking(SYNCED_SOURCE), sources: [SYNCED_SOURCE], serverstats: serverstats({ receivedCommandRequests: 21 }) }),
);

/**
 * {@link SCENARIO_NTP_SYNCED} whose only server stops answering at 0 s of
 * simulated time (`MockChronySession.advance()`): its reachability runs out
 * over 8 polls (0 and `?` from 544 s on), while tracking keeps its reference,
 * stratum 2 and leap status normal, and its root dispersion grows by
 * 1.022 µs per second (skew 0.021 + residual 0.001 + 1 ppm).
 */
export const SCENARIO_UPSTREAM_LOST: ChronyStateConfig = preset({
  ...state({ tracking: lanTracking(SYNCED_SOURCE), sources: [SYNCED_SOURCE], serverstats: serverstats({ receivedCommandRequests: 21 }) }),
  timeline: [{ at: 0, source: "192.168.1.100", answers: false }],
});

const LEAP_INSERT_SOURCE = lanSource(LeapStatus.INSERT_SECOND);

const LAN_PEERS = [
  ntpSource({ ...LAN_SERVER, address: "192.168.1.100" }),
  ntpSource({ ...LAN_SERVER, address: "192.168.1.101", select: SelectState.COMBINED, stratum: 2, offset: 0.000011, error: 0.00041, upstreamRefId: 0xc0a80164 }),
  ntpSource({ ...LAN_SERVER, address: "192.168.1.102", select: SelectState.COMBINED, stratum: 2, offset: -0.000023, error: 0.00052, upstreamRefId: 0xc0a80164 }),
];

/**
 * Three LAN servers cut off at 0 s (a network partition) and back at 1800 s:
 * their reachability runs out together (0 and `?` from 544 s), tracking keeps
 * its reference and leap status normal while root dispersion grows, and the
 * first answer after the partition brings `*` back with reachability 1.
 */
export const SCENARIO_NETWORK_PARTITION: ChronyStateConfig = preset({
  ...state({ tracking: lanTracking(LAN_PEERS[0]!), sources: LAN_PEERS, serverstats: serverstats({ receivedCommandRequests: 21 }) }),
  timeline: LAN_PEERS.flatMap((source) => [
    { at: 0, source: source.address!, answers: false },
    { at: 1800, source: source.address!, answers: true },
  ]),
});

const FALSETICKER_ERROR = 0.00061;
/**
 * Three LAN servers in agreement until 600 s, when the third one's time goes
 * 0.5 s off (a broken upstream): chronyd votes it out as a falseticker (`x`)
 * and keeps its reference; the other two still agree.
 */
export const SCENARIO_FALSETICKER_APPEARS: ChronyStateConfig = preset({
  ...state({ tracking: lanTracking(LAN_PEERS[0]!), sources: LAN_PEERS, serverstats: serverstats({ receivedCommandRequests: 21 }) }),
  timeline: [
    {
      at: 600,
      source: "192.168.1.102",
      set: {
        origLatestMeas: 0.524, latestMeas: 0.5, latestMeasErr: FALSETICKER_ERROR,
        sourcestats: { offset: 0.45 },
        selectdata: { lowLimit: 0.5 - FALSETICKER_ERROR, highLimit: 0.5 + FALSETICKER_ERROR },
        ntpdata: { offset: 0.524 },
      },
    },
  ],
});

/** 2016-12-31T23:00:00.123456789Z: an hour before the last leap second so far. */
const LEAP_EVE = { sec: 1483225200, nsec: 123456789 };
/**
 * {@link SCENARIO_LEAP_INSERT} an hour before midnight on 2016-12-31: leap
 * status "insert second" until the leap second has passed at 3600 s, normal
 * from then on (in tracking, selectdata and ntpdata).
 */
export const SCENARIO_LEAP_SECOND: ChronyStateConfig = preset({
  ...state({ tracking: lanTracking(LEAP_INSERT_SOURCE, LeapStatus.INSERT_SECOND, LEAP_EVE), sources: [LEAP_INSERT_SOURCE] }),
  timeline: [{ at: 0, leap: LeapStatus.INSERT_SECOND }],
});

/**
 * {@link SCENARIO_NTP_SYNCED} on a laptop that resumes from suspend at 100 s
 * with its clock 4 s behind: chronyd measures it at the server's next poll
 * (160 s) and slews it out at 83333 ppm over 48 s; the offset is beyond 1 s
 * until 196 s, while leap status stays normal and the source stays selected.
 */
export const SCENARIO_RESUME_FROM_SUSPEND: ChronyStateConfig = preset({
  ...state({ tracking: lanTracking(SYNCED_SOURCE), sources: [SYNCED_SOURCE], serverstats: serverstats({ receivedCommandRequests: 21 }) }),
  timeline: [{ at: 100, step: -4 }],
});

/** chronyd just started with no sources: reference ID 0, stratum 0, leap "not synchronised", root delay and dispersion 1 s. */
export const SCENARIO_UNSYNC: ChronyStateConfig = preset(
  state({ tracking: unsynchronizedTracking(-12.345), sources: [], serverstats: serverstats({ receivedCommandRequests: 3 }) }),
);

/** Synchronized on 2016-12-31 with a leap second to insert at midnight: leap status "insert second" in tracking, selectdata and ntpdata. */
export const SCENARIO_LEAP_INSERT: ChronyStateConfig = preset(
  state({
    tracking: lanTracking(LEAP_INSERT_SOURCE, LeapStatus.INSERT_SECOND, { sec: 1483185600, nsec: 123456789 }),
    sources: [LEAP_INSERT_SOURCE],
  }),
);

const LEAP_DELETE_SOURCE = lanSource(LeapStatus.DELETE_SECOND);
/** Synchronized with a leap second to delete at midnight (never happened yet): leap status "delete second" everywhere. */
export const SCENARIO_LEAP_DELETE: ChronyStateConfig = preset(
  state({
    tracking: lanTracking(LEAP_DELETE_SOURCE, LeapStatus.DELETE_SECOND, { sec: 1751284800, nsec: 123456789 }),
    sources: [LEAP_DELETE_SOURCE],
  }),
);

const GPS: SourceConfig = refclockSource({
  address: "GPS",
  select: SelectState.BEST,
  poll: 4,
  offset: -0.000052,
  error: 0.00053,
  lastSampleAgo: 12,
  samples: 16,
  stdDev: 0.000145,
  skew: 0.512,
  residFreq: -0.004,
});
/** A stratum-1 server disciplined by a GPS reference clock (`refclock SHM 0 refid GPS`): reference ID "GPS", no address. */
export const SCENARIO_GPS_REFCLOCK: ChronyStateConfig = preset(
  state({
    tracking: trackingFor(GPS, { offset: -0.000003, rmsOffset: 0.000145, skew: 0.512, residualFreq: -0.004 }),
    sources: [GPS],
    serverstats: serverstats({ receivedNtpRequests: 18342, receivedCommandRequests: 12, receivedInterleavedNtpRequests: 0, heldNtpTimestamps: 0 }),
  }),
);

const PPS: SourceConfig = refclockSource({
  address: "PPS",
  select: SelectState.BEST,
  poll: 4,
  offset: 0.000000123,
  error: 0.000000412,
  lastSampleAgo: 3,
  samples: 16,
  stdDev: 0.000000215,
  skew: 0.0085,
  residFreq: 0.0002,
});
const GPS_NOSELECT: SourceConfig = refclockSource({
  address: "GPS",
  select: SelectState.IGNORED,
  options: SelectOption.NOSELECT,
  poll: 4,
  offset: -0.000052,
  error: 0.00053,
  lastSampleAgo: 12,
  samples: 16,
  stdDev: 0.000145,
  skew: 0.512,
  residFreq: -0.004,
});
/** A stratum-1 server on a PPS signal locked to a GPS clock used only for numbering seconds (`noselect`, select state 'N'). */
export const SCENARIO_PPS_REFCLOCK: ChronyStateConfig = preset(
  state({
    tracking: trackingFor(PPS, { offset: 0.000000021, rmsOffset: 0.000000215, skew: 0.0085, residualFreq: 0.0002 }),
    sources: [PPS, GPS_NOSELECT],
    serverstats: serverstats({ receivedNtpRequests: 18342, receivedCommandRequests: 12 }),
  }),
);

/** {@link SCENARIO_NTP_SYNCED} with the RTC tracked (`rtcfile`, `rtcdevice`): rtcdata served. */
export const SCENARIO_RTC_AVAILABLE: ChronyStateConfig = preset(
  state({
    tracking: lanTracking(SYNCED_SOURCE),
    sources: [SYNCED_SOURCE],
    rtc: { available: true, refTime: before(REF_TIME, 549), samples: 18, runs: 7, span: 549, offset: -1.632132, freqOffset: -107.623 },
  }),
);

/** {@link SCENARIO_NTP_SYNCED} without RTC tracking: rtcdata answers "RTC driver not running" (CHRONY_DISABLED). */
export const SCENARIO_RTC_UNAVAILABLE: ChronyStateConfig = preset(
  state({ tracking: lanTracking(SYNCED_SOURCE), sources: [SYNCED_SOURCE], rtc: null }),
);

const internet = (address: string, select: SelectState, stratum: number, offset: number, error: number, extra: Partial<HeardSource> = {}): SourceConfig =>
  ntpSource({ address, select, stratum, poll: 10, offset, error, lastSampleAgo: 517, upstreamRefId: 0xcb007101, ...extra });

const MULTI = [
  internet("192.0.2.11", SelectState.BEST, 2, -0.000018, 0.0064),
  internet("198.51.100.12", SelectState.COMBINED, 2, 0.000231, 0.0121, { lastSampleAgo: 389 }),
  internet("203.0.113.13", SelectState.LARGE_DISTANCE, 3, 0.001432, 0.0873, { lastSampleAgo: 702, rootDelay: 0.142 }),
  internet("192.0.2.14", SelectState.FALSETICKER, 2, 1.234568, 0.0098, { lastSampleAgo: 611 }),
  unreachableSource("198.51.100.15", 10, 37),
];
/** Five NTP servers: one selected '*', one combined '+', one too far 'D', a falseticker 'x' and one never reached ('s'). */
export const SCENARIO_MULTI_SOURCE: ChronyStateConfig = preset(
  state({ tracking: trackingFor(MULTI[0]!, { updateInterval: 1030.2, rmsOffset: 0.000041 }), sources: MULTI }),
);

const FALSE = [
  internet("192.0.2.21", SelectState.BEST, 2, 0.000045, 0.0052),
  internet("198.51.100.22", SelectState.COMBINED, 2, -0.000112, 0.0087),
  internet("203.0.113.23", SelectState.FALSETICKER, 2, 0.512345, 0.0061, { upstreamRefId: 0x0a000001 }),
];
/** Three servers, one of them 0.5 s off the other two: marked falseticker 'x' and ignored. */
export const SCENARIO_FALSETICKER: ChronyStateConfig = preset(
  state({ tracking: trackingFor(FALSE[0]!, { updateInterval: 1030.2, rmsOffset: 0.000041 }), sources: FALSE }),
);

const SPLIT = [
  internet("192.0.2.31", SelectState.FALSETICKER, 2, -0.124567, 0.0052),
  internet("198.51.100.32", SelectState.FALSETICKER, 2, 0.131234, 0.0074),
];
/** Two servers that disagree ("Can't synchronise: no majority"): both falsetickers, tracking unsynchronized since. */
export const SCENARIO_NO_MAJORITY: ChronyStateConfig = preset(
  state({
    tracking: unsynchronizedTracking(-12.345, {
      refTime: before(REF_TIME, 3127),
      lastOffset: 0.000012,
      rmsOffset: 0.000041,
      rootDelay: 0.021,
      rootDispersion: 0.0151,
      updateInterval: 1030.2,
    }),
    sources: SPLIT,
  }),
);

const DOWN = [unreachableSource("192.0.2.41"), unreachableSource("198.51.100.42"), unreachableSource("203.0.113.43")];
/** Three servers configured, none ever answered (network down since start): reachability 0, 's', chronyd unsynchronized. */
export const SCENARIO_ALL_UNREACHABLE: ChronyStateConfig = preset(
  state({ tracking: unsynchronizedTracking(-12.345), sources: DOWN, serverstats: serverstats({ receivedCommandRequests: 4 }) }),
);

const ADDED = [
  internet("192.0.2.51", SelectState.BEST, 2, -0.000018, 0.0064),
  ntpSource({
    address: "198.51.100.52",
    select: SelectState.MISSING_SAMPLES,
    stratum: 2,
    poll: 6,
    offset: 0.000134,
    error: 0.0093,
    lastSampleAgo: 1,
    reachability: 3,
    samples: 2,
    runs: 2,
    stdDev: 0.000031,
    skew: 154.3,
    residFreq: -3.2,
    packets: 2,
    upstreamRefId: 0xcb007101,
  }),
  unreachableSource("203.0.113.53", 6, 1),
];
/** A synchronized server just given two more sources (`chronyc add server`): one with 2 samples ('M'), one not answered yet ('s'). */
export const SCENARIO_SOURCE_ADDED: ChronyStateConfig = preset(
  state({ tracking: trackingFor(ADDED[0]!, { updateInterval: 1030.2, rmsOffset: 0.000041 }), sources: ADDED }),
);

const JITTER = [
  internet("192.0.2.61", SelectState.BEST, 2, -0.000018, 0.0064, { poll: 8, lastSampleAgo: 133 }),
  internet("198.51.100.62", SelectState.JITTERY, 2, 0.004567, 0.0412, { poll: 6, lastSampleAgo: 21, stdDev: 0.0123, runs: 9, skew: 12.8 }),
  internet("203.0.113.63", SelectState.JITTERY, 3, -0.007891, 0.0533, { poll: 6, lastSampleAgo: 45, stdDev: 0.0187, runs: 10, skew: 23.1 }),
];
/** Two of three servers over a congested path: sample deviation far above their distance, marked jittery '~'. */
export const SCENARIO_JITTERY: ChronyStateConfig = preset(
  state({ tracking: trackingFor(JITTER[0]!, { updateInterval: 258.1, rmsOffset: 0.000052 }), sources: JITTER }),
);

/** `local stratum 3` with no sources (lab server A): reference ID 0x7F7F0101 ("LOCL" address unspecified), stratum 3, all zeros. */
export const SCENARIO_LOCAL_REFERENCE: ChronyStateConfig = preset(
  state({
    tracking: {
      referenceId: 0x7f7f0101,
      referenceIp: null,
      stratum: 3,
      leapStatus: LeapStatus.NORMAL,
      refTime: REF_TIME,
      offset: 0,
      lastOffset: 0,
      rmsOffset: 0,
      frequency: 0,
      residualFreq: 0,
      skew: 0,
      rootDelay: 0,
      rootDispersion: 0,
      updateInterval: 0,
    },
    sources: [],
    serverstats: serverstats({ receivedNtpRequests: 26, receivedCommandRequests: 21 }),
  }),
);

const PEERS = [
  internet("192.0.2.71", SelectState.BEST, 2, 0.000021, 0.00043, {
    mode: SourceMode.PEER, poll: 6, lastSampleAgo: 37, rootDelay: 0.000512, peerDelay: 0.000187, upstreamRefId: 0xc0000201,
  }),
  internet("192.0.2.72", SelectState.COMBINED, 2, -0.000034, 0.00051, {
    mode: SourceMode.PEER, poll: 6, lastSampleAgo: 51, rootDelay: 0.000498, peerDelay: 0.000201, upstreamRefId: 0xc0000201,
  }),
];
/** Symmetric peering (`peer`, chronyc '='): synchronized to one peer, combining the other; ntpdata mode active symmetric. */
export const SCENARIO_PEER_MODE: ChronyStateConfig = preset(
  state({ tracking: trackingFor(PEERS[0]!, { rmsOffset: 0.000011 }), sources: PEERS, serverstats: serverstats({ receivedNtpRequests: 912, receivedCommandRequests: 7 }) }),
);

const V6 = [
  internet("2001:db8::123", SelectState.BEST, 2, 0.000011, 0.0051),
  internet("2001:db8:0:1::123", SelectState.COMBINED, 2, -0.000087, 0.0079),
  internet("2001:db8:0:2::123", SelectState.COMBINED, 3, 0.000152, 0.0112),
];
/** Three IPv6 servers: reference IDs are the first 4 bytes of the MD5 of each address, as chronyd computes them. */
export const SCENARIO_IPV6_SOURCES: ChronyStateConfig = preset(
  state({ tracking: trackingFor(V6[0]!, { updateInterval: 1030.2, rmsOffset: 0.000041 }), sources: V6 }),
);

const NTS_NAKED: AuthDataConfig = { ...NTS_AUTH, cookies: 6, keyEstablishmentAttempts: 0, lastKeyEstablishmentAgo: 7215 };
const NTS = [
  internet("192.0.2.81", SelectState.BEST, 1, -0.000012, 0.0043, { auth: NTS_AUTH, upstreamRefId: 0x47505300 }),
  internet("198.51.100.82", SelectState.COMBINED, 1, 0.000066, 0.0061, { auth: NTS_NAKED, upstreamRefId: 0x50505300 }),
];
/** Two NTS servers (`server … nts`): authdata NTS with AEAD-AES-SIV-CMAC-256 (type 15), 256-bit keys, 8 cookies of 100 bytes; authenticated. */
export const SCENARIO_NTS_AUTHENTICATED: ChronyStateConfig = preset(
  state({ tracking: trackingFor(NTS[0]!, { updateInterval: 1030.2, rmsOffset: 0.000041 }), sources: NTS }),
);

const STEP_SOURCE = ntpSource({
  address: "192.0.2.91",
  select: SelectState.BEST,
  stratum: 2,
  poll: 6,
  offset: -12.345678,
  error: 0.0064,
  lastSampleAgo: 2,
  reachability: 15,
  samples: 4,
  runs: 2,
  stdDev: 0.000045,
  skew: 51.2,
  residFreq: 0.5,
  packets: 4,
  upstreamRefId: 0xcb007101,
});
/** Right after start with the clock 12.3 s slow: the selected source's samples show −12.3 s and the first update (before `makestep` steps) has it all. */
export const SCENARIO_LARGE_OFFSET: ChronyStateConfig = preset(
  state({
    tracking: trackingFor(STEP_SOURCE, {
      offset: 12.345678,
      lastOffset: -12.345678,
      rmsOffset: 12.345678,
      frequency: -12.345,
      residualFreq: 0.5,
      skew: 51.2,
      updateInterval: 0,
    }),
    sources: [STEP_SOURCE],
  }),
);

const DRIFT_SOURCE = internet("192.0.2.101", SelectState.BEST, 2, 0.000734, 0.0071, {
  poll: 6, lastSampleAgo: 41, samples: 16, runs: 3, residFreq: 1.234, skew: 4.567, stdDev: 0.000412,
});
/** An unstable oscillator (temperature swing): frequency −87.654 ppm, residual 1.234 ppm, skew 4.567 ppm, few runs (NR 3 of NP 16). */
export const SCENARIO_FREQUENCY_DRIFT: ChronyStateConfig = preset(
  state({
    tracking: trackingFor(DRIFT_SOURCE, { frequency: -87.654, residualFreq: 1.234, skew: 4.567, offset: 0.000612, rmsOffset: 0.000498, updateInterval: 64.4 }),
    sources: [DRIFT_SOURCE],
  }),
);

/** {@link SCENARIO_NTP_SYNCED} with `smoothtime 400`: smoothing active (lab server B's values). */
export const SCENARIO_SMOOTHING_ACTIVE: ChronyStateConfig = preset(
  state({
    tracking: lanTracking(SYNCED_SOURCE),
    sources: [SYNCED_SOURCE],
    smoothing: { active: true, leapOnly: false, offset: -0.000000155, freqOffset: 0.00493, wander: 0.001, lastUpdateAgo: 0.3, remainingTime: 20.9 },
  }),
);

const UPSTREAM = [
  internet("192.0.2.111", SelectState.BEST, 1, -0.000009, 0.0021, { upstreamRefId: 0x47505300, packets: 98765 }),
  internet("198.51.100.112", SelectState.COMBINED, 1, 0.000014, 0.0027, { upstreamRefId: 0x50505300, packets: 98760 }),
  internet("203.0.113.113", SelectState.COMBINED, 1, 0.000031, 0.0034, { upstreamRefId: 0x47505300, packets: 98771 }),
  internet("192.0.2.114", SelectState.COMBINED, 2, -0.000042, 0.0049, { packets: 98702 }),
];
/**
 * A busy public stratum-2 server (chronyd 4.6: serverstats with timestamp
 * counters) past 2^32 NTP requests, rate-limiting some; counters stay below
 * 2^53 so the JSON holds plain numbers.
 */
export const SCENARIO_BUSY_SERVER: ChronyStateConfig = preset(
  state({
    serverVersion: "4.6",
    tracking: trackingFor(UPSTREAM[0]!, { updateInterval: 1030.2, rmsOffset: 0.000021 }),
    sources: UPSTREAM,
    serverstats: serverstats({
      receivedNtpRequests: 12345678901,
      acceptedNtsKeConnections: 0,
      receivedCommandRequests: 4321,
      droppedNtpRequests: 23456789,
      droppedClientLogRecords: 1234567,
      receivedInterleavedNtpRequests: 456789012,
      heldNtpTimestamps: 65536,
      ntpTimestampSpan: 3892,
      servedDaemonRxTimestamps: 0,
      servedDaemonTxTimestamps: 12322222110,
      servedKernelRxTimestamps: 12322222112,
      servedKernelTxTimestamps: 0,
    }),
  }),
);

/** The 64 sources of {@link SCENARIO_MANY_SOURCES}: deterministic spread of states. */
function manySources(): SourceConfig[] {
  const sources: SourceConfig[] = [];
  for (let i = 0; i < 64; i++) {
    const address = `${["192.0.2", "198.51.100", "203.0.113"][i % 3]}.${i + 1}`;
    const wobble = ((i * 37) % 17) - 8;
    const offset = wobble * 0.0000311;
    const error = 0.002 + (i % 7) * 0.0013;
    if (i >= 60) sources.push(unreachableSource(address, 10, 37));
    else if (i === 0) sources.push(internet(address, SelectState.BEST, 2, -0.000018, 0.0019));
    else if (i < 8) sources.push(internet(address, SelectState.COMBINED, 2, offset, error, { lastSampleAgo: 100 + i * 11 }));
    else if (i === 57 || i === 58) sources.push(internet(address, SelectState.FALSETICKER, 2, 0.25 + i * 0.001, error, { lastSampleAgo: 300 + i }));
    else if (i === 59) sources.push(internet(address, SelectState.JITTERY, 3, offset * 40, error * 5, { lastSampleAgo: 77, stdDev: 0.0171 }));
    else sources.push(internet(address, SelectState.LARGE_DISTANCE, 2 + (i % 2), offset, error * 3, { lastSampleAgo: 200 + i * 7, rootDelay: 0.05 + i * 0.001 }));
  }
  return sources;
}
const MANY = manySources();
/** 64 servers (the size of a large pool config): 1 '*', 7 '+', 49 'D', 2 'x', 1 '~', 4 never reached. */
export const SCENARIO_MANY_SOURCES: ChronyStateConfig = preset(
  state({ tracking: trackingFor(MANY[0]!, { updateInterval: 1030.2, rmsOffset: 0.000041 }), sources: MANY }),
);

const PHC: SourceConfig = refclockSource({
  address: "PHC0",
  select: SelectState.BEST,
  poll: 0,
  offset: 0.000000008,
  error: 0.000000095,
  lastSampleAgo: 0,
  samples: 64,
  stdDev: 0.000000021,
  skew: 0.0021,
  residFreq: 0.00003,
});
/** The lower stratum boundary: a stratum-1 server on a PTP hardware clock (`refclock PHC /dev/ptp0`, refid "PHC0"), poll 0. */
export const SCENARIO_STRATUM_1: ChronyStateConfig = preset(
  state({
    tracking: trackingFor(PHC, { offset: 0.000000002, rmsOffset: 0.000000021, skew: 0.0021, residualFreq: 0.00003 }),
    sources: [PHC],
    serverstats: serverstats({ receivedNtpRequests: 734521, receivedCommandRequests: 9 }),
  }),
);

const DEEP = internet("192.0.2.121", SelectState.BEST, 14, 0.000213, 0.0487, { rootDelay: 0.0714, rootDispersion: 0.0122, upstreamRefId: 0xc0000278 });
/** The upper stratum boundary: synchronized to a stratum-14 server, so stratum 15, the highest that is still synchronized. */
export const SCENARIO_STRATUM_MAX: ChronyStateConfig = preset(
  state({ tracking: trackingFor(DEEP, { updateInterval: 1030.2, rmsOffset: 0.000082 }), sources: [DEEP] }),
);

/** A capture of a real chronyd (src/captures), decoded from its JSON form. */
const captured = (capture: object): ChronyStateConfig => preset(fromStateJson(capture) as ChronyStateConfig);

/** Captured from real chronyd 4.3: a client of a `local stratum 3` chronyd on the same machine, polled every 1/16 s. */
export const SCENARIO_CAPTURED_LAN_CLIENT: ChronyStateConfig = captured(LAN_CLIENT_CAPTURE);

/** Captured from real chronyd 4.3: `local stratum 3`, no sources, serving NTP. */
export const SCENARIO_CAPTURED_LOCAL_REFERENCE: ChronyStateConfig = captured(LOCAL_REFERENCE_CAPTURE);

/** Captured from real chronyd 4.3: one server over IPv4 (selected) and IPv6 (combined), and a third address. */
export const SCENARIO_CAPTURED_MIXED_IPV4_IPV6: ChronyStateConfig = captured(MIXED_IPV4_IPV6_CAPTURE);
