/**
 * The field codec and reply framing of chronyd's command protocol: every
 * wire type encoded (as chronyd's cmdmon.c writes it) and decoded (as a
 * reader of the packet sees it) side by side, and whole replies built from
 * a response variant and its values.
 */
import { PROTOCOL, ReplyStatus, WIRE_TYPE_LENGTH, type FieldDef, type ResponseDef, type WireType } from "@chrony/fields";
import { readAddress, writeAddress, type WireAddress } from "./address.js";
import { decodeFloat, encodeFloat } from "./float.js";
import { HEADER, replyLength } from "./layout.js";
import { EXTRA_CODES } from "../commands.js";

/** candm.h `Timespec`: 64-bit seconds (two 32-bit halves) and 32-bit nanoseconds. */
export interface WireTime {
  readonly seconds: bigint;
  readonly nanoseconds: number;
}

/** A field's value as it goes on the wire. */
export type FieldValue = number | bigint | WireAddress | WireTime;

/** A parsed request header. */
export interface RequestHeader {
  readonly version: number;
  readonly packetType: number;
  readonly command: number;
  readonly sequence: number;
}

/** The header of a request datagram, or `null` when it is too short to have one. */
export function parseRequestHeader(datagram: Uint8Array): RequestHeader | null {
  if (datagram.length < PROTOCOL.requestHeaderLength) return null;
  const view = new DataView(datagram.buffer, datagram.byteOffset, datagram.length);
  return {
    version: view.getUint8(HEADER.version),
    packetType: view.getUint8(HEADER.packetType),
    command: view.getUint16(HEADER.command),
    sequence: view.getUint32(HEADER.requestSequence),
  };
}

/**
 * Writes a value in a field's wire type. Integers wrap to the type's width as
 * C's conversions do; floats go through chronyd's 32-bit format.
 */
export function encodeField(view: DataView, offset: number, wire: WireType, value: FieldValue): void {
  switch (wire) {
    case "uint64": {
      const big = BigInt.asUintN(64, BigInt(value as number | bigint));
      view.setUint32(offset, Number(big >> 32n));
      view.setUint32(offset + 4, Number(big & 0xffffffffn));
      return;
    }
    // A bigint wraps exactly: Number() would round it first beyond 2^53.
    case "uint32":
      return view.setUint32(offset, typeof value === "bigint" ? Number(BigInt.asUintN(32, value)) : Number(value) >>> 0);
    case "uint16":
      return view.setUint16(offset, typeof value === "bigint" ? Number(BigInt.asUintN(16, value)) : Number(value) & 0xffff);
    case "uint8":
      return view.setUint8(offset, typeof value === "bigint" ? Number(BigInt.asUintN(8, value)) : Number(value) & 0xff);
    case "int16":
      return view.setInt16(offset, Number(value));
    case "int8":
      return view.setInt8(offset, Number(value));
    case "float":
      return view.setUint32(offset, encodeFloat(Number(value)));
    case "address":
    case "address-or-uint32":
      // A missing address stays all zeros: the unspecified address.
      if (typeof value === "object") writeAddress(view, offset, value as WireAddress);
      return;
    case "timespec": {
      if (typeof value !== "object") return;
      const time = value as WireTime;
      const seconds = BigInt.asUintN(64, time.seconds);
      view.setUint32(offset, Number(seconds >> 32n));
      view.setUint32(offset + 4, Number(seconds & 0xffffffffn));
      view.setUint32(offset + 8, time.nanoseconds);
      return;
    }
  }
}

/**
 * Reads a value of a field's wire type exactly as it is on the wire (signed
 * types sign-extended, 64-bit integers as `bigint`); the inverse of
 * {@link encodeField}. libchrony's getters, with their quirks, are in the
 * client's message reader.
 */
export function decodeField(view: DataView, offset: number, wire: WireType): FieldValue {
  switch (wire) {
    case "uint64":
      return (BigInt(view.getUint32(offset)) << 32n) | BigInt(view.getUint32(offset + 4));
    case "uint32":
      return view.getUint32(offset);
    case "uint16":
      return view.getUint16(offset);
    case "uint8":
      return view.getUint8(offset);
    case "int16":
      return view.getInt16(offset);
    case "int8":
      return view.getInt8(offset);
    case "float":
      return decodeFloat(view.getUint32(offset));
    case "address":
    case "address-or-uint32":
      return readAddress(view, offset);
    case "timespec":
      return {
        seconds: (BigInt(view.getUint32(offset)) << 32n) | BigInt(view.getUint32(offset + 4)),
        nanoseconds: view.getUint32(offset + 8),
      };
  }
}

/** Every field of a record, decoded by name from a reply's data. */
export function decodeRecord(reply: Uint8Array, fields: readonly FieldDef[]): Record<string, FieldValue> {
  const view = new DataView(reply.buffer, reply.byteOffset, reply.length);
  const values: Record<string, FieldValue> = {};
  let offset = PROTOCOL.replyHeaderLength;
  for (const field of fields) {
    values[field.name] = decodeField(view, offset, field.wire);
    offset += WIRE_TYPE_LENGTH[field.wire];
  }
  return values;
}

/** A reply's content before framing: a bare status, or a record of one response variant. */
export type ReplyBody =
  | { readonly kind: "status"; readonly status: number }
  | { readonly kind: "record"; readonly response: ResponseDef; readonly values: Readonly<Record<string, FieldValue>> };

/** Frames a reply to a request: header (command and sequence echoed), status or record. Missing values are zero. */
export function encodeReply(header: Pick<RequestHeader, "command" | "sequence">, body: ReplyBody): Uint8Array {
  const length = body.kind === "record" ? replyLength(body.response) : PROTOCOL.replyHeaderLength;
  const bytes = new Uint8Array(length);
  const view = new DataView(bytes.buffer);
  view.setUint8(HEADER.version, PROTOCOL.version);
  view.setUint8(HEADER.packetType, PROTOCOL.replyType);
  view.setUint16(HEADER.command, header.command);
  view.setUint16(HEADER.attemptOrReply, body.kind === "record" ? body.response.code : EXTRA_CODES.RPY_NULL);
  view.setUint16(HEADER.replyStatus, body.kind === "record" ? ReplyStatus.SUCCESS : body.status);
  view.setUint32(HEADER.replySequence, header.sequence);
  if (body.kind === "record") {
    let offset = PROTOCOL.replyHeaderLength;
    for (const field of body.response.fields) {
      encodeField(view, offset, field.wire, body.values[field.name] ?? 0);
      offset += WIRE_TYPE_LENGTH[field.wire];
    }
  }
  return bytes;
}

/** Overwrites a reply's sequence number (replies shared between identical requests differ only there). */
export function writeReplySequence(reply: Uint8Array, sequence: number): void {
  new DataView(reply.buffer, reply.byteOffset, reply.length).setUint32(HEADER.replySequence, sequence >>> 0);
}
