/**
 * What chronyd puts in each report's record, field by field under
 * libchrony's names, for a given state. The state's keys are the names of
 * `@chrony/bindings`' model properties, which bindings reads from the same
 * libchrony fields: each line below is one word of that shared vocabulary. The encoder picks the fields of the
 * response variant the server version sends.
 */
import { AddressFamily, SmoothingFlag, type FieldOf, type ReportName } from "@chrony/fields";
import { UNSPECIFIED_ADDRESS, parseIpAddress, wordAddress, type FieldValue, type WireAddress } from "@chrony/protocol";
import type { NtpData, Rtc, ServerState, Smoothing, Source } from "../state/normalize.js";

/** Every field of every variant of a report, by name. */
export type RecordValues<R extends ReportName> = { readonly [N in FieldOf<R>["name"]]: FieldValue };

const RESERVED = 0xffffffff;
const RESERVED64 = 0xffffffffffffffffn;

function ipOrUnspecified(address: string | null): WireAddress {
  return (address !== null && parseIpAddress(address)) || UNSPECIFIED_ADDRESS;
}

/** Reference clocks have no address; chronyd sends the unspecified one. */
function sourceAddress(source: Source): WireAddress {
  return source.isReferenceClock ? UNSPECIFIED_ADDRESS : ipOrUnspecified(source.address);
}

export function trackingRecord(state: ServerState): RecordValues<"tracking"> {
  const t = state.tracking;
  return {
    "reference ID": t.referenceId,
    address: ipOrUnspecified(t.referenceIp),
    stratum: t.stratum,
    "leap status": t.leapStatus,
    "reference time": t.refTime,
    "current correction": t.offset,
    "last offset": t.lastOffset,
    "RMS offset": t.rmsOffset,
    "frequency offset": t.frequency,
    "residual frequency": t.residualFreq,
    skew: t.skew,
    "root delay": t.rootDelay,
    "root dispersion": t.rootDispersion,
    "last update interval": t.updateInterval,
  };
}

export function sourcesRecord(source: Source): RecordValues<"sources"> {
  return {
    // chronyd stores a reference clock's reference ID in the address, as IPv4 (sources.c).
    address: source.isReferenceClock ? wordAddress(AddressFamily.INET4, source.referenceId) : sourceAddress(source),
    poll: source.poll,
    stratum: source.stratum,
    state: source.state,
    mode: source.mode,
    flags: source.flags,
    reachability: source.reachability,
    "last sample ago": source.lastSampleAgo,
    "original last sample offset": source.origLatestMeas,
    "adjusted last sample offset": source.latestMeas,
    "last sample error": source.latestMeasErr,
  };
}

export function sourcestatsRecord(source: Source): RecordValues<"sourcestats"> {
  const s = source.sourcestats;
  return {
    "reference ID": source.referenceId,
    address: sourceAddress(source),
    samples: s.samples,
    runs: s.runs,
    span: s.span,
    "standard deviation": s.stdDev,
    "residual frequency": s.residFreq,
    skew: s.skew,
    offset: s.offset,
    "offset error": s.offsetErr,
  };
}

export function selectdataRecord(source: Source): RecordValues<"selectdata"> {
  const s = source.selectdata;
  return {
    "reference ID": source.referenceId,
    address: sourceAddress(source),
    state: s.state,
    authentication: s.authenticated ? 1 : 0,
    "leap status": s.leapStatus,
    "reserved #1": 0,
    "configured options": s.configuredOptions,
    "effective options": s.effectiveOptions,
    "last sample ago": s.lastSampleAgo,
    score: s.score,
    "low limit": s.lowLimit,
    "high limit": s.highLimit,
  };
}

export function activityRecord(state: ServerState): RecordValues<"activity"> {
  const a = state.activity;
  return {
    "online sources": a.onlineSources,
    "offline sources": a.offlineSources,
    "burst online-return sources": a.burstOnlineReturnSources,
    "burst offline-return sources": a.burstOfflineReturnSources,
    "unresolved sources": a.unresolvedSources,
  };
}

export function authdataRecord(source: Source): RecordValues<"authdata"> {
  const a = source.authdata;
  return {
    mode: a.mode,
    "key type": a.keyType,
    "key ID": a.keyId,
    "key length": a.keyLength,
    "key establishment attempts": a.keyEstablishmentAttempts,
    "last key establishment ago": a.lastKeyEstablishmentAgo,
    cookies: a.cookies,
    "cookie length": a.cookieLength,
    NAK: a.nak ? 1 : 0,
    "reserved #1": 0,
  };
}

export function ntpdataRecord(source: Source, n: NtpData, version: number): RecordValues<"ntpdata"> {
  // Before 4.3 a source never heard from had an all-zero report: no remote address either (ntp_core.c).
  const unreported = version < 4.03 && source.reachability === 0;
  return {
    "remote address": unreported ? UNSPECIFIED_ADDRESS : sourceAddress(source),
    "local address": ipOrUnspecified(n.localAddress),
    "remote port": n.remotePort,
    "leap status": n.leapStatus,
    version: n.version,
    mode: n.mode,
    stratum: n.stratum,
    poll: n.poll,
    precision: n.precision,
    "root delay": n.rootDelay,
    "root dispersion": n.rootDispersion,
    "reference ID": n.referenceId,
    "reference time": n.refTime,
    offset: n.offset,
    "peer delay": n.peerDelay,
    "peer dispersion": n.peerDispersion,
    "response time": n.responseTime,
    "jitter asymmetry": n.jitterAsymmetry,
    flags: n.flags,
    "transmit timestamping": n.transmitTimestamping,
    "receive timestamping": n.receiveTimestamping,
    "transmitted messages": n.transmittedMessages,
    "received messages": n.receivedMessages,
    "received valid messages": n.receivedValidMessages,
    // The counter came in 4.3; before, the word was reserved (all ones).
    "received good messages": version < 4.03 ? RESERVED : n.receivedGoodMessages,
    "kernel transmit timestamps": n.kernelTransmitTimestamps,
    "kernel receive timestamps": n.kernelReceiveTimestamps,
    "hardware transmit timestamps": n.hardwareTransmitTimestamps,
    "hardware receive timestamps": n.hardwareReceiveTimestamps,
    // chronyd fills reserved words with 0xff bytes (cmdmon.c).
    "reserved #1": RESERVED,
    "reserved #2": RESERVED,
    "reserved #3": RESERVED,
    "reserved #4": RESERVED,
  };
}

export function serverstatsRecord(state: ServerState): RecordValues<"serverstats"> {
  const s = state.serverstats;
  // Before 4.4 the counters are 32-bit on the wire; the codec wraps them there.
  return {
    "received NTP requests": s.receivedNtpRequests,
    "accepted NTS-KE connections": s.acceptedNtsKeConnections,
    "received command requests": s.receivedCommandRequests,
    "dropped NTP requests": s.droppedNtpRequests,
    "dropped NTS-KE connections": s.droppedNtsKeConnections,
    "dropped command requests": s.droppedCommandRequests,
    "dropped client log records": s.droppedClientLogRecords,
    "received authenticated NTP requests": s.receivedAuthenticatedNtpRequests,
    "received interleaved NTP requests": s.receivedInterleavedNtpRequests,
    "held NTP timestamps": s.heldNtpTimestamps,
    "NTP timestamp span": s.ntpTimestampSpan,
    "served daemon RX timestamps": s.servedDaemonRxTimestamps,
    "served daemon TX timestamps": s.servedDaemonTxTimestamps,
    "served kernel RX timestamps": s.servedKernelRxTimestamps,
    "served kernel TX timestamps": s.servedKernelTxTimestamps,
    "served hardware RX timestamps": s.servedHardwareRxTimestamps,
    "served hardware TX timestamps": s.servedHardwareTxTimestamps,
    "reserved #1": RESERVED64,
    "reserved #2": RESERVED64,
    "reserved #3": RESERVED64,
    "reserved #4": RESERVED64,
  };
}

export function rtcdataRecord(rtc: Rtc): RecordValues<"rtcdata"> {
  return {
    "reference time": rtc.refTime,
    samples: rtc.samples,
    runs: rtc.runs,
    span: rtc.span,
    offset: rtc.offset,
    "frequency offset": rtc.freqOffset,
  };
}

export function smoothingRecord(smoothing: Smoothing): RecordValues<"smoothing"> {
  return {
    flags: (smoothing.active ? SmoothingFlag.ACTIVE : 0) | (smoothing.leapOnly ? SmoothingFlag.LEAP_ONLY : 0),
    offset: smoothing.offset,
    "frequency offset": smoothing.freqOffset,
    wander: smoothing.wander,
    "last update ago": smoothing.lastUpdateAgo,
    "remaining time": smoothing.remainingTime,
  };
}
