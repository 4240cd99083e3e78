import type { FieldName } from "@chrony/fields";
import type { FieldReader } from "../records.js";
import { initModel, type ModelFields } from "./model.js";

/**
 * chronyd's server counters (`chronyc serverstats`). Every counter is a
 * `bigint`: the newest response carries them as 64-bit integers, which a
 * `number` could not hold exactly. Counters an older server does not send
 * are `null`.
 */
export class ServerStats {
  declare readonly receivedNtpRequests: bigint;
  declare readonly acceptedNtsKeConnections: bigint | null;
  declare readonly receivedCommandRequests: bigint;
  declare readonly droppedNtpRequests: bigint;
  declare readonly droppedNtsKeConnections: bigint | null;
  declare readonly droppedCommandRequests: bigint;
  declare readonly droppedClientLogRecords: bigint;
  declare readonly receivedAuthenticatedNtpRequests: bigint | null;
  declare readonly receivedInterleavedNtpRequests: bigint | null;
  declare readonly heldNtpTimestamps: bigint | null;
  /** Seconds between the oldest and newest held NTP timestamp. */
  declare readonly ntpTimestampSpan: bigint | null;
  declare readonly servedDaemonRxTimestamps: bigint | null;
  declare readonly servedDaemonTxTimestamps: bigint | null;
  declare readonly servedKernelRxTimestamps: bigint | null;
  declare readonly servedKernelTxTimestamps: bigint | null;
  declare readonly servedHardwareRxTimestamps: bigint | null;
  declare readonly servedHardwareTxTimestamps: bigint | null;

  constructor(fields: ModelFields<ServerStats>) {
    initModel(this, fields);
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
