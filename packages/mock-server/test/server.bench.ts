/** Requests per second against the fake chronyd over loopback UDP. */
import { createSocket, type Socket } from "node:dgram";
import { afterAll, beforeAll, bench, describe } from "vitest";
import { normalizeState } from "@chrony/mock-session";
import { expectedRequestLength } from "@chrony/protocol";
import { handleRequest, startMockChronyd, type MockChronyd } from "../src/index.js";
import { request } from "./requests.js";
import { SYNCED } from "./states.js";

let server: MockChronyd;
let socket: Socket;
let sequence = 0;
const waiting = new Map<number, () => void>();

beforeAll(async () => {
  server = await startMockChronyd(SYNCED);
  socket = createSocket("udp4");
  socket.on("message", (m) => waiting.get(m.readUInt32BE(16))?.());
  await new Promise<void>((resolve) => socket.bind(0, "127.0.0.1", resolve));
});

afterAll(async () => {
  socket.close();
  await server.close();
});

const state = normalizeState(SYNCED);

function roundTrip(command: number, extra: { index?: number; address?: string } = {}): Promise<void> {
  const seq = ++sequence >>> 0;
  const datagram = request(command, expectedRequestLength(state.version, command), { sequence: seq, ...extra });
  return new Promise<void>((resolve) => {
    waiting.set(seq, () => {
      waiting.delete(seq);
      resolve();
    });
    socket.send(datagram, server.port, "127.0.0.1");
  });
}

describe("fake chronyd over UDP", () => {
  bench("tracking, one request in flight", () => roundTrip(33));
  bench("sources record, one request in flight", () => roundTrip(15, { index: 1 }));
  bench("ntpdata, one request in flight", () => roundTrip(57, { address: "2001:db8::1" }));
  bench("tracking, 16 requests in flight (count per batch)", () => Promise.all(Array.from({ length: 16 }, () => roundTrip(33))).then(() => undefined));
});

describe("packet handler alone", () => {
  const tracking = request(33, 104);
  const ntpdata = request(57, 152, { address: "2001:db8::1" });
  bench("tracking", () => {
    handleRequest(state, tracking);
  });
  bench("ntpdata", () => {
    handleRequest(state, ntpdata);
  });
});
