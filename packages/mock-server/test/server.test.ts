/** The UDP server: lifecycle, options, state changes, faults, concurrency, CLI. */
import { execFileSync, spawn } from "node:child_process";
import { createRequire } from "node:module";
import { createSocket } from "node:dgram";
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it, onTestFinished } from "vitest";
import { REPORTS, ReplyStatus } from "@chrony/fields";
import { ChronyConfigError, normalizeState } from "@chrony/mock-session";
import { expectedRequestLength } from "@chrony/protocol";
import { faults, handleRequest, loadStateFile, parseArguments, scenarioFile, startMockChronyd } from "../src/index.js";
import { chronyc } from "./chronyc.js";
import { expectedChronyc } from "./chronyc-expected.js";
import { request } from "./requests.js";
import { SYNCED, UNSYNCHRONIZED } from "./states.js";

const TRACKING = REPORTS.tracking.recordRequest.code;

function exchange(port: number, datagrams: Uint8Array[], host = "127.0.0.1", waitMs = 2000): Promise<Buffer[]> {
  return new Promise((resolve, reject) => {
    const socket = createSocket(host.includes(":") ? "udp6" : "udp4");
    const replies: Buffer[] = [];
    const timer = setTimeout(() => {
      socket.close();
      resolve(replies);
    }, waitMs);
    socket.on("error", reject);
    socket.on("message", (m) => {
      replies.push(m);
      if (replies.length === datagrams.length) {
        clearTimeout(timer);
        socket.close();
        resolve(replies);
      }
    });
    for (const d of datagrams) socket.send(d, port, host);
  });
}

describe("startMockChronyd", () => {
  it("binds an ephemeral loopback port and closes cleanly (idempotent)", async () => {
    const server = await startMockChronyd();
    expect(server.address).toBe(`127.0.0.1:${server.port}`);
    expect(server.port).toBeGreaterThan(0);
    const [reply] = await exchange(server.port, [request(TRACKING, 104)]);
    expect(reply).toBeDefined();
    await server.close();
    await server.close();
  });

  it("binds IPv6 loopback and refuses non-loopback addresses unless allowed", async () => {
    await using v6 = await startMockChronyd({}, { host: "::1" });
    expect(v6.address).toBe(`[::1]:${v6.port}`);
    await expect(startMockChronyd({}, { host: "0.0.0.0" })).rejects.toThrow(/allowNonLoopback/);
    await expect(startMockChronyd({}, { host: "localhost" })).rejects.toThrow(/numeric/);
    await using any = await startMockChronyd({}, { host: "0.0.0.0", allowNonLoopback: true });
    expect(any.host).toBe("0.0.0.0");
  });

  it("validates state, updates and faults, keeping the old state on error", async () => {
    await expect(startMockChronyd({ sources: [{ reachability: 256 }] })).rejects.toThrow(ChronyConfigError);
    await using server = await startMockChronyd(UNSYNCHRONIZED);
    // The server keeps a validated snapshot of the state (not the caller's object), untouched by a failed update.
    const before = server.config;
    expect(before).toEqual(UNSYNCHRONIZED);
    expect(() => server.update({ tracking: { stratum: 99 } })).toThrow(/tracking.stratum/);
    expect(server.config).toBe(before);
    expect(() => server.inject({ reply: "delay" } as never)).toThrow(/ms/);
    expect(() => server.inject({ reply: "none", report: "bogus" } as never)).toThrow(/report/);
  });

  it("rejects faults only the in-process mock applies, naming it", async () => {
    await using server = await startMockChronyd(SYNCED);
    expect(() => server.inject(faults.permissionDenied())).toThrow(ChronyConfigError);
    expect(() => server.inject(faults.returns("chrony_process_response", 1))).toThrow(
      /^fault\.call: expected a reply fault: .*in-process mock .*@chrony\/mock-session.*, got "chrony_process_response"$/,
    );
    await expect(startMockChronyd(SYNCED, { faults: [faults.noReply(), faults.notRunning()] })).rejects.toThrow(/^faults\[1\]\.call: /);
  });

  it("returns disposable handles that count what they did", async () => {
    await using server = await startMockChronyd(SYNCED);
    const tracking = request(TRACKING, 104);
    {
      using handle = server.inject(faults.noReply({ report: "tracking", times: 2 }));
      expect(await exchange(server.port, [tracking, tracking, tracking], "127.0.0.1", 300)).toHaveLength(1);
      expect(handle.fired).toBe(2);
      expect(handle.fault).toEqual({ report: "tracking", times: 2, reply: "none" });
    }
    const after = server.inject(faults.status("UNAUTH"));
    const [unauth] = await exchange(server.port, [tracking]);
    expect(new DataView(unauth!.buffer, unauth!.byteOffset).getUint16(8)).toBe(ReplyStatus.UNAUTH);
    after.dispose();
    after.dispose();
    expect(after.fired).toBe(1);
    const [ok] = await exchange(server.port, [tracking]);
    expect(new DataView(ok!.buffer, ok!.byteOffset).getUint16(8)).toBe(ReplyStatus.SUCCESS);
  });

  it("delays replies, and discards delayed replies on close", async () => {
    await using server = await startMockChronyd(SYNCED, { faults: [{ reply: "delay", ms: 150 }] });
    const started = performance.now();
    const [reply] = await exchange(server.port, [request(TRACKING, 104)]);
    expect(reply).toBeDefined();
    expect(performance.now() - started).toBeGreaterThanOrEqual(140);
    const late = exchange(server.port, [request(TRACKING, 104)], "127.0.0.1", 400);
    await new Promise((r) => setTimeout(r, 50));
    await server.close();
    expect(await late).toHaveLength(0);
  });

  it("serves 50 concurrent UDP clients correctly", async () => {
    await using server = await startMockChronyd(SYNCED);
    const state = normalizeState(SYNCED);
    const kinds = [33, 14, 15, 34, 69, 44, 54, 35, 51, 57, 67, 65];
    const results = await Promise.all(
      Array.from({ length: 50 }, async (_, client) => {
        const datagrams = Array.from({ length: 20 }, (_, i) => {
          const command = kinds[(client + i) % kinds.length]!;
          return request(command, expectedRequestLength(state.version, command), { sequence: client * 1000 + i, index: i % 4, address: "192.0.2.1" });
        });
        // Like chronyc, each client waits for a reply before its next request; the 50 run at once.
        const replies: Buffer[] = [];
        for (const d of datagrams) replies.push(...(await exchange(server.port, [d])));
        const expected = new Map(datagrams.map((d) => [new DataView(d.buffer).getUint32(8), handleRequest(state, d)]));
        const wrong = replies.filter((r) => {
          const predicted = expected.get(r.readUInt32BE(16));
          return !(predicted?.kind === "reply" && Buffer.from(predicted.reply).equals(r));
        });
        return { replies: replies.length, wrong: wrong.length };
      }),
    );
    expect(results).toEqual(Array.from({ length: 50 }, () => ({ replies: 20, wrong: 0 })));
    expect(server.stats).toMatchObject({ received: 1000, replied: 1000, dropped: 0 });
  });

  it("serves 50 concurrent chronyc processes correctly", async () => {
    await using server = await startMockChronyd(SYNCED);
    const reports = ["tracking", "sources", "sourcestats", "ntpdata", "selectdata"] as const;
    // 50 processes starting at once on a loaded 2-core CI machine: give chronyc more patience than its
    // default (1 s doubling, 2 retries) so that a starved scheduler is not mistaken for a lost reply.
    const patient = ["-m", "retries 10", "timeout 2000"];
    const runs = await Promise.all(Array.from({ length: 50 }, (_, i) => chronyc(server.host, server.port, ["-n", "-c", ...patient, reports[i % reports.length]!], 50_000)));
    runs.forEach((run, i) => expect(run.lines).toEqual(expectedChronyc(SYNCED, reports[i % reports.length]!)));
  }, 90_000);
});

let built = false;

/** Compiles dist/ once per run, so tests that run the CLI as a process never use a stale build; returns the package root. */
function buildDist(): string {
  const root = fileURLToPath(new URL("..", import.meta.url));
  if (!built) execFileSync(process.execPath, [createRequire(import.meta.url).resolve("typescript/bin/tsc"), "-p", "tsconfig.build.json"], { cwd: root });
  built = true;
  return root;
}

/** `scenarioFile("gps-refclock", dir)` resolved as a user's process would, without pnpm's NODE_PATH. */
function scenarioFileWithoutNodePath(dir: string): string {
  const cli = join(buildDist(), "dist", "cli-args.js");
  const script = `import(${JSON.stringify(cli)}).then((m) => m.scenarioFile("gps-refclock", ${JSON.stringify(dir)}))`;
  try {
    return execFileSync(process.execPath, ["-e", script], { cwd: dir, env: { ...process.env, NODE_PATH: "" }, encoding: "utf8", stdio: "pipe" });
  } catch (error) {
    throw new Error(String((error as { stderr?: string }).stderr ?? error));
  }
}

describe("chrony-mock-server CLI", () => {
  it("parses its arguments", () => {
    expect(parseArguments(["--state", "s.json", "--port", "11323", "--udp-restrictions"])).toEqual({
      stateFile: "s.json",
      options: { port: 11323, udpRestrictions: true },
      help: false,
    });
    expect(parseArguments(["--scenario=x.json", "--host", "::1"]).options).toEqual({ host: "::1" });
    expect(() => parseArguments(["--port", "70000"])).toThrow(/port/);
    expect(() => parseArguments(["--frobnicate"])).toThrow(/unknown/);
  });

  it("serves a preset of @chrony/scenarios by name (--scenario gps-refclock)", async () => {
    // The workspace root has @chrony/scenarios installed, as a user's project would.
    const root = fileURLToPath(new URL("../../..", import.meta.url));
    const file = scenarioFile("gps-refclock", root);
    expect(file).toMatch(/json[/\\]gps-refclock\.json$/);
    await using server = await startMockChronyd(loadStateFile(file).state);
    const { lines } = await chronyc(server.host, server.port, ["-n", "-c", "tracking"]);
    expect(lines[0]?.split(",")[0]).toBe("47505300");
    expect(() => scenarioFile("gps-refclok", root)).toThrow(/no such preset; @chrony\/scenarios has ntp-synced, unsync/);
    // Outside a project with @chrony/scenarios (and without the NODE_PATH pnpm's runners set), the name is explained.
    const outside = mkdtempSync(join(tmpdir(), "no-scenarios-"));
    onTestFinished(() => rmSync(outside, { recursive: true, force: true }));
    let message = "";
    try {
      scenarioFileWithoutNodePath(outside);
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/npm i -D @chrony\/scenarios/);
    expect(scenarioFile("./state.json", root)).toBe("./state.json");
  });

  it("prints where it listens, serves chronyc, and stops on SIGTERM", async () => {
    const dir = mkdtempSync(join(tmpdir(), "mock-server-"));
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    const file = join(dir, "state.json");
    writeFileSync(file, JSON.stringify({ state: SYNCED, faults: [{ reply: "status", status: "NORTC", report: "tracking" }] }));
    const root = buildDist();
    const child = spawn(process.execPath, [join(root, "dist", "cli.js"), "--state", file], { stdio: ["ignore", "pipe", "pipe"] });
    const line = await new Promise<string>((resolve, reject) => {
      let out = "";
      child.stdout.on("data", (d: Buffer) => {
        out += d.toString();
        if (out.includes("\n")) resolve(out.split("\n")[0]!);
      });
      child.on("exit", (code) => reject(new Error(`exited ${code}`)));
    });
    const match = /^listening on 127\.0\.0\.1:(\d+)$/.exec(line);
    expect(match).not.toBeNull();
    const port = Number(match![1]);
    expect((await chronyc("127.0.0.1", port, ["-n", "-c", "sources"])).lines).toEqual(expectedChronyc(SYNCED, "sources"));
    expect((await chronyc("127.0.0.1", port, ["-n", "-c", "tracking"])).lines).toEqual(["513 RTC driver not running"]);
    const exited = new Promise<number | null>((resolve) => child.on("exit", resolve));
    child.kill("SIGTERM");
    expect(await exited).toBe(0);
  }, 20_000);
});

describe("a failed start", () => {
  it("closes its socket when the port is taken: 50 attempts leave no fd behind", async () => {
    await using taken = await startMockChronyd({});
    const fds = () => readdirSync("/proc/self/fd").length;
    const before = fds();
    for (let i = 0; i < 50; i++) await expect(startMockChronyd({}, { port: taken.port })).rejects.toThrow(/EADDRINUSE/);
    // Closing is asynchronous in libuv: give the handles a turn to go.
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(fds()).toBe(before);
  });
});

describe("startMockChronyd with a preset name", () => {
  it("serves the preset @chrony/scenarios publishes under that name, and names the presets for a typo", async () => {
    await using server = await startMockChronyd("gps-refclock");
    expect(server.config.sources?.[0]?.address).toBe("GPS");
    await expect(startMockChronyd("gps-refclok")).rejects.toThrow(/startMockChronyd: gps-refclok: no such preset/);
  });
});
