/**
 * The simulated chronyd at the packet level, for front ends that put it on
 * a real socket (e.g. `@chrony/mock-server`): parse a request datagram,
 * resolve it against a state, encode the reply.
 *
 * @module
 */
export { parseRequestHeader, resolveRequest, encodeReply, reportOfCommand, responseFor, type Answer, type RequestHeader } from "./chronyd/server.js";
export { replyLength } from "./wire/layout.js";
export { encodeFloat, decodeFloat } from "./wire/float.js";
export { parseIpAddress, formatAddress, type WireAddress } from "./wire/address.js";
export type { FieldValue } from "./chronyd/records.js";
