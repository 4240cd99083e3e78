/**
 * Query cost through the binding: over the C test library always, over the
 * real libchrony too when LIBCHRONY_PATH and CHRONY_TEST_ADDRESS are set.
 */
import { afterAll, bench, describe, inject } from "vitest";
import { ChronyConnection } from "../src/index.js";

const targets = [
  { name: "C test library", address: "test", libraryPath: inject("fakeLibchronyPath"), env: false },
  ...(process.env.LIBCHRONY_PATH && process.env.CHRONY_TEST_ADDRESS
    ? [{ name: `libchrony → chronyd ${process.env.CHRONY_TEST_ADDRESS}`, address: process.env.CHRONY_TEST_ADDRESS, libraryPath: undefined, env: true }]
    : []),
];

/** Opens a target's connection; the C test library must win over LIBCHRONY_PATH when it is the target. */
async function connect(target: (typeof targets)[number]): Promise<ChronyConnection> {
  const saved = process.env.LIBCHRONY_PATH;
  if (!target.env) delete process.env.LIBCHRONY_PATH;
  try {
    return await ChronyConnection.open({ address: target.address, libraryPath: target.libraryPath });
  } finally {
    if (saved !== undefined) process.env.LIBCHRONY_PATH = saved;
  }
}

// One at a time: connect() briefly changes process.env.
const connections: ChronyConnection[] = [];
for (const target of targets) connections.push(await connect(target));
afterAll(() => Promise.all(connections.map((connection) => connection.close())));

targets.forEach((target, index) => {
  const connection = connections[index]!;
  describe(target.name, () => {
    bench("tracking", async () => {
      await connection.getTracking();
    });

    bench("snapshot: tracking + sources + sourcestats + rtcdata", async () => {
      await connection.getTracking();
      await connection.getSources();
      await connection.getSourceStats();
      await connection.getRtcData();
    });
  });
});
