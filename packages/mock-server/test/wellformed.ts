/** Checks that a reply is one chronyd could send for a request. */
import { PROTOCOL, REPORTS, ReplyStatus, type ReportDef } from "@chrony/fields";
import * as protocol from "@chrony/protocol";
import { EXTRA_CODES, PACKET } from "@chrony/protocol";

const RECORD_LENGTHS = new Map<number, number>();
for (const report of Object.values(REPORTS) as ReportDef[]) {
  for (const r of report.responses) RECORD_LENGTHS.set(r.code, protocol.replyLength(r));
  if (report.countRequest) RECORD_LENGTHS.set(report.countRequest.response.code, protocol.replyLength(report.countRequest.response));
}
RECORD_LENGTHS.set(EXTRA_CODES.RPY_NTP_SOURCE_NAME, PROTOCOL.replyHeaderLength + PACKET.sourceNameLength);
RECORD_LENGTHS.set(EXTRA_CODES.RPY_MANUAL_LIST2, PACKET.manualListReplyLength);
RECORD_LENGTHS.set(EXTRA_CODES.RPY_CLIENT_ACCESSES_BY_INDEX3, PACKET.clientAccessesReplyLength);
const STATUSES = new Set<number>(Object.values(ReplyStatus));

/** Why a reply is not well formed for its request, or `null`. */
export function replyProblem(request: Uint8Array, reply: Uint8Array): string | null {
  if (reply.length < PROTOCOL.replyHeaderLength) return `short reply ${reply.length}`;
  if (reply.length > request.length) return `reply ${reply.length} longer than request ${request.length}`;
  const rq = new DataView(request.buffer, request.byteOffset, request.length);
  const rp = new DataView(reply.buffer, reply.byteOffset, reply.length);
  if (rp.getUint8(0) !== PROTOCOL.version || rp.getUint8(1) !== PROTOCOL.replyType || rp.getUint16(2) !== 0) return "bad header";
  if (rp.getUint16(4) !== rq.getUint16(4)) return "command not echoed";
  if (rp.getUint32(16) !== rq.getUint32(8)) return "sequence not echoed";
  const code = rp.getUint16(6);
  const status = rp.getUint16(8);
  if (!STATUSES.has(status as ReplyStatus)) return `unknown status ${status}`;
  if (status !== ReplyStatus.SUCCESS || code === EXTRA_CODES.RPY_NULL) {
    if (code !== EXTRA_CODES.RPY_NULL || reply.length !== PROTOCOL.replyHeaderLength) return `status reply ${code}/${reply.length}`;
    return null;
  }
  const expected = RECORD_LENGTHS.get(code);
  if (expected === undefined) return `unknown reply code ${code}`;
  if (reply.length !== expected) return `reply code ${code} with length ${reply.length}, expected ${expected}`;
  return null;
}
