/**
 * The parts of chronyd's command protocol (candm.h) that libchrony 0.2 uses,
 * and how libchrony maps reply statuses to its errors (message.c).
 *
 * @module
 */
import { ChronyErr } from "./codes.js";

/** Framing of command packets as libchrony builds and checks them. */
export const PROTOCOL = Object.freeze({
  /** `PROTO_VERSION_NUMBER`. */
  version: 6,
  /** `PKT_TYPE_CMD_REQUEST`. */
  requestType: 1,
  /** `PKT_TYPE_CMD_REPLY`. */
  replyType: 2,
  /** Bytes before a request's data: version, type, 2 reserved, command, attempt, sequence, 2 pads. */
  requestHeaderLength: 20,
  /** Bytes before a reply's data: the request header's first 8 bytes, then command echo, reply code, status, 2 pads, sequence, 2 pads. */
  replyHeaderLength: 28,
  /** libchrony's receive buffer (message.h `MAX_MESSAGE_LEN`). */
  maxMessageLength: 1024,
  /** chronyd's default command port. */
  defaultPort: 323,
});

/** Reply status codes (candm.h `STT_*`). */
export const ReplyStatus = {
  SUCCESS: 0,
  FAILED: 1,
  UNAUTH: 2,
  INVALID: 3,
  NOSUCHSOURCE: 4,
  INVALIDTS: 5,
  NOTENABLED: 6,
  BADSUBNET: 7,
  ACCESSALLOWED: 8,
  ACCESSDENIED: 9,
  NOHOSTACCESS: 10,
  SOURCEALREADYKNOWN: 11,
  TOOMANYSOURCES: 12,
  NORTC: 13,
  BADRTCFILE: 14,
  INACTIVE: 15,
  BADSAMPLE: 16,
  INVALIDAF: 17,
  BADPKTVERSION: 18,
  BADPKTLENGTH: 19,
  INVALIDNAME: 21,
} as const;
/** A reply status code. */
export type ReplyStatus = (typeof ReplyStatus)[keyof typeof ReplyStatus];

/**
 * The error `chrony_process_response()` returns for a reply status
 * (message.c `process_response`): success continues, anything not listed is
 * `UNEXPECTED_STATUS`.
 */
export function errorOfStatus(status: number): ChronyErr {
  switch (status) {
    case ReplyStatus.SUCCESS:
      return ChronyErr.OK;
    case ReplyStatus.UNAUTH:
      return ChronyErr.UNAUTHORIZED;
    case ReplyStatus.INVALID:
      return ChronyErr.OLD_SERVER;
    case ReplyStatus.NOTENABLED:
    case ReplyStatus.NORTC:
      return ChronyErr.DISABLED;
    case ReplyStatus.BADPKTVERSION:
    case ReplyStatus.BADPKTLENGTH:
      return ChronyErr.NEW_SERVER;
    default:
      return ChronyErr.UNEXPECTED_STATUS;
  }
}

/** Address families of candm.h's `IPAddr` (20 bytes: 16 of address, family, padding). */
export const AddressFamily = {
  UNSPEC: 0,
  INET4: 1,
  INET6: 2,
  /** A reference clock's or unresolved source's identifier. */
  ID: 3,
} as const;
/** An `IPAddr` family. */
export type AddressFamily = (typeof AddressFamily)[keyof typeof AddressFamily];
