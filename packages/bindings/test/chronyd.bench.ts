/**
 * Query cost against a real chronyd (the loopback lab): the TypeScript
 * backend over the Unix socket and UDP, and the libchrony backend where
 * LIBCHRONY_PATH is set. Compare with the same calls made from C with
 * libchrony on the same machine in the same run.
 */
import { afterAll, bench, describe } from "vitest";
import { ChronyConnection, type ChronyBackend } from "../src/index.js";
import { chronydAvailable, startChronydLab } from "./lab/chronyd.js";

if (!chronydAvailable()) console.warn("\n" + "!".repeat(78) + "\n  SKIPPED: no chronyd installed: nothing to benchmark against\n" + "!".repeat(78) + "\n");

const lab = chronydAvailable() ? await startChronydLab() : null;
const libraryPath = process.env.LIBCHRONY_PATH;
const targets: { name: string; backend: ChronyBackend; address: string }[] = lab
  ? [
      { name: "typescript over the Unix socket", backend: "typescript", address: lab.client.socketPath },
      { name: "typescript over UDP", backend: "typescript", address: lab.client.udpAddress },
      ...(libraryPath ? [{ name: "libchrony over the Unix socket", backend: "libchrony" as const, address: lab.client.socketPath }] : []),
    ]
  : [];
const connections = await Promise.all(targets.map((t) => ChronyConnection.open({ address: t.address, backend: t.backend, libraryPath })));
afterAll(async () => {
  await Promise.all(connections.map((c) => c.close()));
  await lab?.close();
});

targets.forEach((target, index) => {
  const connection = connections[index]!;
  describe(target.name, () => {
    bench("tracking", async () => {
      await connection.getTracking();
    });
    bench("snapshot: tracking + sources + sourcestats", async () => {
      await connection.getTracking();
      await connection.getSources();
      await connection.getSourceStats();
    });
  });
});
