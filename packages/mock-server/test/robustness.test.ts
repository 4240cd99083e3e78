/**
 * Robustness: random, short, oversized and mutated datagrams never crash or
 * wedge the server, and each gets no reply or a well-formed one.
 */
import { createSocket } from "node:dgram";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { normalizeState } from "@chrony/mock-session";
import { expectedRequestLength } from "@chrony/protocol";
import { handleRequest, startMockChronyd, type HandlerOptions } from "../src/index.js";
import { replyProblem } from "./wellformed.js";
import { request } from "./requests.js";
import { SYNCED } from "./states.js";

const STATE = normalizeState(SYNCED);
const ADDRESSES = ["192.0.2.1", "2001:db8::1", "198.51.100.7", "203.0.113.9", "::"];

/** A request chronyc or libchrony could send (any command, right length), before mutation. */
const validish = fc
  .record({
    command: fc.oneof(fc.constantFrom(14, 15, 33, 34, 35, 44, 51, 54, 57, 65, 67, 69), fc.integer({ min: 0, max: 80 })),
    version: fc.constantFrom(6, 6, 6, 6, 6, 6, 6, 5, 4, 7, 255),
    sequence: fc.integer({ min: 0, max: 0xffffffff }),
    index: fc.integer({ min: 0, max: 6 }),
    address: fc.constantFrom(...ADDRESSES),
    slack: fc.integer({ min: -40, max: 40 }),
  })
  .map(({ command, version, sequence, index, address, slack }) => {
    const length = Math.max(0, (expectedRequestLength(STATE.version, command) || 28) + (slack > 20 ? 0 : slack));
    const bytes = request(command, length, { version, sequence, ...(command === 57 || command === 67 || command === 65 ? { address } : { index }) });
    return bytes;
  });

const mutated = fc
  .tuple(validish, fc.array(fc.record({ at: fc.nat(), value: fc.integer({ min: 0, max: 255 }) }), { maxLength: 4 }), fc.integer({ min: -30, max: 900 }))
  .map(([bytes, flips, resize]) => {
    const out = new Uint8Array(resize < 0 || resize > 860 ? Math.max(0, resize) : bytes.length);
    out.set(bytes.subarray(0, out.length));
    for (const { at, value } of flips) if (out.length) out[at % out.length] = value;
    return out;
  });

const anyBytes = fc.uint8Array({ minLength: 0, maxLength: 1100 });

const tally = { drops: 0, statusReplies: 0, recordReplies: 0 };

function check(datagram: Uint8Array, options: HandlerOptions): void {
  const outcome = handleRequest(STATE, datagram, options);
  if (outcome.kind === "drop") tally.drops++;
  else if (outcome.status !== 0 || outcome.reply.length === 28) tally.statusReplies++;
  else tally.recordReplies++;
  if (outcome.kind === "reply") {
    const problem = replyProblem(datagram, outcome.reply);
    if (problem) throw new Error(problem);
  }
}

describe("robustness of the packet handler", () => {
  it("handles 100,000+ random, short, oversized and mutated datagrams with no reply or a well-formed one", () => {
    const before = JSON.stringify(STATE, (_, v) => (typeof v === "bigint" ? `${v}n` : v));
    let runs = 0;
    for (const options of [{}, { udpRestrictions: true }] as HandlerOptions[]) {
      fc.assert(fc.property(anyBytes, (d) => { runs++; check(d, options); }), { numRuns: 20_000 });
      fc.assert(fc.property(validish, (d) => { runs++; check(d, options); }), { numRuns: 15_000 });
      fc.assert(fc.property(mutated, (d) => { runs++; check(d, options); }), { numRuns: 20_000 });
    }
    expect(runs).toBeGreaterThanOrEqual(100_000);
    console.log(`robustness: ${runs} datagrams: ${tally.drops} dropped, ${tally.statusReplies} status replies, ${tally.recordReplies} record replies`);
    expect(Math.min(tally.drops, tally.statusReplies, tally.recordReplies)).toBeGreaterThan(5_000);
    // Nothing a client sends changes the served state.
    expect(JSON.stringify(STATE, (_, v) => (typeof v === "bigint" ? `${v}n` : v))).toBe(before);
  });

  it("answers a datagram batch over real UDP exactly as the handler predicts, and still serves afterwards", async () => {
    await using server = await startMockChronyd(SYNCED);
    const socket = createSocket("udp4");
    await new Promise<void>((resolve) => socket.bind(0, "127.0.0.1", resolve));
    const replies: Buffer[] = [];
    let wake: (() => void) | null = null;
    socket.on("message", (m) => {
      replies.push(m);
      wake?.();
    });
    const next = (): Promise<Buffer | null> =>
      replies.length
        ? Promise.resolve(replies.shift()!)
        : new Promise((resolve) => {
            const timer = setTimeout(() => resolve(null), 2000);
            wake = () => {
              clearTimeout(timer);
              wake = null;
              resolve(replies.shift()!);
            };
          });
    const samples = [...fc.sample(fc.oneof(anyBytes.filter((b) => b.length > 0), validish, mutated.filter((b) => b.length > 0)), { numRuns: 3000, seed: 42 })];
    let answered = 0;
    for (const datagram of samples) {
      const predicted = handleRequest(STATE, datagram);
      socket.send(datagram, server.port, "127.0.0.1");
      if (predicted.kind === "reply") {
        const reply = await next();
        expect(reply).not.toBeNull();
        expect(new Uint8Array(reply!)).toEqual(predicted.reply);
        answered++;
      }
    }
    // Nothing unexpected arrives late, and a normal request still works.
    const tracking = request(33, expectedRequestLength(STATE.version, 33), { sequence: 7 });
    socket.send(tracking, server.port, "127.0.0.1");
    const last = await next();
    expect(last && replyProblem(tracking, new Uint8Array(last))).toBeNull();
    expect(replies).toHaveLength(0);
    expect(server.stats.received).toBe(samples.length + 1);
    expect(answered).toBeGreaterThan(500);
    socket.close();
  });
});
