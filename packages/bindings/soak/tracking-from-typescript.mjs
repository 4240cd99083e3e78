// The TypeScript side of the speed comparison, as a program of its own like
// the C side: tracking queries through ChronyConnection, timed one by one.
// Reads the built package (`pnpm soak` builds it first).
//
// Usage: node tracking-from-typescript.mjs ADDRESS QUERIES WARMUP
// Prints {"mean":…,"median":…,"p99":…} in microseconds.
import { performance } from "node:perf_hooks";
import { ChronyConnection } from "../dist/index.js";

const [address, queries, warmup] = [process.argv[2], Number(process.argv[3]), Number(process.argv[4])];
if (!address || !(queries > 0) || !(warmup >= 0)) {
  console.error("usage: node tracking-from-typescript.mjs ADDRESS QUERIES WARMUP");
  process.exit(2);
}
const connection = await ChronyConnection.open({ address, backend: "typescript" });
const durations = new Float64Array(queries);
try {
  for (let i = 0; i < warmup; i++) await connection.getTracking();
  for (let i = 0; i < queries; i++) {
    const start = performance.now();
    await connection.getTracking();
    durations[i] = (performance.now() - start) * 1000;
  }
} finally {
  await connection.close();
}
durations.sort();
const mean = durations.reduce((sum, d) => sum + d, 0) / queries;
console.log(JSON.stringify({ mean, median: durations[queries >> 1], p99: durations[Math.floor(queries * 0.99)] }));
