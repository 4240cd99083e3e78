/**
 * Byte layout of command requests and replies, driven by the field lists of
 * `@chrony/fields` (message.c `get_field_len` / `get_field_position`).
 */
import { PROTOCOL, WIRE_TYPE_LENGTH, type FieldDef, type ResponseDef } from "@chrony/fields";

const offsetCache = new WeakMap<readonly FieldDef[], Int32Array>();

/** Offsets of every field within a field list's data, plus the total length at the end; computed once per list. */
export function fieldOffsets(fields: readonly FieldDef[]): Int32Array {
  let offsets = offsetCache.get(fields);
  if (!offsets) {
    offsets = new Int32Array(fields.length + 1);
    for (let i = 0; i < fields.length; i++) offsets[i + 1] = offsets[i]! + WIRE_TYPE_LENGTH[fields[i]!.wire];
    offsetCache.set(fields, offsets);
  }
  return offsets;
}

/** Offset of field `index` within a field list's data (`index` = length gives the data length). */
export function fieldOffset(fields: readonly FieldDef[], index: number): number {
  return fieldOffsets(fields)[index]!;
}

/** Length of a whole reply of this variant (message.c `get_response_len`). */
export function replyLength(response: ResponseDef): number {
  return PROTOCOL.replyHeaderLength + fieldOffset(response.fields, response.fields.length);
}

/** Header offsets shared by requests and replies. */
export const HEADER = Object.freeze({
  version: 0,
  packetType: 1,
  /** Two reserved bytes that must be zero. */
  reserved: 2,
  command: 4,
  /** Requests: resend attempt; replies: reply code. */
  attemptOrReply: 6,
  requestSequence: 8,
  replyStatus: 8,
  replySequence: 16,
});
