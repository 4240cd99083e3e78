/**
 * Argument parsing and state loading of the `chrony-mock-server` CLI, kept
 * apart from the process plumbing so that tests can call them.
 */
import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { parseArgs, type ParseArgsConfig } from "node:util";
import { ChronyConfigError, fromStateJson, validateConfig, type ChronyStateConfig, type Fault } from "@chrony/mock-session";
import type { MockChronydOptions } from "./server.js";

/** What the command line asks for. */
export interface CliArguments {
  /** The JSON file to serve (`--state`, or `--scenario` resolved to a file), or `null` for the default state `{}`. */
  readonly stateFile: string | null;
  readonly options: MockChronydOptions;
  readonly help: boolean;
}

/** The CLI's usage text. */
export const USAGE = `Usage: chrony-mock-server [--state FILE | --scenario NAME|FILE] [options]

Serves chronyd's command protocol over UDP from a ChronyStateConfig (JSON).

  --state FILE              JSON file: a ChronyStateConfig, or { "state": ..., "faults": [...] }
  --scenario NAME|FILE      a preset of @chrony/scenarios by name (e.g. gps-refclock; needs
                            @chrony/scenarios installed where you run this), or a JSON file
  --port N                  UDP port (default 0: an ephemeral port)
  --host ADDR               address to bind (default 127.0.0.1; ::1 for IPv6)
  --allow-non-loopback      allow --host to be a non-loopback address
  --udp-restrictions        answer only chronyd's open (monitoring) commands, like chronyd over UDP
  --accept-control-commands acknowledge control commands (makestep, burst...) instead of 501
  --real-time               let simulated time follow the real clock from the start (sources
                            poll, reachability and the timeline move as time passes);
                            without it the state never moves
  -h, --help                this text

Prints "listening on HOST:PORT" once bound; stops on SIGINT/SIGTERM; reloads FILE on SIGHUP
(which also sets simulated time back to 0).`;

/** The CLI's options, as `node:util` `parseArgs()` takes them. */
const OPTIONS = {
  state: { type: "string" },
  scenario: { type: "string" },
  port: { type: "string" },
  host: { type: "string" },
  "allow-non-loopback": { type: "boolean" },
  "udp-restrictions": { type: "boolean" },
  "accept-control-commands": { type: "boolean" },
  "real-time": { type: "boolean" },
  help: { type: "boolean", short: "h" },
} as const satisfies ParseArgsConfig["options"];

const parse = (args: string[]) => parseArgs({ options: OPTIONS, args, strict: true, allowPositionals: false }).values;

/** Parses the CLI's arguments; throws `Error` with a message for the user on bad input. */
export function parseArguments(argv: readonly string[]): CliArguments {
  let values: ReturnType<typeof parse>;
  try {
    values = parse([...argv]);
  } catch (error) {
    // parseArgs' words for the common mistakes are long (and name the argument in quotes): say what to fix.
    const { code, message } = error as { code?: string; message: string };
    const quoted = /'([^' ]+)/.exec(message)?.[1];
    if (quoted !== undefined && (code === "ERR_PARSE_ARGS_UNKNOWN_OPTION" || code === "ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL")) throw new Error(`unknown argument ${quoted}`);
    if (quoted !== undefined && code === "ERR_PARSE_ARGS_INVALID_OPTION_VALUE") throw new Error(`${quoted} needs a value`);
    throw new Error(message);
  }
  for (const key of ["state", "scenario", "port", "host"] as const) {
    if (values[key] === "") throw new Error(`--${key} needs a value`);
  }
  if (values.state !== undefined && values.scenario !== undefined) throw new Error("give only one of --state and --scenario");
  const options: { -readonly [K in keyof MockChronydOptions]: MockChronydOptions[K] } = {};
  if (values.port !== undefined) {
    const port = Number(values.port);
    if (!/^\d+$/.test(values.port) || port > 65535) throw new Error(`--port: expected 0 to 65535, got ${values.port}`);
    options.port = port;
  }
  if (values.host !== undefined) options.host = values.host;
  if (values["allow-non-loopback"]) options.allowNonLoopback = true;
  if (values["udp-restrictions"]) options.udpRestrictions = true;
  if (values["accept-control-commands"]) options.acceptControlCommands = true;
  if (values["real-time"]) options.clock = "real";
  const stateFile = values.scenario !== undefined ? scenarioFile(values.scenario) : (values.state ?? null);
  return { stateFile, options, help: values.help === true };
}

/**
 * The file of a scenario: the value itself when it is a file, else the JSON
 * that `@chrony/scenarios` publishes for that preset name (`json/<name>.json`),
 * found from the working directory. Those files are the presets' published
 * form for tools in any language; this package does not depend on scenarios.
 */
export function scenarioFile(value: string, from = process.cwd(), label = "--scenario"): string {
  if (existsSync(value) || !/^[a-z0-9]+(?:-[a-z0-9]+)*$/.test(value)) return value;
  const require = createRequire(join(from, "package.json"));
  let index: string;
  try {
    index = require.resolve("@chrony/scenarios/json/index.json");
  } catch {
    throw new Error(`${label} ${value}: preset names come from @chrony/scenarios, which is not installed in ${from} (npm i -D @chrony/scenarios), or pass a JSON file`);
  }
  const presets = JSON.parse(readFileSync(index, "utf8")) as { name: string; file: string }[];
  const preset = presets.find((p) => p.name === value);
  if (!preset) throw new Error(`${label} ${value}: no such preset; @chrony/scenarios has ${presets.map((p) => p.name).join(", ")}`);
  return join(index, "..", preset.file);
}

/** An error's message on one line, without control characters (a JSON error may quote a binary file): a CLI prints it as one. */
export function oneLine(message: string): string {
  return message
    .replace(/\s+/g, " ")
    // eslint-disable-next-line no-control-regex -- control characters are what it removes
    .replace(/[\u0000-\u001f\u007f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`)
    .trim();
}

/**
 * Reads a state file: a `ChronyStateConfig`, or `{ "state": ChronyStateConfig, "faults": Fault[] }`.
 * The state comes back validated (mock-session's `validateConfig` snapshot);
 * the faults are validated when the server takes them.
 *
 * @throws `Error` with a one-line message when the file cannot be read or is
 * not JSON (malformed, truncated); `ChronyConfigError` for a bad state.
 */
export function loadStateFile(path: string): { state: ChronyStateConfig; faults: readonly Fault[] } {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    throw new Error(oneLine(`cannot read ${path}: ${(error as Error).message}`));
  }
  let json: unknown;
  try {
    // An editor's byte order mark is not JSON, but it is not worth refusing a file for.
    json = JSON.parse(text.startsWith("\uFEFF") ? text.slice(1) : text);
  } catch (error) {
    const empty = text.trim() === "";
    throw new Error(oneLine(`${path} is not valid JSON: ${empty ? "the file is empty" : (error as Error).message}`));
  }
  if (typeof json !== "object" || json === null || Array.isArray(json)) throw new Error(`${path}: expected a JSON object`);
  // "$schema" points editors at the JSON Schema (scenario files carry it); it is not state.
  const { $schema: _schema, ...record } = json as Record<string, unknown>;
  if (Object.hasOwn(record, "state")) {
    const extra = Object.keys(record).filter((k) => k !== "state" && k !== "faults");
    if (extra.length) throw new Error(oneLine(`${path}: unknown key ${JSON.stringify(extra[0])} next to "state" (allowed: state, faults)`));
    const faults = record.faults ?? [];
    if (!Array.isArray(faults)) throw new ChronyConfigError("faults", "an array of faults", faults);
    return { state: validateConfig(fromStateJson(record.state ?? {})), faults: faults as Fault[] };
  }
  // The JSON form of scenario files and captures: 64-bit values may be decimal strings.
  return { state: validateConfig(fromStateJson(record)), faults: [] };
}
