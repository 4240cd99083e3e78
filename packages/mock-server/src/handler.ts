/**
 * The packet front end of the fake chronyd, as a pure function: one request
 * datagram in, one reply datagram (or nothing) out. It applies chronyd's
 * checks in cmdmon.c's order — length, packet type, protocol version,
 * command, padding, UDP permission — then lets `@chrony/mock-session`'s
 * simulated chronyd resolve report requests, and answers the few other
 * requests chronyc sends itself. Nothing a request carries changes the state.
 */
import { PROTOCOL, ReplyStatus } from "@chrony/fields";
import {
  faultAnswer,
  resolveRequest,
  topicOfCommand,
  transformReply,
  type ActiveFault,
  type Answer,
  type RequestTopic,
  type ServerState,
} from "@chrony/mock-session";
import {
  EXTRA_CODES,
  HEADER,
  OPEN_COMMANDS,
  PACKET,
  encodeReply,
  expectedRequestLength,
  parseIpAddress,
  parseRequestHeader,
  requestTypeCount,
  sameWireAddress,
  type RequestHeader,
} from "@chrony/protocol";

/** How the front end treats requests. */
export interface HandlerOptions {
  /**
   * Mirror chronyd's rule for command requests arriving over UDP: only the
   * open (monitoring) commands are answered; the rest (selectdata, authdata,
   * ntpdata, serverstats, every control command) get `STT_UNAUTH`. Default
   * `false`: everything is answered, as chronyd does over its Unix socket.
   */
  readonly udpRestrictions?: boolean;
  /** The open commands under `udpRestrictions` (chronyd 4.8's `opencommands`). Default {@link OPEN_COMMANDS}. */
  readonly openCommands?: readonly number[];
  /**
   * Control commands (`makestep`, `burst`, `online`...) never change the
   * served state. By default they are refused with `STT_UNAUTH`
   * (`501 Not authorised`); `true` acknowledges them with `STT_SUCCESS`
   * without doing anything.
   */
  readonly acceptControlCommands?: boolean;
}

/** Why a datagram got no reply. */
export type DropReason =
  /** Shorter than a reply header or longer than chronyd's request structure. */
  | "length"
  /** Not a request packet, or reserved header bytes not zero. */
  | "header"
  /** Protocol version older than 5. */
  | "version"
  /** The reply would be longer than the request (chronyd never amplifies). */
  | "amplification"
  /** An injected fault. */
  | "fault";

/** What the front end does with a datagram. */
export type Outcome =
  | { readonly kind: "drop"; readonly reason: DropReason; readonly command: number | null }
  | {
      readonly kind: "reply";
      readonly reply: Uint8Array;
      /** The status in the reply (before any byte-level fault). */
      readonly status: number;
      readonly command: number;
      /** Milliseconds to wait before sending (delay faults). */
      readonly delayMs: number;
    };

/** What a command is about, for fault scoping and logs (`@chrony/mock-session`'s, re-exported). */
export { topicOfCommand };

function statusAnswer(status: number): Answer {
  return { kind: "status", status };
}

function rawReply(header: RequestHeader, replyCode: number, length: number, fill?: (view: DataView) => void): Uint8Array {
  const bytes = encodeReply(header, statusAnswer(ReplyStatus.SUCCESS));
  const out = new Uint8Array(length);
  out.set(bytes);
  const view = new DataView(out.buffer);
  view.setUint16(HEADER.attemptOrReply, replyCode);
  fill?.(view);
  return out;
}

function sameAddress(text: string, argument: Uint8Array): boolean {
  const wire = parseIpAddress(text);
  return wire !== null && sameWireAddress(wire, argument);
}

/** chronyd's `REQ_NTP_SOURCE_NAME`: the name an NTP source was configured with; reference clocks have none. */
function sourceNameReply(state: ServerState, header: RequestHeader, argument: Uint8Array): Uint8Array | number {
  const source = state.sources.find((s) => !s.isReferenceClock && sameAddress(s.address, argument));
  if (!source) return ReplyStatus.NOSUCHSOURCE;
  const name = new TextEncoder().encode(source.address).subarray(0, PACKET.sourceNameLength);
  return rawReply(header, EXTRA_CODES.RPY_NTP_SOURCE_NAME, PROTOCOL.replyHeaderLength + PACKET.sourceNameLength, (view) => {
    new Uint8Array(view.buffer, PROTOCOL.replyHeaderLength, name.length).set(name);
  });
}

/**
 * Answers one request datagram for a state, as chronyd's cmdmon.c would
 * (plus the injected faults in force, in order, applied by the same
 * functions as `@chrony/mock-session`'s in-process mock). Never throws:
 * anything a client sends yields a drop or a well-formed reply. `faults` are
 * reply faults in force (`new ActiveFault(fault)`); call faults are ignored.
 */
export function handleRequest(
  state: ServerState,
  datagram: Uint8Array,
  options: HandlerOptions = {},
  faults: readonly ActiveFault[] = [],
): Outcome {
  const length = datagram.length;
  if (length < PROTOCOL.replyHeaderLength || length > PACKET.maxRequestLength) return { kind: "drop", reason: "length", command: null };
  if (datagram[HEADER.packetType] !== PROTOCOL.requestType || datagram[HEADER.reserved] !== 0 || datagram[HEADER.reserved + 1] !== 0) {
    return { kind: "drop", reason: "header", command: null };
  }
  const header = parseRequestHeader(datagram)!;
  const command = header.command;
  const topic = topicOfCommand(command);
  const argument = datagram.subarray(PROTOCOL.requestHeaderLength);

  let answer: Answer | Uint8Array;
  if (header.version !== PROTOCOL.version) {
    if (header.version < PACKET.mismatchCompatVersion) return { kind: "drop", reason: "version", command };
    answer = statusAnswer(ReplyStatus.BADPKTVERSION);
  } else {
    const expected = expectedRequestLength(state.version, command);
    if (command >= requestTypeCount(state.version) || expected < PROTOCOL.requestHeaderLength) {
      answer = statusAnswer(ReplyStatus.INVALID);
    } else if (length < expected) {
      answer = statusAnswer(ReplyStatus.BADPKTLENGTH);
    } else if (options.udpRestrictions && !(options.openCommands ?? OPEN_COMMANDS).includes(command)) {
      answer = statusAnswer(ReplyStatus.UNAUTH);
    } else {
      answer = dispatch(state, header, argument, topic, options);
    }
  }

  const faulted = faultAnswer(command, answer, faults);
  if (faulted.drop) return { kind: "drop", reason: "fault", command };
  const final = faulted.answer;
  const status = final instanceof Uint8Array || final.kind === "record" ? ReplyStatus.SUCCESS : final.status;
  const reply = final instanceof Uint8Array ? final : encodeReply(header, final);
  // chronyd never sends a reply longer than the request (transmit_reply()); byte faults come after, as on the wire.
  if (reply.length > length) return { kind: "drop", reason: "amplification", command };
  return { kind: "reply", reply: transformReply(reply, faulted.bytes), status, command, delayMs: faulted.delayMs };
}

function dispatch(
  state: ServerState,
  header: RequestHeader,
  argument: Uint8Array,
  topic: RequestTopic | null,
  options: HandlerOptions,
): Answer | Uint8Array {
  const command = header.command;
  if (topic === "sourcename") {
    const reply = sourceNameReply(state, header, argument);
    return typeof reply === "number" ? statusAnswer(reply) : reply;
  }
  if (topic !== null) return resolveRequest(state, command, argument);
  switch (command) {
    case EXTRA_CODES.REQ_NULL:
      return statusAnswer(ReplyStatus.SUCCESS);
    case EXTRA_CODES.REQ_LOGON:
      return statusAnswer(ReplyStatus.FAILED);
    case EXTRA_CODES.REQ_MANUAL_LIST:
      // No manual samples.
      return rawReply(header, EXTRA_CODES.RPY_MANUAL_LIST2, PACKET.manualListReplyLength);
    case EXTRA_CODES.REQ_CLIENT_ACCESSES_BY_INDEX3:
      // No NTP clients have been served.
      return rawReply(header, EXTRA_CODES.RPY_CLIENT_ACCESSES_BY_INDEX3, PACKET.clientAccessesReplyLength);
    default:
      return statusAnswer(options.acceptControlCommands ? ReplyStatus.SUCCESS : ReplyStatus.UNAUTH);
  }
}
