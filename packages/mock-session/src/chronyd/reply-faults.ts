/**
 * Reply faults as every front end applies them: the in-process mock session
 * and `@chrony/mock-server`'s fake chronyd both run a request's answer
 * through {@link faultAnswer}, encode it, and run the bytes through
 * {@link transformReply} — so one fault gives one outcome on either.
 *
 * @module
 */
import { HEADER } from "@chrony/protocol";
import { statusCode, topicOfCommand, type ActiveFault, type ByteFault, type Fault } from "../faults.js";
import type { Answer } from "./server.js";

/** A request's answer after the reply faults in force. */
export interface FaultedAnswer<A extends Answer | Uint8Array> {
  /** The answer after status and field faults (a status fault replaces it with a bare status). */
  readonly answer: A | Answer;
  /** Whether a fault drops the reply (no reply at all). */
  readonly drop: boolean;
  /** Milliseconds before the reply is delivered (delays add up). */
  readonly delayMs: number;
  /** The byte-level faults that fired, in order, for {@link transformReply}. */
  readonly bytes: readonly ByteFault[];
}

/**
 * Applies the reply faults in force (call faults are skipped) to the answer
 * of one request with command `command`, in the order they were added: each
 * fault whose scope matches the request counts it and, when it fires, drops
 * the reply, delays it, replaces the answer with a status, or sets a field.
 * A field fault only matches records whose response variant carries its
 * field, so it never counts (or spends `nth`/`times` on) count requests,
 * status replies or a variant the served chronyd version does not send.
 * `answer` may be already-encoded bytes (a front end's own reply), which
 * only status and byte faults change.
 */
export function faultAnswer<A extends Answer | Uint8Array>(command: number, answer: A, faults: readonly ActiveFault<Fault>[]): FaultedAnswer<A> {
  const topic = topicOfCommand(command);
  let current: A | Answer = answer;
  let drop = false;
  let delayMs = 0;
  const bytes: ByteFault[] = [];
  for (const active of faults) {
    const fault = active.fault;
    if (!("reply" in fault)) continue;
    if (fault.reply === "field" && !carries(current, fault.field)) continue;
    if (!active.fires(topic, command)) continue;
    switch (fault.reply) {
      case "none":
        drop = true;
        break;
      case "delay":
        delayMs += fault.ms;
        break;
      case "status":
        current = { kind: "status", status: statusCode(fault.status) };
        break;
      case "field": {
        const record = current as Extract<Answer, { kind: "record" }>;
        current = { ...record, values: { ...record.values, [fault.field]: fault.value } };
        break;
      }
      default:
        bytes.push(fault);
    }
  }
  return { answer: current, drop, delayMs, bytes };
}

/** Whether an answer is a record whose response variant (the one the server version sends) has the field. */
function carries(answer: Answer | Uint8Array, field: string): boolean {
  return !(answer instanceof Uint8Array) && answer.kind === "record" && answer.response.fields.some((f) => f.name === field);
}

/**
 * The byte-level reply faults, on an encoded reply: a wrong sequence number
 * (`sequence XOR xor`), cut to `length` bytes, `extra` bytes of `fill`
 * appended — in order. Returns a new array when anything changes; the input
 * is never modified (front ends share reply bodies).
 */
export function transformReply(reply: Uint8Array, faults: readonly ByteFault[]): Uint8Array {
  let out = reply;
  for (const fault of faults) {
    if (fault.reply === "sequence") {
      out = out.slice();
      // A reply already cut before its sequence number has none to change.
      if (out.length >= HEADER.replySequence + 4) {
        const view = new DataView(out.buffer, out.byteOffset, out.length);
        view.setUint32(HEADER.replySequence, (view.getUint32(HEADER.replySequence) ^ (fault.xor ?? 1)) >>> 0);
      }
    } else if (fault.reply === "truncate") {
      out = out.slice(0, fault.length);
    } else {
      const bigger = new Uint8Array(out.length + fault.extra).fill(fault.fill ?? 0);
      bigger.set(out);
      out = bigger;
    }
  }
  return out;
}
