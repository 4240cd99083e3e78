/**
 * The real-chronyd lab itself: two chronyd processes that sync on loopback,
 * reachable over the Unix socket and UDP, and that can be paused, restarted
 * and closed without leaving anything behind.
 */
import fs from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chronydAvailable, pidAlive, startChronydLab, type ChronydLab } from "./lab/chronyd.js";

const available = chronydAvailable();

if (!available) {
  console.warn(
    "\n" + "!".repeat(78) + "\n  SKIPPED: chronyd lab suite needs chronyd and chronyc installed (apt-get install chrony)\n" + "!".repeat(78) + "\n",
  );
}

/** `chronyc -c tracking` as CSV fields. */
function trackingFields(output: string): string[] {
  const [line] = output.trim().split("\n");
  return line!.split(",");
}

describe.skipIf(!available)("chronyd lab", () => {
  let lab: ChronydLab;
  const pids: number[] = [];

  beforeAll(async () => {
    lab = await startChronydLab();
    pids.push(lab.server.pid!, lab.client.pid!);
  }, 30_000);

  afterAll(async () => {
    await lab?.close();
  }, 30_000);

  it("runs two chronyd processes with their own sockets and ports", () => {
    expect(lab.server.pid).toBeGreaterThan(0);
    expect(lab.client.pid).toBeGreaterThan(0);
    expect(lab.server.pid).not.toBe(lab.client.pid);
    expect(lab.server.udpPort).not.toBe(lab.client.udpPort);
    expect(lab.client.udpAddress).toBe(`127.0.0.1:${lab.client.udpPort}`);
    for (const chronyd of [lab.server, lab.client]) {
      expect(fs.statSync(chronyd.socketPath).isSocket()).toBe(true);
      // chronyd only accepts its socket in a directory no one else can enter.
      expect(fs.statSync(chronyd.socketPath.replace(/\/[^/]+$/, "")).mode & 0o777).toBe(0o700);
      expect(Number(fs.readFileSync(`${chronyd.dir}/chronyd.pid`, "utf8").trim())).toBe(chronyd.pid);
    }
  });

  it("the client has selected the server and lists the unreachable source", () => {
    const rows = lab.client.chronyc(["sources"]).trim().split("\n").map((line) => line.split(","));
    expect(rows).toHaveLength(2);
    const server = rows.find((row) => row[2] === "127.0.0.1");
    const unreachable = rows.find((row) => row[2] === "127.0.0.2");
    expect(server?.slice(0, 4)).toEqual(["^", "*", "127.0.0.1", "3"]);
    expect(unreachable?.[0]).toBe("^");
    expect(unreachable?.[1]).not.toBe("*");
    expect(unreachable?.[5]).toBe("0");
  });

  it("answers tracking over the Unix socket and over UDP", () => {
    const unix = trackingFields(lab.client.chronyc(["tracking"], "unix"));
    const udp = trackingFields(lab.client.chronyc(["tracking"], "udp"));
    // Synchronised to 127.0.0.1 at stratum 3 + 1.
    expect(unix.slice(0, 3)).toEqual(["7F000001", "127.0.0.1", "4"]);
    expect(udp.slice(0, 3)).toEqual(unix.slice(0, 3));
    // The server runs on its local reference.
    expect(trackingFields(lab.server.chronyc(["tracking"], "udp")).slice(0, 3)).toEqual(["7F7F0101", "", "3"]);
  });

  it("pause() makes chronyc time out and resume() makes it answer again", () => {
    lab.server.pause();
    try {
      expect(() => lab.server.chronyc(["tracking"], "unix", { timeoutMs: 1_500 })).toThrow(/timed out/);
      expect(() => lab.server.chronyc(["tracking"], "udp", { timeoutMs: 1_500 })).toThrow(/timed out/);
    } finally {
      lab.server.resume();
    }
    expect(trackingFields(lab.server.chronyc(["tracking"]))[2]).toBe("3");
  }, 30_000);

  it("stop() ends the process and start() brings it back with the same config", async () => {
    const before = lab.server.pid!;
    await lab.server.stop();
    expect(lab.server.pid).toBeNull();
    expect(pidAlive(before)).toBe(false);
    expect(() => lab.server.chronyc(["tracking"], "unix", { timeoutMs: 3_000 })).toThrow();

    await lab.server.start();
    expect(lab.server.pid).toBeGreaterThan(0);
    expect(lab.server.pid).not.toBe(before);
    pids.push(lab.server.pid!);
    expect(trackingFields(lab.server.chronyc(["tracking"], "udp")).slice(0, 3)).toEqual(["7F7F0101", "", "3"]);
  }, 30_000);

  it("close() stops every chronyd and removes the temp dirs", async () => {
    const dirs = [lab.server.dir, lab.client.dir];
    await lab.close();
    expect(lab.server.pid).toBeNull();
    expect(lab.client.pid).toBeNull();
    for (const pid of pids) expect(pidAlive(pid)).toBe(false);
    for (const dir of dirs) expect(fs.existsSync(dir)).toBe(false);
  }, 30_000);
});
