/**
 * What chronyc 4.3 prints with `-n -c` for each report of a state, computed
 * from the state alone (client.c's CSV formats: floats as `%.Nf` after
 * chronyd's wire float, names through `-n`, intervals as plain numbers).
 */
import { LeapStatus, NtpFlag, NtpMode, SelectOption, SmoothingFlag, SourceMode, SourceState } from "@chrony/fields";
import * as protocol from "@chrony/protocol";
import { normalizeState, referenceIdOf, type ChronyStateConfig, type ServerState } from "@chrony/mock-session";

type Source = ServerState["sources"][number];
type Time = { readonly seconds: bigint; readonly nanoseconds: number };

/** A double after chronyd's 32-bit wire float. */
export const wire = (x: number): number => protocol.decodeFloat(protocol.encodeFloat(x));

/** glibc's `%.{prec}f`: exact decimal value, ties to even, sign kept on negative zero results. */
export function cFixed(x: number, prec: number): string {
  if (!Number.isFinite(x)) return String(x);
  const negative = x < 0 || Object.is(x, -0);
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, Math.abs(x));
  const bits = view.getBigUint64(0);
  const exponentBits = Number((bits >> 52n) & 0x7ffn);
  let mantissa = bits & ((1n << 52n) - 1n);
  let exponent: number;
  if (exponentBits === 0) exponent = -1074;
  else {
    mantissa |= 1n << 52n;
    exponent = exponentBits - 1075;
  }
  const scale = 10n ** BigInt(prec);
  let q: bigint;
  if (exponent >= 0) q = (mantissa << BigInt(exponent)) * scale;
  else {
    const num = mantissa * scale;
    const den = 1n << BigInt(-exponent);
    q = num / den;
    const r2 = (num % den) * 2n;
    if (r2 > den || (r2 === den && q % 2n === 1n)) q += 1n;
  }
  const digits = q.toString().padStart(prec + 1, "0");
  const text = prec === 0 ? digits : `${digits.slice(0, -prec)}.${digits.slice(-prec)}`;
  return (negative ? "-" : "") + text;
}

const f = (x: number, prec: number): string => cFixed(wire(x), prec);

function hex8(value: number): string {
  return (value >>> 0).toString(16).toUpperCase().padStart(8, "0");
}

/** UTI_RefidToString: the printable characters of the four bytes. */
function refidString(id: number): string {
  let out = "";
  for (let i = 0; i < 4; i++) {
    const c = (id >>> (24 - i * 8)) & 0xff;
    if (c >= 0x20 && c < 0x7f) out += String.fromCharCode(c);
  }
  return out;
}

/** UTI_IPToString of a numeric address (inet_ntop for IPv6), "[UNSPEC]" for none. */
function ipString(address: string | null): string {
  if (address === null) return "[UNSPEC]";
  const parsed = protocol.parseIpAddress(address);
  if (!parsed) return "[UNSPEC]";
  const view = new DataView(new ArrayBuffer(20));
  new Uint8Array(view.buffer).set(parsed.bytes);
  view.setUint16(16, parsed.family);
  return protocol.formatAddress(view, 0)!;
}

const timespec = (t: Time): string => `${t.seconds}.${String(t.nanoseconds).padStart(9, "0")}`;

function leap(value: number): string {
  switch (value) {
    case LeapStatus.NORMAL:
      return "Normal";
    case LeapStatus.INSERT_SECOND:
      return "Insert second";
    case LeapStatus.DELETE_SECOND:
      return "Delete second";
    case LeapStatus.NOT_SYNCHRONIZED:
      return "Not synchronised";
    default:
      return "Invalid";
  }
}

/** A source's name as chronyc -n prints it in per-source reports. */
function sourceName(source: Source): string {
  return source.isReferenceClock ? refidString(source.referenceId) : ipString(source.address);
}

const binary = (value: number, digits: number): string =>
  Array.from({ length: digits }, (_, i) => ((value >>> (digits - 1 - i)) & 1 ? "1" : "0")).join("");

const log2 = (l: number): number => {
  const c = Math.max(-31, Math.min(31, l));
  return c >= 0 ? 2 ** c : 1 / 2 ** -c;
};

function tracking(s: ServerState): string[] {
  const t = s.tracking;
  const name = t.referenceIp === null ? refidString(t.referenceId) : ipString(t.referenceIp);
  return [
    [
      hex8(t.referenceId),
      name,
      t.stratum,
      timespec(t.refTime),
      f(t.offset, 9),
      f(t.lastOffset, 9),
      f(t.rmsOffset, 9),
      f(t.frequency, 3),
      f(t.residualFreq, 3),
      f(t.skew, 3),
      f(t.rootDelay, 9),
      f(t.rootDispersion, 9),
      f(t.updateInterval, 1),
      leap(t.leapStatus),
    ].join(","),
  ];
}

function sources(s: ServerState): string[] {
  return s.sources.map((src) =>
    [
      src.mode === SourceMode.CLIENT ? "^" : src.mode === SourceMode.PEER ? "=" : "#",
      ({ [SourceState.SELECTED]: "*", [SourceState.NONSELECTABLE]: "?", [SourceState.FALSETICKER]: "x", [SourceState.JITTERY]: "~", [SourceState.UNSELECTED]: "+", [SourceState.SELECTABLE]: "-" } as Record<number, string>)[src.state],
      sourceName(src),
      src.stratum,
      src.poll,
      src.reachability.toString(8),
      src.lastSampleAgo,
      f(src.latestMeas, 9),
      f(src.origLatestMeas, 9),
      f(src.latestMeasErr, 9),
    ].join(","),
  );
}

function sourcestats(s: ServerState): string[] {
  return s.sources.map((src) => {
    const st = src.sourcestats;
    return [sourceName(src), st.samples, st.runs, st.span, f(st.residFreq, 3), f(st.skew, 3), f(st.offset, 9), f(st.stdDev, 9)].join(",");
  });
}

function options(bits: number): string[] {
  return [
    bits & SelectOption.NOSELECT ? "N" : "-",
    bits & SelectOption.PREFER ? "P" : "-",
    bits & SelectOption.TRUST ? "T" : "-",
    bits & SelectOption.REQUIRE ? "R" : "-",
    "-",
  ];
}

function selectdata(s: ServerState): string[] {
  return s.sources.map((src) => {
    const d = src.selectdata;
    return [
      String.fromCharCode(d.state),
      sourceName(src),
      d.authenticated ? "Y" : "N",
      ...options(d.configuredOptions),
      ...options(d.effectiveOptions),
      d.lastSampleAgo,
      f(d.score, 1),
      f(d.lowLimit, 9),
      f(d.highLimit, 9),
      leap(d.leapStatus),
    ].join(",");
  });
}

function activity(s: ServerState): string[] {
  const a = s.activity;
  return [[a.onlineSources, a.offlineSources, a.burstOnlineReturnSources, a.burstOfflineReturnSources, a.unresolvedSources].join(",")];
}

function serverstats43(s: ServerState): string[] {
  const v = s.serverstats;
  const u32 = (x: bigint): string => String(BigInt.asUintN(32, x));
  return [
    [
      v.receivedNtpRequests,
      v.droppedNtpRequests,
      v.receivedCommandRequests,
      v.droppedCommandRequests,
      v.droppedClientLogRecords,
      v.acceptedNtsKeConnections,
      v.droppedNtsKeConnections,
      v.receivedAuthenticatedNtpRequests,
      v.receivedInterleavedNtpRequests,
      v.heldNtpTimestamps,
      v.ntpTimestampSpan,
    ]
      .map((x) => u32(BigInt(x)))
      .join(","),
  ];
}

function rtcdata(s: ServerState): string[] {
  const r = s.rtc;
  if (!r) return ["513 RTC driver not running"];
  return [[timespec(r.refTime), r.samples, r.runs, r.span, f(r.offset, 6), f(r.freqOffset, 3)].join(",")];
}

function smoothing(s: ServerState): string[] {
  const m = s.smoothing;
  if (!m) return ["505 Facility not enabled in daemon"];
  const flags = (m.active ? SmoothingFlag.ACTIVE : 0) | (m.leapOnly ? SmoothingFlag.LEAP_ONLY : 0);
  return [
    [
      flags & SmoothingFlag.ACTIVE ? "Yes" : "No",
      flags & SmoothingFlag.LEAP_ONLY ? "(leap second only)" : "",
      f(m.offset, 9),
      f(m.freqOffset, 6),
      f(m.wander, 6),
      f(m.lastUpdateAgo, 1),
      f(m.remainingTime, 1),
    ].join(","),
  ];
}

const ntpSources = (s: ServerState): Source[] => s.sources.filter((src) => src.mode === SourceMode.CLIENT || src.mode === SourceMode.PEER);

function authdata(s: ServerState): string[] {
  return ntpSources(s).map((src) => {
    const a = src.authdata;
    return [sourceName(src), ["-", "SK", "NTS"][a.mode] ?? "?", a.keyId, a.keyType, a.keyLength, a.lastKeyEstablishmentAgo, a.keyEstablishmentAttempts, a.nak ? 1 : 0, a.cookies, a.cookieLength].join(",");
  });
}

function ntpMode(mode: number): string {
  return mode === NtpMode.ACTIVE_SYMMETRIC ? "Symmetric active" : mode === NtpMode.PASSIVE_SYMMETRIC ? "Symmetric passive" : mode === NtpMode.SERVER ? "Server" : "Invalid";
}

function tss(c: number): string {
  return ({ D: "Daemon", K: "Kernel", H: "Hardware" } as Record<string, string>)[String.fromCharCode(c)] ?? "Invalid";
}

function ntpdata(s: ServerState): string[] {
  return ntpSources(s).map((src) => {
    const n = src.ntpdata!;
    const toInt8 = (x: number): number => (x << 24) >> 24;
    const poll = toInt8(n.poll);
    const precision = toInt8(n.precision);
    return [
      ipString(src.address),
      hex8(referenceIdOf(src.address)),
      n.remotePort,
      ipString(n.localAddress),
      hex8(n.localAddress === null ? 0 : referenceIdOf(n.localAddress)),
      leap(n.leapStatus),
      n.version,
      ntpMode(n.mode),
      n.stratum,
      poll,
      cFixed(log2(poll), 0),
      precision,
      cFixed(log2(precision), 9),
      f(n.rootDelay, 6),
      f(n.rootDispersion, 6),
      hex8(n.referenceId),
      n.stratum <= 1 ? refidString(n.referenceId) : "",
      timespec(n.refTime),
      f(n.offset, 9),
      f(n.peerDelay, 9),
      f(n.peerDispersion, 9),
      f(n.responseTime, 9),
      f(n.jitterAsymmetry, 2),
      binary(n.flags >> 7, 3),
      binary(n.flags >> 4, 3),
      binary(n.flags, 4),
      n.flags & NtpFlag.INTERLEAVED ? "Yes" : "No",
      n.flags & NtpFlag.AUTHENTICATED ? "Yes" : "No",
      tss(n.transmitTimestamping),
      tss(n.receiveTimestamping),
      n.transmittedMessages,
      n.receivedMessages,
      n.receivedValidMessages,
      n.receivedGoodMessages,
    ].join(",");
  });
}

/** The chronyc commands compared, in order. */
export const CHRONYC_REPORTS = ["tracking", "sources", "sourcestats", "selectdata", "activity", "serverstats", "rtcdata", "smoothing", "authdata", "ntpdata"] as const;
/** A compared chronyc command. */
export type ChronycReport = (typeof CHRONYC_REPORTS)[number];

const FORMATTERS: Record<ChronycReport, (s: ServerState) => string[]> = {
  tracking,
  sources,
  sourcestats,
  selectdata,
  activity,
  serverstats: serverstats43,
  rtcdata,
  smoothing,
  authdata,
  ntpdata,
};

/** chronyc 4.3's `-n -c` lines for a report of a state served as chronyd of its `serverVersion`. */
export function expectedChronyc(config: ChronyStateConfig, report: ChronycReport): string[] {
  const state = normalizeState(config);
  // chronyc 4.3 pads its requests for 4.3's replies: a 4.4+ server wants longer serverstats requests, 4.6+ longer ntpdata ones.
  if (report === "serverstats" && state.version >= 4.04) return ["518 Packet length mismatch"];
  // A 4.0/4.1 server answers with RPY_SERVER_STATS2, which chronyc 4.3 did not ask for.
  if (report === "serverstats" && state.version < 4.02) return ["508 Bad reply from daemon"];
  if (report === "ntpdata" && state.version >= 4.06 && ntpSources(state).length > 0) return ["518 Packet length mismatch"];
  return FORMATTERS[report](state);
}
