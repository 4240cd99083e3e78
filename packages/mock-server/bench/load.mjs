#!/usr/bin/env node
// Load generator for chronyd's command port (or the fake one): keeps CONCURRENCY
// tracking requests in flight from one UDP socket for DURATION seconds and prints
// replies per second. Usage: node bench/load.mjs HOST PORT [CONCURRENCY=16] [DURATION=5] [COMMAND=33]
import { createSocket } from "node:dgram";
import { performance } from "node:perf_hooks";
import { Buffer } from "node:buffer";

const [host = "127.0.0.1", portText = "323", concurrencyText = "16", durationText = "5", commandText = "33"] = process.argv.slice(2);
const port = Number(portText);
const concurrency = Number(concurrencyText);
const durationMs = Number(durationText) * 1000;
const command = Number(commandText);
// Request length chronyd 4.3 expects: tracking 104, sources count 32, activity 48.
const LENGTHS = { 14: 32, 33: 104, 44: 48, 51: 52 };
const length = LENGTHS[command] ?? 104;

const socket = createSocket(host.includes(":") ? "udp6" : "udp4");
let sequence = 1;
let replies = 0;
let timeouts = 0;
const pending = new Map();

function send() {
  const seq = sequence++ >>> 0;
  const packet = Buffer.alloc(length);
  packet[0] = 6;
  packet[1] = 1;
  packet.writeUInt16BE(command, 4);
  packet.writeUInt32BE(seq, 8);
  // Lost datagrams are replaced after 200 ms so the pipeline never stalls.
  pending.set(seq, setTimeout(() => {
    pending.delete(seq);
    timeouts++;
    if (running) send();
  }, 200));
  socket.send(packet, port, host);
}

let running = true;
socket.on("message", (reply) => {
  const seq = reply.readUInt32BE(16);
  const timer = pending.get(seq);
  if (!timer) return;
  clearTimeout(timer);
  pending.delete(seq);
  if (reply.readUInt16BE(8) !== 0) {
    console.error(`status ${reply.readUInt16BE(8)} from ${host}:${port}`);
    process.exit(1);
  }
  replies++;
  if (running) send();
});

socket.bind(0, () => {
  const start = performance.now();
  for (let i = 0; i < concurrency; i++) send();
  setTimeout(() => {
    running = false;
    const seconds = (performance.now() - start) / 1000;
    console.log(`${host}:${port} command ${command}: ${replies} replies in ${seconds.toFixed(2)} s = ${Math.round(replies / seconds)} req/s (concurrency ${concurrency}, ${timeouts} timeouts)`);
    for (const timer of pending.values()) clearTimeout(timer);
    socket.close();
  }, durationMs);
});
