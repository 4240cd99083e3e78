import { LEAP_STATUS, NTP_MODE, NTP_TIMESTAMPING, NtpFlag, type LeapStatus, type NtpMode, type NtpTimestamping } from "@chrony/fields";
import type { FieldReader } from "../records.js";
import { timeToSeconds, type ExactTime } from "../time.js";
import { referenceIdName, Validator, type ModelFields } from "./model.js";

/** Tests 1–7 and A–D of `NtpFlag`: set when the last packet passed the test. */
const TEST_BITS = [
  NtpFlag.TEST1,
  NtpFlag.TEST2,
  NtpFlag.TEST3,
  NtpFlag.TEST5,
  NtpFlag.TEST6,
  NtpFlag.TEST7,
  NtpFlag.TESTA,
  NtpFlag.TESTB,
  NtpFlag.TESTC,
  NtpFlag.TESTD,
].reduce((mask, bit) => mask | bit, 0);

const CHECKS = new Validator<ModelFields<NtpData>>("NtpData").known("leapStatus", LEAP_STATUS)
  // A source that never answered has all-zero packet fields (chronyd 4.3 on an unreachable server).
  .known("mode", NTP_MODE, { zeroPasses: true })
  .known("transmitTimestamping", NTP_TIMESTAMPING, { zeroPasses: true })
  .known("receiveTimestamping", NTP_TIMESTAMPING, { zeroPasses: true })
  .range("stratum", 0, 16)
  .finite("rootDelay", "rootDispersion", "refTime", "offset", "peerDelay", "peerDispersion", "responseTime", "jitterAsymmetry")
  .nonNegative("rootDelay", "rootDispersion", "peerDispersion");

/** The last NTP packet exchange with one source (`chronyc ntpdata`). */
export class NtpData {
  /** The source's address. */
  readonly remoteAddress: string;
  /** The local address used. */
  readonly localAddress: string;
  /** The source's port. */
  readonly remotePort: number;
  /** Leap status in the last packet. */
  readonly leapStatus: LeapStatus;
  /** NTP version of the last packet. */
  readonly version: number;
  /** NTP mode of the last packet (`NtpMode`); 0 while no packet has been received. */
  readonly mode: NtpMode | 0;
  /** Stratum in the last packet. */
  readonly stratum: number;
  /** Poll in the last packet, log2 seconds. */
  readonly poll: number;
  /** Precision of the source's clock, log2 seconds. */
  readonly precision: number;
  /** Root delay in the last packet, seconds. */
  readonly rootDelay: number;
  /** Root dispersion in the last packet, seconds. */
  readonly rootDispersion: number;
  /** Reference ID in the last packet. */
  readonly referenceId: number;
  /** {@link referenceId} as text (`"GPS"` or a dotted quad). */
  readonly referenceIdName: string;
  /** Reference time in the last packet, seconds since the epoch. */
  readonly refTime: number;
  /** {@link refTime} exactly. */
  readonly refTimeExact: ExactTime;
  /** Measured offset, seconds. */
  readonly offset: number;
  /** Measured delay, seconds. */
  readonly peerDelay: number;
  /** Measured dispersion, seconds. */
  readonly peerDispersion: number;
  /** Server's response time, seconds. */
  readonly responseTime: number;
  /** Estimated jitter asymmetry. */
  readonly jitterAsymmetry: number;
  /** Test results and modes (bits of `NtpFlag`). */
  readonly flags: number;
  /** Where the transmit timestamp was taken (`NtpTimestamping` character code); 0 before the first exchange. */
  readonly transmitTimestamping: NtpTimestamping | 0;
  /** Where the receive timestamp was taken (`NtpTimestamping` character code); 0 before the first exchange. */
  readonly receiveTimestamping: NtpTimestamping | 0;
  readonly transmittedMessages: number;
  readonly receivedMessages: number;
  readonly receivedValidMessages: number;
  /** `null` from chronyd before 4.3, which had no such counter (the word was reserved, all ones). */
  readonly receivedGoodMessages: number | null;
  /** Kernel transmit timestamps; `null` from servers sending the older response without it. */
  readonly kernelTransmitTimestamps: number | null;
  /** Kernel receive timestamps; `null` from older servers. */
  readonly kernelReceiveTimestamps: number | null;
  /** Hardware transmit timestamps; `null` from older servers. */
  readonly hardwareTransmitTimestamps: number | null;
  /** Hardware receive timestamps; `null` from older servers. */
  readonly hardwareReceiveTimestamps: number | null;

  /** @throws {@link ChronyDataError} for an unknown enum value or a non-finite number. */
  constructor(fields: ModelFields<NtpData>) {
    CHECKS.check(fields);
    this.remoteAddress = fields.remoteAddress;
    this.localAddress = fields.localAddress;
    this.remotePort = fields.remotePort;
    this.leapStatus = fields.leapStatus;
    this.version = fields.version;
    this.mode = fields.mode;
    this.stratum = fields.stratum;
    this.poll = fields.poll;
    this.precision = fields.precision;
    this.rootDelay = fields.rootDelay;
    this.rootDispersion = fields.rootDispersion;
    this.referenceId = fields.referenceId;
    this.referenceIdName = fields.referenceIdName;
    this.refTime = fields.refTime;
    this.refTimeExact = fields.refTimeExact;
    this.offset = fields.offset;
    this.peerDelay = fields.peerDelay;
    this.peerDispersion = fields.peerDispersion;
    this.responseTime = fields.responseTime;
    this.jitterAsymmetry = fields.jitterAsymmetry;
    this.flags = fields.flags;
    this.transmitTimestamping = fields.transmitTimestamping;
    this.receiveTimestamping = fields.receiveTimestamping;
    this.transmittedMessages = fields.transmittedMessages;
    this.receivedMessages = fields.receivedMessages;
    this.receivedValidMessages = fields.receivedValidMessages;
    this.receivedGoodMessages = fields.receivedGoodMessages;
    this.kernelTransmitTimestamps = fields.kernelTransmitTimestamps;
    this.kernelReceiveTimestamps = fields.kernelReceiveTimestamps;
    this.hardwareTransmitTimestamps = fields.hardwareTransmitTimestamps;
    this.hardwareReceiveTimestamps = fields.hardwareReceiveTimestamps;
    Object.freeze(this);
  }

  /** Whether a flag bit (`NtpFlag`) is set. */
  hasFlag(flag: NtpFlag): boolean {
    return (this.flags & flag) !== 0;
  }

  /** Whether the last packet passed every test (chronyc's "Total valid"). */
  passedAllTests(): boolean {
    return (this.flags & TEST_BITS) === TEST_BITS;
  }

  /** Whether the last packet was authenticated. */
  isAuthenticated(): boolean {
    return this.hasFlag(NtpFlag.AUTHENTICATED);
  }

  /** Whether interleaved mode was used. */
  isInterleaved(): boolean {
    return this.hasFlag(NtpFlag.INTERLEAVED);
  }
}

/** Builds an {@link NtpData} from the session's ntpdata record (either response variant). */
export function readNtpData(record: FieldReader<"ntpdata">): NtpData {
  const referenceId = record.uint("reference ID");
  const refTimeExact = record.time("reference time");
  const counter = (name: Parameters<typeof record.uint>[0]) => (record.has(name) ? record.uint(name) : null);
  return new NtpData({
    remoteAddress: record.string("remote address") ?? "",
    localAddress: record.string("local address") ?? "",
    remotePort: record.uint("remote port"),
    leapStatus: record.uint("leap status") as LeapStatus,
    version: record.uint("version"),
    mode: record.uint("mode") as NtpMode | 0,
    stratum: record.uint("stratum"),
    poll: record.int("poll"),
    precision: record.int("precision"),
    rootDelay: record.float("root delay"),
    rootDispersion: record.float("root dispersion"),
    referenceId,
    referenceIdName: referenceIdName(referenceId),
    refTime: timeToSeconds(refTimeExact),
    refTimeExact,
    offset: record.float("offset"),
    peerDelay: record.float("peer delay"),
    peerDispersion: record.float("peer dispersion"),
    responseTime: record.float("response time"),
    jitterAsymmetry: record.float("jitter asymmetry"),
    flags: record.uint("flags"),
    transmitTimestamping: record.uint("transmit timestamping") as NtpTimestamping | 0,
    receiveTimestamping: record.uint("receive timestamping") as NtpTimestamping | 0,
    transmittedMessages: record.uint("transmitted messages"),
    receivedMessages: record.uint("received messages"),
    receivedValidMessages: record.uint("received valid messages"),
    receivedGoodMessages: reservedAsNull(record.uint("received good messages")),
    kernelTransmitTimestamps: counter("kernel transmit timestamps"),
    kernelReceiveTimestamps: counter("kernel receive timestamps"),
    hardwareTransmitTimestamps: counter("hardware transmit timestamps"),
    hardwareReceiveTimestamps: counter("hardware receive timestamps"),
  });
}

/** chronyd before 4.3 sent a reserved word, all ones, where the good-messages counter now is. */
function reservedAsNull(value: number): number | null {
  return value === 0xffffffff ? null : value;
}
