/**
 * `@chrony/protocol`: chronyd's command protocol in TypeScript. Packet
 * framing and the field codec (candm.h), chronyd's command table by
 * version, and libchrony's client logic (client.c, message.c) over any
 * {@link DatagramTransport}. No sockets and no native code: transports live
 * in `@chrony/bindings` (real sockets) and `@chrony/mock-session` (a
 * simulated chronyd).
 *
 * @packageDocumentation
 */
export { Errno, type DatagramTransport } from "./transport.js";
export { LIBCHRONY_SOCKET_PATH, parseEndpoint, type Endpoint } from "./endpoint.js";
export {
  EXTRA_CODES,
  OPEN_COMMANDS,
  PACKET,
  argumentLength,
  expectedRequestLength,
  isOpenCommand,
  reportOfCommand,
  requestTypeCount,
  responseFor,
} from "./commands.js";
export { HEADER, fieldOffset, fieldOffsets, replyLength } from "./wire/layout.js";
export { decodeFloat, encodeFloat } from "./wire/float.js";
export { referenceIdOf } from "./wire/refid.js";
export {
  ADDRESS_LENGTH,
  UNSPECIFIED_ADDRESS,
  formatAddress,
  parseIpAddress,
  readAddress,
  sameWireAddress,
  wordAddress,
  writeAddress,
  type WireAddress,
} from "./wire/address.js";
export {
  decodeField,
  decodeRecord,
  encodeField,
  encodeReply,
  parseRequestHeader,
  writeReplySequence,
  type FieldValue,
  type ReplyBody,
  type RequestHeader,
  type WireTime,
} from "./wire/codec.js";
export { ClientSession, type DatagramSocket } from "./libchrony/client.js";
export {
  Message,
  fieldIndex,
  formatRequest,
  getFieldConstantName,
  getFieldFloat,
  getFieldInteger,
  getFieldString,
  getFieldTimespec,
  getFieldUinteger,
  isResponseValid,
  processResponse,
  resolveFieldContent,
  resolveFieldName,
  resolveWireType,
  type RequestArgument,
} from "./libchrony/message.js";
export { SESSION_FUNCTIONS, createLibChrony, randomSequences, type LibChronyOptions, type SessionFunction } from "./libchrony/api.js";
