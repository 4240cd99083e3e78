/**
 * The packet front end of the fake chronyd, as a pure function: one request
 * datagram in, one reply datagram (or nothing) out. It applies chronyd's
 * checks in cmdmon.c's order — length, packet type, protocol version,
 * command, padding, UDP permission — then lets `@chrony/mock-session`'s
 * simulated chronyd resolve report requests, and answers the few other
 * requests chronyc sends itself. Nothing a request carries changes the state.
 */
import { PROTOCOL, ReplyStatus } from "@chrony/fields";
import { resolveRequest, type Answer, type ServerState } from "@chrony/mock-session";
import {
  EXTRA_CODES,
  HEADER,
  OPEN_COMMANDS,
  PACKET,
  encodeReply,
  expectedRequestLength,
  parseIpAddress,
  parseRequestHeader,
  reportOfCommand,
  requestTypeCount,
  sameWireAddress,
  type RequestHeader,
} from "@chrony/protocol";
import type { ActiveServerFault, RequestTopic } from "./faults.js";

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

/** What a command is about, for fault scoping and logs. */
export function topicOfCommand(command: number): RequestTopic | null {
  if (command === EXTRA_CODES.REQ_NTP_SOURCE_NAME) return "sourcename";
  return reportOfCommand(command);
}

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

function withFieldFaults(answer: Answer, faults: readonly ActiveServerFault[]): Answer {
  if (answer.kind !== "record" || faults.length === 0) return answer;
  const values = { ...answer.values };
  for (const { fault } of faults) if (fault.reply === "field") values[fault.field] = fault.value;
  return { ...answer, values };
}

/**
 * Answers one request datagram for a state, as chronyd's cmdmon.c would
 * (plus the injected faults in force, in order). Never throws: anything a
 * client sends yields a drop or a well-formed reply.
 */
export function handleRequest(
  state: ServerState,
  datagram: Uint8Array,
  options: HandlerOptions = {},
  faults: readonly ActiveServerFault[] = [],
): Outcome {
  const length = datagram.length;
  if (length < PROTOCOL.replyHeaderLength || length > PACKET.maxRequestLength) return { kind: "drop", reason: "length", command: null };
  if (datagram[HEADER.packetType] !== PROTOCOL.requestType || datagram[HEADER.reserved] !== 0 || datagram[HEADER.reserved + 1] !== 0) {
    return { kind: "drop", reason: "header", command: null };
  }
  const header = parseRequestHeader(datagram)!;
  const command = header.command;
  const topic = topicOfCommand(command);
  const firing = faults.filter((f) => f.fires(topic, command));
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

  let status = answer instanceof Uint8Array ? ReplyStatus.SUCCESS : answer.kind === "status" ? answer.status : ReplyStatus.SUCCESS;
  let delayMs = 0;
  let drop = false;
  for (const { fault } of firing) {
    if (fault.reply === "none") drop = true;
    else if (fault.reply === "delay") delayMs += fault.ms;
    else if (fault.reply === "status") {
      answer = statusAnswer(fault.status);
      status = fault.status;
    }
  }
  if (drop) return { kind: "drop", reason: "fault", command };
  let reply = answer instanceof Uint8Array ? answer : encodeReply(header, withFieldFaults(answer, firing));
  // chronyd never sends a reply longer than the request (transmit_reply()).
  if (reply.length > length) return { kind: "drop", reason: "amplification", command };
  for (const { fault } of firing) {
    if (fault.reply === "sequence") {
      reply = reply.slice();
      const view = new DataView(reply.buffer, reply.byteOffset, reply.length);
      view.setUint32(HEADER.replySequence, (view.getUint32(HEADER.replySequence) ^ (fault.xor ?? 1)) >>> 0);
    } else if (fault.reply === "truncate") {
      reply = reply.slice(0, fault.length);
    } else if (fault.reply === "oversize") {
      const bigger = new Uint8Array(reply.length + fault.extra).fill(fault.fill ?? 0);
      bigger.set(reply);
      reply = bigger;
    }
  }
  return { kind: "reply", reply, status, command, delayMs };
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
