/**
 * Byte layout of command requests and replies, driven by the field lists of
 * `@chrony/fields` (message.c `get_field_len` / `get_field_position`).
 */
import { PROTOCOL, WIRE_TYPE_LENGTH, type FieldDef, type ResponseDef } from "@chrony/fields";

/** Offset of field `index` within a field list's data. */
export function fieldOffset(fields: readonly FieldDef[], index: number): number {
  let offset = 0;
  for (let i = 0; i < index; i++) offset += WIRE_TYPE_LENGTH[fields[i]!.wire];
  return offset;
}

/** Length of a whole reply of this variant (message.c `get_response_len`). */
export function replyLength(response: ResponseDef): number {
  return PROTOCOL.replyHeaderLength + fieldOffset(response.fields, response.fields.length);
}

/** Header offsets shared by requests and replies. */
export const HEADER = Object.freeze({
  version: 0,
  packetType: 1,
  command: 4,
  /** Requests: resend attempt; replies: reply code. */
  attemptOrReply: 6,
  requestSequence: 8,
  replyStatus: 8,
  replySequence: 16,
});
