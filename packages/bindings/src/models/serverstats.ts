import type { FieldName } from "@chrony/fields";
import type { FieldReader } from "../records.js";
import { type ModelFields } from "./model.js";

/**
 * chronyd's server counters (`chronyc serverstats`). Every counter is a
 * `bigint`: the newest response carries them as 64-bit integers, which a
 * `number` could not hold exactly. Counters an older server does not send
 * are `null`.
 */
export class ServerStats {
  readonly receivedNtpRequests: bigint;
  readonly acceptedNtsKeConnections: bigint | null;
  readonly receivedCommandRequests: bigint;
  readonly droppedNtpRequests: bigint;
  readonly droppedNtsKeConnections: bigint | null;
  readonly droppedCommandRequests: bigint;
  readonly droppedClientLogRecords: bigint;
  readonly receivedAuthenticatedNtpRequests: bigint | null;
  readonly receivedInterleavedNtpRequests: bigint | null;
  readonly heldNtpTimestamps: bigint | null;
  /** Seconds between the oldest and newest held NTP timestamp. */
  readonly ntpTimestampSpan: bigint | null;
  readonly servedDaemonRxTimestamps: bigint | null;
  readonly servedDaemonTxTimestamps: bigint | null;
  readonly servedKernelRxTimestamps: bigint | null;
  readonly servedKernelTxTimestamps: bigint | null;
  readonly servedHardwareRxTimestamps: bigint | null;
  readonly servedHardwareTxTimestamps: bigint | null;

  constructor(fields: ModelFields<ServerStats>) {
    this.receivedNtpRequests = fields.receivedNtpRequests;
    this.acceptedNtsKeConnections = fields.acceptedNtsKeConnections;
    this.receivedCommandRequests = fields.receivedCommandRequests;
    this.droppedNtpRequests = fields.droppedNtpRequests;
    this.droppedNtsKeConnections = fields.droppedNtsKeConnections;
    this.droppedCommandRequests = fields.droppedCommandRequests;
    this.droppedClientLogRecords = fields.droppedClientLogRecords;
    this.receivedAuthenticatedNtpRequests = fields.receivedAuthenticatedNtpRequests;
    this.receivedInterleavedNtpRequests = fields.receivedInterleavedNtpRequests;
    this.heldNtpTimestamps = fields.heldNtpTimestamps;
    this.ntpTimestampSpan = fields.ntpTimestampSpan;
    this.servedDaemonRxTimestamps = fields.servedDaemonRxTimestamps;
    this.servedDaemonTxTimestamps = fields.servedDaemonTxTimestamps;
    this.servedKernelRxTimestamps = fields.servedKernelRxTimestamps;
    this.servedKernelTxTimestamps = fields.servedKernelTxTimestamps;
    this.servedHardwareRxTimestamps = fields.servedHardwareRxTimestamps;
    this.servedHardwareTxTimestamps = fields.servedHardwareTxTimestamps;
    Object.freeze(this);
  }
}

/** Builds a {@link ServerStats} from the session's serverstats record (any of the four response variants). */
export function readServerStats(record: FieldReader<"serverstats">): ServerStats {
  const optional = (name: FieldName<"serverstats">) => (record.has(name) ? record.bigUint(name) : null);
  return new ServerStats({
    receivedNtpRequests: record.bigUint("received NTP requests"),
    acceptedNtsKeConnections: optional("accepted NTS-KE connections"),
    receivedCommandRequests: record.bigUint("received command requests"),
    droppedNtpRequests: record.bigUint("dropped NTP requests"),
    droppedNtsKeConnections: optional("dropped NTS-KE connections"),
    droppedCommandRequests: record.bigUint("dropped command requests"),
    droppedClientLogRecords: record.bigUint("dropped client log records"),
    receivedAuthenticatedNtpRequests: optional("received authenticated NTP requests"),
    receivedInterleavedNtpRequests: optional("received interleaved NTP requests"),
    heldNtpTimestamps: optional("held NTP timestamps"),
    ntpTimestampSpan: optional("NTP timestamp span"),
    servedDaemonRxTimestamps: optional("served daemon RX timestamps"),
    servedDaemonTxTimestamps: optional("served daemon TX timestamps"),
    servedKernelRxTimestamps: optional("served kernel RX timestamps"),
    servedKernelTxTimestamps: optional("served kernel TX timestamps"),
    servedHardwareRxTimestamps: optional("served hardware RX timestamps"),
    servedHardwareTxTimestamps: optional("served hardware TX timestamps"),
  });
}
