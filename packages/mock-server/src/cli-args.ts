/**
 * Argument parsing and state loading of the `chrony-mock-server` CLI, kept
 * apart from the process plumbing so that tests can call them.
 */
import { readFileSync } from "node:fs";
import type { ChronyStateConfig } from "@chrony/mock-session";
import type { ServerFault } from "./faults.js";
import type { MockChronydOptions } from "./server.js";

/** What the command line asks for. */
export interface CliArguments {
  /** The JSON file to serve (`--state` or `--scenario`), or `null` for the default state `{}`. */
  readonly stateFile: string | null;
  readonly options: MockChronydOptions;
  readonly help: boolean;
}

/** The CLI's usage text. */
export const USAGE = `Usage: chrony-mock-server [--state FILE | --scenario FILE] [options]

Serves chronyd's command protocol over UDP from a ChronyStateConfig (JSON).

  --state FILE              JSON file: a ChronyStateConfig, or { "state": ..., "faults": [...] }
  --scenario FILE           same as --state (scenario presets by name are not built in yet)
  --port N                  UDP port (default 0: an ephemeral port)
  --host ADDR               address to bind (default 127.0.0.1; ::1 for IPv6)
  --allow-non-loopback      allow --host to be a non-loopback address
  --udp-restrictions        answer only chronyd's open (monitoring) commands, like chronyd over UDP
  --accept-control-commands acknowledge control commands (makestep, burst...) instead of 501
  -h, --help                this text

Prints "listening on HOST:PORT" once bound; stops on SIGINT/SIGTERM; reloads FILE on SIGHUP.`;

/** Parses the CLI's arguments; throws `Error` with a message for the user on bad input. */
export function parseArguments(argv: readonly string[]): CliArguments {
  let stateFile: string | null = null;
  let help = false;
  const options: { -readonly [K in keyof MockChronydOptions]: MockChronydOptions[K] } = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const [flag, inline] = arg.startsWith("--") && arg.includes("=") ? [arg.slice(0, arg.indexOf("=")), arg.slice(arg.indexOf("=") + 1)] : [arg, undefined];
    const value = (): string => {
      const v = inline ?? argv[++i];
      if (v === undefined || v === "") throw new Error(`${flag} needs a value`);
      return v;
    };
    switch (flag) {
      case "--state":
      case "--scenario":
        if (stateFile !== null) throw new Error("give only one of --state and --scenario");
        stateFile = value();
        break;
      case "--port": {
        const text = value();
        const port = Number(text);
        if (!/^\d+$/.test(text) || port > 65535) throw new Error(`--port: expected 0 to 65535, got ${text}`);
        options.port = port;
        break;
      }
      case "--host":
        options.host = value();
        break;
      case "--allow-non-loopback":
        options.allowNonLoopback = true;
        break;
      case "--udp-restrictions":
        options.udpRestrictions = true;
        break;
      case "--accept-control-commands":
        options.acceptControlCommands = true;
        break;
      case "-h":
      case "--help":
        help = true;
        break;
      default:
        throw new Error(`unknown argument ${arg}`);
    }
  }
  return { stateFile, options, help };
}

/**
 * Reads a state file: a `ChronyStateConfig`, or `{ "state": ChronyStateConfig, "faults": ServerFault[] }`.
 * Validation happens when the server takes the state.
 */
export function loadStateFile(path: string): { state: ChronyStateConfig; faults: readonly ServerFault[] } {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    throw new Error(`cannot read ${path}: ${(error as Error).message} (scenario presets by name are not available yet: pass a JSON file)`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new Error(`${path} is not valid JSON: ${(error as Error).message}`);
  }
  if (typeof json !== "object" || json === null || Array.isArray(json)) throw new Error(`${path}: expected a JSON object`);
  const record = json as Record<string, unknown>;
  if ("state" in record) {
    const extra = Object.keys(record).filter((k) => k !== "state" && k !== "faults");
    if (extra.length) throw new Error(`${path}: unknown key ${extra[0]} next to "state" (allowed: state, faults)`);
    return { state: (record.state ?? {}) as ChronyStateConfig, faults: (record.faults ?? []) as ServerFault[] };
  }
  return { state: record as ChronyStateConfig, faults: [] };
}
