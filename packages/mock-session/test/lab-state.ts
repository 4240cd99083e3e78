/**
 * The state of the recorded chronyd, rebuilt from the values real libchrony
 * read from it, field by field under libchrony's names. Written
 * independently of the mock's own mapping (src/chronyd/records.ts), so a
 * field the mock puts in the wrong place shows up as a replay mismatch.
 */
import type { ChronyStateConfig, SourceConfig } from "../src/index.js";
import type { TracedRecords } from "./trace.js";

type Fields = Map<string, string>;

const uint = (f: Fields, name: string) => Number(f.get(name)!.split(" ")[0]);
const float = (f: Fields, name: string) => Number(f.get(name)!);
const text = (f: Fields, name: string) => (f.get(name) === "NULL" ? null : (JSON.parse(f.get(name)!) as string));
const time = (f: Fields, name: string) => {
  const [, sec, nsec] = /tv_sec=(\d+), tv_nsec=(\d+)/.exec(f.get(name)!)!;
  return { sec: Number(sec), nsec: Number(nsec) };
};
/** libchrony hands int16 out without sign extension; the state holds the real value. */
const int16 = (f: Fields, name: string) => (uint(f, name) << 16) >> 16;
/** A field only some chronyd versions send (e.g. ntpdata's timestamp counters from 4.6): omitted when the record lacks it. */
const optional = <T>(f: Fields, name: string, read: (f: Fields, name: string) => T): T | undefined => (f.has(name) ? read(f, name) : undefined);
const ascii = (id: number) => Buffer.from([id >>> 24, (id >>> 16) & 255, (id >>> 8) & 255, id & 255]).toString("latin1").replace(/\0+$/, "");

export function labState(records: TracedRecords): ChronyStateConfig {
  const one = (report: string) => records.get(report)?.get(0);
  const t = one("tracking")!;
  const sources: SourceConfig[] = [...(records.get("sources")?.entries() ?? [])].map(([i, s]) => {
    const stats = records.get("sourcestats")!.get(i)!;
    const select = records.get("selectdata")!.get(i)!;
    const auth = records.get("authdata")!.get(i)!;
    const ntp = records.get("ntpdata")!.get(i)!;
    const mode = uint(s, "mode");
    const isReferenceClock = mode === 2;
    return {
      address: isReferenceClock ? ascii(uint(s, "reference ID")) : text(s, "address")!,
      mode: mode as SourceConfig["mode"] & number,
      poll: int16(s, "poll"),
      stratum: uint(s, "stratum"),
      state: uint(s, "state") as NonNullable<SourceConfig["state"]>,
      flags: uint(s, "flags"),
      reachability: uint(s, "reachability"),
      lastSampleAgo: uint(s, "last sample ago"),
      origLatestMeas: float(s, "original last sample offset"),
      latestMeas: float(s, "adjusted last sample offset"),
      latestMeasErr: float(s, "last sample error"),
      referenceId: uint(stats, "reference ID"),
      sourcestats: {
        samples: uint(stats, "samples"),
        runs: uint(stats, "runs"),
        span: uint(stats, "span"),
        stdDev: float(stats, "standard deviation"),
        residFreq: float(stats, "residual frequency"),
        skew: float(stats, "skew"),
        offset: float(stats, "offset"),
        offsetErr: float(stats, "offset error"),
      },
      selectdata: {
        state: uint(select, "state") as never,
        authenticated: uint(select, "authentication") === 1,
        leapStatus: uint(select, "leap status") as never,
        configuredOptions: uint(select, "configured options"),
        effectiveOptions: uint(select, "effective options"),
        lastSampleAgo: uint(select, "last sample ago"),
        score: float(select, "score"),
        lowLimit: float(select, "low limit"),
        highLimit: float(select, "high limit"),
      },
      ...(isReferenceClock
        ? {}
        : {
            authdata: {
              mode: uint(auth, "mode") as never,
              keyType: uint(auth, "key type") as never,
              keyId: uint(auth, "key ID"),
              keyLength: uint(auth, "key length"),
              keyEstablishmentAttempts: uint(auth, "key establishment attempts"),
              lastKeyEstablishmentAgo: uint(auth, "last key establishment ago"),
              cookies: uint(auth, "cookies"),
              cookieLength: uint(auth, "cookie length"),
              nak: uint(auth, "NAK") === 1,
            },
            ntpdata: {
              localAddress: text(ntp, "local address"),
              remotePort: uint(ntp, "remote port"),
              leapStatus: uint(ntp, "leap status") as never,
              version: uint(ntp, "version"),
              mode: uint(ntp, "mode") as never,
              stratum: uint(ntp, "stratum"),
              poll: Number(ntp.get("poll")),
              precision: Number(ntp.get("precision")),
              rootDelay: float(ntp, "root delay"),
              rootDispersion: float(ntp, "root dispersion"),
              referenceId: uint(ntp, "reference ID"),
              refTime: time(ntp, "reference time"),
              offset: float(ntp, "offset"),
              peerDelay: float(ntp, "peer delay"),
              peerDispersion: float(ntp, "peer dispersion"),
              responseTime: float(ntp, "response time"),
              jitterAsymmetry: float(ntp, "jitter asymmetry"),
              flags: uint(ntp, "flags"),
              transmitTimestamping: uint(ntp, "transmit timestamping") as never,
              receiveTimestamping: uint(ntp, "receive timestamping") as never,
              transmittedMessages: uint(ntp, "transmitted messages"),
              receivedMessages: uint(ntp, "received messages"),
              receivedValidMessages: uint(ntp, "received valid messages"),
              // Before chronyd 4.3 the word was reserved (all ones): no counter to set.
              ...(uint(ntp, "received good messages") === 0xffffffff ? {} : { receivedGoodMessages: uint(ntp, "received good messages") }),
              // The second ntpdata variant (chronyd ≥ 4.6) only.
              kernelTransmitTimestamps: optional(ntp, "kernel transmit timestamps", uint),
              kernelReceiveTimestamps: optional(ntp, "kernel receive timestamps", uint),
              hardwareTransmitTimestamps: optional(ntp, "hardware transmit timestamps", uint),
              hardwareReceiveTimestamps: optional(ntp, "hardware receive timestamps", uint),
            },
          }),
    };
  });
  const a = one("activity")!;
  const ss = one("serverstats")!;
  const sm = one("smoothing")?.size ? one("smoothing") : undefined;
  return {
    serverVersion: "4.3",
    tracking: {
      referenceId: uint(t, "reference ID"),
      referenceIp: text(t, "address"),
      stratum: uint(t, "stratum"),
      leapStatus: uint(t, "leap status") as never,
      refTime: time(t, "reference time"),
      offset: float(t, "current correction"),
      lastOffset: float(t, "last offset"),
      rmsOffset: float(t, "RMS offset"),
      frequency: float(t, "frequency offset"),
      residualFreq: float(t, "residual frequency"),
      skew: float(t, "skew"),
      rootDelay: float(t, "root delay"),
      rootDispersion: float(t, "root dispersion"),
      updateInterval: float(t, "last update interval"),
    },
    sources,
    rtc: null,
    smoothing: sm
      ? {
          active: (uint(sm, "flags") & 1) !== 0,
          leapOnly: (uint(sm, "flags") & 2) !== 0,
          offset: float(sm, "offset"),
          freqOffset: float(sm, "frequency offset"),
          wander: float(sm, "wander"),
          lastUpdateAgo: float(sm, "last update ago"),
          remainingTime: float(sm, "remaining time"),
        }
      : null,
    activity: {
      onlineSources: uint(a, "online sources"),
      offlineSources: uint(a, "offline sources"),
      burstOnlineReturnSources: uint(a, "burst online-return sources"),
      burstOfflineReturnSources: uint(a, "burst offline-return sources"),
      unresolvedSources: uint(a, "unresolved sources"),
    },
    serverstats: {
      receivedNtpRequests: uint(ss, "received NTP requests"),
      acceptedNtsKeConnections: uint(ss, "accepted NTS-KE connections"),
      receivedCommandRequests: uint(ss, "received command requests"),
      droppedNtpRequests: uint(ss, "dropped NTP requests"),
      droppedNtsKeConnections: uint(ss, "dropped NTS-KE connections"),
      droppedCommandRequests: uint(ss, "dropped command requests"),
      droppedClientLogRecords: uint(ss, "dropped client log records"),
      receivedAuthenticatedNtpRequests: uint(ss, "received authenticated NTP requests"),
      // Serverstats 3 (chronyd 4.2–4.3) and 4 (≥ 4.4) only.
      receivedInterleavedNtpRequests: optional(ss, "received interleaved NTP requests", uint),
      heldNtpTimestamps: optional(ss, "held NTP timestamps", uint),
      ntpTimestampSpan: optional(ss, "NTP timestamp span", uint),
      // Serverstats 4 (chronyd ≥ 4.4) only.
      servedDaemonRxTimestamps: optional(ss, "served daemon RX timestamps", uint),
      servedDaemonTxTimestamps: optional(ss, "served daemon TX timestamps", uint),
      servedKernelRxTimestamps: optional(ss, "served kernel RX timestamps", uint),
      servedKernelTxTimestamps: optional(ss, "served kernel TX timestamps", uint),
      servedHardwareRxTimestamps: optional(ss, "served hardware RX timestamps", uint),
      servedHardwareTxTimestamps: optional(ss, "served hardware TX timestamps", uint),
    },
  };
}
