/**
 * A pure-TypeScript reading of libchrony 0.2's message.c: building requests,
 * accepting replies, and the field getters with all their quirks. The mock
 * session runs this against real packet bytes so that a program sees what
 * libchrony would show it.
 */
import {
  AddressFamily,
  CONSTANT_SETS,
  ChronyErr,
  PROTOCOL,
  REPORTS,
  SourceMode,
  errorOfStatus,
  type ChronyFieldContentName,
  type ChronyTimespec,
  type FieldDef,
  type ReportDef,
  type RequestDef,
  type ResponseDef,
  type WireType,
} from "@chrony/fields";
import { formatAddress, writeAddress, type WireAddress } from "../wire/address.js";
import { decodeFloat } from "../wire/float.js";
import { HEADER, fieldOffsets, replyLength } from "../wire/layout.js";

const NO_OFFSETS = new Int32Array(1);
const NO_NAMES: ReadonlyMap<string, number> = new Map();

/** What the getters need of a field list, worked out once per list: they run for every field read. */
interface FieldList {
  /** Where each field starts. */
  readonly offsets: Int32Array;
  /** The first field of each name (the sources report's first field, whose name follows the mode, left out). */
  readonly names: ReadonlyMap<string, number>;
}

const fieldLists = new WeakMap<readonly FieldDef[], FieldList>();

function fieldList(fields: readonly FieldDef[]): FieldList {
  let list = fieldLists.get(fields);
  if (!list) {
    const names = new Map<string, number>();
    fields.forEach((field, i) => {
      if (!field.referenceClockForm && !names.has(field.name)) names.set(field.name, i);
    });
    fieldLists.set(fields, (list = { offsets: fieldOffsets(fields), names }));
  }
  return list;
}

/** A request or response buffer (message.h `Message`). */
export class Message {
  readonly bytes = new Uint8Array(PROTOCOL.maxMessageLength);
  readonly view = new DataView(this.bytes.buffer);
  len = 0;
  numFields = 0;
  fields: readonly FieldDef[] | null = null;
  /** Where each field starts, for the current field list. */
  offsets: Int32Array = NO_OFFSETS;
  /** Field indexes by name, for the current field list. */
  names: ReadonlyMap<string, number> = NO_NAMES;
  #datagram: Uint8Array = this.bytes.subarray(0, 0);

  /** The message's first `len` bytes, as sent; the view is kept while the length stays (requests repeat). */
  get datagram(): Uint8Array {
    if (this.#datagram.length !== this.len) this.#datagram = this.bytes.subarray(0, this.len);
    return this.#datagram;
  }

  /** libchrony memset()s the whole buffer; bytes past `len` are always zero here, so clearing up to it is the same. */
  clear(): void {
    this.bytes.fill(0, 0, this.len);
    this.len = 0;
    this.setFields(null);
  }

  /** Makes `fields` the message's field list, all of them present. */
  setFields(fields: readonly FieldDef[] | null): void {
    this.fields = fields;
    const list = fields && fieldList(fields);
    this.offsets = list ? list.offsets : NO_OFFSETS;
    this.names = list ? list.names : NO_NAMES;
    this.numFields = fields ? fields.length : 0;
  }

  get isReply(): boolean {
    return this.bytes[HEADER.packetType] === PROTOCOL.replyType;
  }
}

/** A request argument: the record index, or the address copied from a sourcestats reply. */
export type RequestArgument = { readonly index: number } | { readonly address: WireAddress };

/** message.c `format_request`: header, argument, padding up to the longest expected reply. */
export function formatRequest(
  msg: Message,
  sequence: number,
  request: RequestDef,
  argument: RequestArgument | null,
  expected: readonly ResponseDef[],
): void {
  msg.clear();
  msg.bytes[HEADER.version] = PROTOCOL.version;
  msg.bytes[HEADER.packetType] = PROTOCOL.requestType;
  msg.view.setUint16(HEADER.command, request.code);
  msg.view.setUint32(HEADER.requestSequence, sequence >>> 0);
  msg.setFields(request.fields);
  const dataEnd = PROTOCOL.requestHeaderLength + msg.offsets[request.fields.length]!;
  if (argument && "index" in argument) msg.view.setUint32(PROTOCOL.requestHeaderLength, argument.index >>> 0);
  if (argument && "address" in argument) writeAddress(msg.view, PROTOCOL.requestHeaderLength, argument.address);
  let len = dataEnd;
  for (let i = 0; i < expected.length; i++) len = Math.max(len, replyLength(expected[i]!));
  msg.len = len;
}

/** message.c `is_response_valid`: a reply to this request, or something to ignore. */
export function isResponseValid(request: Message, response: Message): boolean {
  const r = response.bytes;
  return (
    response.len >= PROTOCOL.replyHeaderLength &&
    r[0] === PROTOCOL.version &&
    r[1] === PROTOCOL.replyType &&
    r[2] === 0 &&
    r[3] === 0 &&
    response.view.getUint16(HEADER.command) === request.view.getUint16(HEADER.command) &&
    response.view.getUint32(HEADER.replySequence) === request.view.getUint32(HEADER.requestSequence)
  );
}

/** message.c `process_response`: status, reply code → field list, length check. */
export function processResponse(msg: Message, expected: readonly ResponseDef[]): ChronyErr {
  msg.setFields(null);
  const error = errorOfStatus(msg.view.getUint16(HEADER.replyStatus));
  if (error !== ChronyErr.OK) return error;
  const code = msg.view.getUint16(HEADER.attemptOrReply);
  let response: ResponseDef | undefined;
  for (let i = 0; i < expected.length && !response; i++) if (expected[i]!.code === code) response = expected[i];
  if (!response) return ChronyErr.NEW_SERVER;
  if (msg.len < replyLength(response)) return ChronyErr.INVALID_RESPONSE;
  msg.setFields(response.fields);
  return ChronyErr.OK;
}

/** A message with a field list. */
type WithFields = Message & { readonly fields: readonly FieldDef[] };

/** Whether the message has field number `field` (any other number reads as missing, as in libchrony). */
function hasField(msg: Message, field: number): msg is WithFields {
  return msg.fields !== null && Number.isInteger(field) && field >= 0 && field < msg.numFields;
}

/** Where a field that {@link hasField} starts (message.c `get_field_position`). */
function fieldPosition(msg: Message, field: number): number {
  return (msg.isReply ? PROTOCOL.replyHeaderLength : PROTOCOL.requestHeaderLength) + msg.offsets[field]!;
}

const SOURCES_FIELDS = REPORTS.sources.responses[0].fields;
const SOURCES_MODE_INDEX = SOURCES_FIELDS.findIndex((f) => f.name === "mode");

/** The sources report's first field is a reference ID when the source is a reference clock. */
function isReferenceClockId(msg: Message, field: number): boolean {
  return (
    msg.fields === SOURCES_FIELDS &&
    msg.fields[field]?.referenceClockForm !== undefined &&
    getFieldUinteger(msg, SOURCES_MODE_INDEX) === SourceMode.REFERENCE_CLOCK
  );
}

/** message.c `resolve_field_type`, in wire-type terms; `null` when the field is missing. */
export function resolveWireType(msg: Message, field: number): WireType | null {
  return hasField(msg, field) ? wireTypeOf(msg, field) : null;
}

/** {@link resolveWireType} of a field that {@link hasField}. */
function wireTypeOf(msg: WithFields, field: number): WireType {
  const def = msg.fields[field]!;
  if (def.referenceClockForm) return isReferenceClockId(msg, field) ? def.referenceClockForm.wire : "address";
  return def.wire;
}

export function resolveFieldName(msg: Message, field: number): string | null {
  if (!hasField(msg, field)) return null;
  const def = msg.fields[field]!;
  return isReferenceClockId(msg, field) ? def.referenceClockForm!.name : def.name;
}

export function resolveFieldContent(msg: Message, field: number): ChronyFieldContentName {
  if (!hasField(msg, field)) return "NONE";
  const def = msg.fields[field]!;
  const content = isReferenceClockId(msg, field) ? def.referenceClockForm!.content : def.content;
  // An unspecified address has no content (e.g. a reference clock's sourcestats address).
  if (content === "ADDRESS" && msg.view.getUint16(fieldPosition(msg, field) + 16) === AddressFamily.UNSPEC) return "NONE";
  return content;
}

/** koffi hands 64-bit integers over as numbers when exact, as bigint otherwise. */
function fromUint64(high: number, low: number): number | bigint {
  const value = high * 2 ** 32 + low;
  return Number.isSafeInteger(value) ? value : (BigInt(high) << 32n) | BigInt(low);
}

export function getFieldUinteger(msg: Message, field: number): number | bigint {
  if (!hasField(msg, field)) return 0;
  const pos = fieldPosition(msg, field);
  switch (wireTypeOf(msg, field)) {
    case "uint64":
      return fromUint64(msg.view.getUint32(pos), msg.view.getUint32(pos + 4));
    case "uint32":
      return msg.view.getUint32(pos);
    case "uint16":
      return msg.view.getUint16(pos);
    case "uint8":
      return msg.view.getUint8(pos);
    default:
      return 0;
  }
}

export function getFieldInteger(msg: Message, field: number): number {
  if (!hasField(msg, field)) return 0;
  const pos = fieldPosition(msg, field);
  switch (wireTypeOf(msg, field)) {
    // libchrony reads int16 through ntohs() into int64_t: no sign extension, -2 reads as 65534.
    case "int16":
      return msg.view.getUint16(pos);
    case "int8":
      return msg.view.getInt8(pos);
    default:
      return 0;
  }
}

export function getFieldFloat(msg: Message, field: number): number {
  // libchrony returns FP_NAN here, glibc's classification constant 0, not a NaN.
  if (!hasField(msg, field) || wireTypeOf(msg, field) !== "float") return 0;
  return decodeFloat(msg.view.getUint32(fieldPosition(msg, field)));
}

/** 2^53 / 2^32: a high word below this makes a 64-bit value a safe integer. */
const SAFE_HIGH_WORD = 2 ** 21;

export function getFieldTimespec(msg: Message, field: number): ChronyTimespec {
  if (!hasField(msg, field) || wireTypeOf(msg, field) !== "timespec") return { tv_sec: 0, tv_nsec: 0 };
  const pos = fieldPosition(msg, field);
  const high = msg.view.getUint32(pos);
  const low = msg.view.getUint32(pos + 4);
  const tv_nsec = msg.view.getUint32(pos + 8);
  // tv_sec is read as uint64 and stored into a signed time_t; tv_nsec is a uint32 in a long.
  if (high < SAFE_HIGH_WORD) return { tv_sec: high * 2 ** 32 + low, tv_nsec };
  const seconds = BigInt.asIntN(64, (BigInt(high) << 32n) | BigInt(low));
  const safe = Number(seconds);
  return { tv_sec: Number.isSafeInteger(safe) ? safe : seconds, tv_nsec };
}

export function getFieldString(msg: Message, field: number): string | null {
  if (!hasField(msg, field) || wireTypeOf(msg, field) !== "address") return null;
  return formatAddress(msg.view, fieldPosition(msg, field));
}

/** client.c `chrony_get_field_index`: the first field whose resolved name matches, or -1. */
export function fieldIndex(msg: Message, name: string): number {
  const fields = msg.fields;
  if (!fields) return -1;
  // The sources report's first field changes its name with the mode; everything else is fixed per field list.
  if (fields[0]?.referenceClockForm && msg.numFields > 0 && resolveFieldName(msg, 0) === name) return 0;
  const index = msg.names.get(name);
  return index !== undefined && index < msg.numFields ? index : -1;
}

/** Looks the value up in the field's table whatever the field's type, as libchrony does. */
export function getFieldConstantName(msg: Message, field: number, value: number | bigint): string | null {
  if (!msg.fields || !Number.isInteger(field) || field < 0 || field >= msg.numFields) return null;
  const set = msg.fields[field]!.constants;
  return set ? CONSTANT_SETS[set].nameOf(value) : null;
}

/** The report whose first record-response variant uses this field list (message.c `is_report_fields`). */
export function isReportFields(report: ReportDef, fields: readonly FieldDef[] | null): boolean {
  return report.responses[0]?.fields === fields;
}
