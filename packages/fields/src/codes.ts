/**
 * Numeric codes of libchrony 0.2's public enums (`chrony.h`) and of the wire
 * types it uses internally (`message.h`).
 *
 * @module
 */

/** Values of an `as const` object. */
export type ValueOf<T> = T[keyof T];

/** libchrony's `chrony_err`: the result of every function that can fail. */
export const ChronyErr = {
  OK: 0,
  NO_MEMORY: 1,
  NO_RANDOM: 2,
  UNKNOWN_REPORT: 3,
  RANDOM_FAILED: 4,
  SEND_FAILED: 5,
  RECV_FAILED: 6,
  INVALID_ARGUMENT: 7,
  UNEXPECTED_CALL: 8,
  UNAUTHORIZED: 9,
  DISABLED: 10,
  UNEXPECTED_STATUS: 11,
  OLD_SERVER: 12,
  NEW_SERVER: 13,
  INVALID_RESPONSE: 14,
} as const;
/** A `chrony_err` value. */
export type ChronyErr = ValueOf<typeof ChronyErr>;
/** A `chrony_err` name without the `CHRONY_` prefix, e.g. `"UNEXPECTED_CALL"`. */
export type ChronyErrName = keyof typeof ChronyErr;

/**
 * What `chrony_get_error_string()` returns for each code, in code order
 * (client.c). Any other value gives {@link UNKNOWN_ERROR_STRING}.
 */
export const ERROR_STRINGS: readonly string[] = [
  "Success",
  "Failed to allocate memory",
  "Failed to open /dev/urandom",
  "Unknown report",
  "Failed to read /dev/urandom",
  "Failed to send request",
  "Failed to receive response",
  "Invalid argument",
  "Unexpected function call",
  "Not authorized",
  "Disabled",
  "Unexpected status",
  "Unsupported server version (too old)",
  "Unsupported server version (too new)",
  "Invalid response",
];

/** `chrony_get_error_string()` for a code outside `chrony_err`. */
export const UNKNOWN_ERROR_STRING = "Unknown error";

/** libchrony's `chrony_field_type`: how the C API hands a field's value out. */
export const ChronyFieldType = {
  NONE: 0,
  UINTEGER: 1,
  INTEGER: 2,
  FLOAT: 3,
  TIMESPEC: 4,
  STRING: 5,
} as const;
/** A `chrony_field_type` value. */
export type ChronyFieldType = ValueOf<typeof ChronyFieldType>;
/** A `chrony_field_type` name without the `CHRONY_TYPE_` prefix. */
export type ChronyFieldTypeName = keyof typeof ChronyFieldType;

/** libchrony's `chrony_field_content`: what a field's value means (its unit). */
export const ChronyFieldContent = {
  NONE: 0,
  COUNT: 1,
  TIME: 2,
  INTERVAL_LOG2_SECONDS: 3,
  INTERVAL_SECONDS: 4,
  OFFSET_SECONDS: 5,
  MEASURE_SECONDS: 6,
  OFFSET_PPM: 7,
  MEASURE_PPM: 8,
  OFFSET_PPM_PER_SECOND: 9,
  RATIO: 10,
  REFERENCE_ID: 11,
  ENUM: 12,
  BITS: 13,
  FLAGS: 14,
  ADDRESS: 15,
  PORT: 16,
  INDEX: 17,
  LENGTH_BITS: 18,
  LENGTH_BYTES: 19,
  BOOLEAN: 20,
} as const;
/** A `chrony_field_content` value. */
export type ChronyFieldContent = ValueOf<typeof ChronyFieldContent>;
/** A `chrony_field_content` name without the `CHRONY_CONTENT_` prefix. */
export type ChronyFieldContentName = keyof typeof ChronyFieldContent;

/**
 * How a field is laid out in chronyd's reply (message.h `FieldType`), with
 * its length in bytes. `address-or-uint32` is the sources report's first
 * field: an address, or a reference ID stored in the address's first four
 * bytes when the source is a reference clock.
 */
export const WIRE_TYPE_LENGTH = {
  uint64: 8,
  uint32: 4,
  uint16: 2,
  uint8: 1,
  int16: 2,
  int8: 1,
  float: 4,
  address: 20,
  timespec: 12,
  "address-or-uint32": 20,
} as const;
/** A wire type name. */
export type WireType = keyof typeof WIRE_TYPE_LENGTH;

/** The C API type libchrony gives each wire type (client.c `chrony_get_field_type`). */
export const FIELD_TYPE_OF_WIRE = {
  uint64: "UINTEGER",
  uint32: "UINTEGER",
  uint16: "UINTEGER",
  uint8: "UINTEGER",
  int16: "INTEGER",
  int8: "INTEGER",
  float: "FLOAT",
  address: "STRING",
  timespec: "TIMESPEC",
  // Resolved per record from the source's mode; the address form is the default.
  "address-or-uint32": "STRING",
} as const satisfies Record<WireType, ChronyFieldTypeName>;
/** The C API type name of a wire type. */
export type FieldTypeOfWire<W extends WireType> = (typeof FIELD_TYPE_OF_WIRE)[W];
