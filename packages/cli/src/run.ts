/**
 * The `chrony-ts` command line: parsing (`node:util` parseArgs), dispatch,
 * and errors as one line and an exit code, never a stack trace.
 *
 * @module
 */
import { writeFileSync } from "node:fs";
import { parseArgs, type ParseArgsConfig } from "node:util";
import { ChronyConnection, ChronyError, type ChronyBackend } from "@chrony/bindings";
import type { ConnectOptions } from "./diagnose.js";
import { doctor } from "./doctor.js";
import { capture, captureJson } from "./capture.js";
import { paint, type Output } from "./format.js";
import { UsageError, reportsNamed } from "./reports.js";
import { show } from "./show.js";

const CONNECT_HELP = `  -a, --address A      chronyd's command socket: /run/chrony/chronyd.sock, 127.0.0.1, [::1]:323
                       (default: the Unix sockets that exist, then 127.0.0.1, ::1)
      --backend B      typescript (default) or libchrony
      --client-dir DIR where the Unix client socket is made (default: next to chronyd's)
      --timeout MS     per attempt (default 1000)`;

const HELP: Record<string, string> = {
  main: `Usage: chrony-ts <command> [options]

Commands:
  show [report...]   chronyd's reports as tables, or JSON with --json
  capture            this chronyd's state as a @chrony/scenarios JSON file, for tests
  doctor             which of chronyd's sockets work, and why the others do not

Run chrony-ts <command> --help for a command's options.`,
  show: `Usage: chrony-ts show [report...] [options]

Reports: tracking sources sourcestats selectdata activity authdata ntpdata
serverstats rtcdata smoothing (default: all chronyd serves to this address).

Options:
${CONNECT_HELP}
      --json           JSON for scripts (64-bit counters as strings)
  -h, --help           this text`,
  capture: `Usage: chrony-ts capture [options]

Reads every report chronyd serves here and writes the state that reproduces it
in @chrony/scenarios' JSON format: serve it with chrony-mock-server --state FILE,
or load it with loadScenario(). Reports chronyd refuses are named on stderr and
left at the mock's defaults.

Options:
${CONNECT_HELP}
  -o, --output FILE    write there instead of stdout
      --redact         replace addresses by documentation addresses (192.0.2.0/24,
                       2001:db8::/32) and recompute their reference IDs
      --chronyd-version V   chronyd's version (e.g. 4.3) when it cannot be inferred
  -h, --help           this text`,
  doctor: `Usage: chrony-ts doctor [options]

Tries chronyd's Unix sockets and UDP in libchrony's order, says which work and,
for the others, why and what to do. Exit status 0 when everything tried works.

Options:
${CONNECT_HELP}
      --json           a stable JSON document instead of text
  -h, --help           this text`,
};

const OPTIONS = {
  address: { type: "string", short: "a" },
  backend: { type: "string" },
  "client-dir": { type: "string" },
  timeout: { type: "string" },
  json: { type: "boolean" },
  output: { type: "string", short: "o" },
  redact: { type: "boolean" },
  "chronyd-version": { type: "string" },
  help: { type: "boolean", short: "h" },
} as const satisfies ParseArgsConfig["options"];

function connectOptions(values: { backend?: string; "client-dir"?: string; timeout?: string }): ConnectOptions {
  const backend = values.backend;
  if (backend !== undefined && backend !== "typescript" && backend !== "libchrony") throw new UsageError(`--backend must be typescript or libchrony, got "${backend}"`);
  let timeoutMs: number | undefined;
  if (values.timeout !== undefined) {
    timeoutMs = Number(values.timeout);
    if (!/^\d+$/.test(values.timeout) || timeoutMs < 1 || timeoutMs > 600_000) throw new UsageError(`--timeout must be a whole number of milliseconds from 1 to 600000, got "${values.timeout}"`);
  }
  return { backend: backend as ChronyBackend | undefined, clientDirectory: values["client-dir"], timeoutMs };
}

/** Options that belong to one command only. */
const ONLY: Record<string, readonly string[]> = {
  json: ["show", "doctor"],
  output: ["capture"],
  redact: ["capture"],
  "chronyd-version": ["capture"],
};

function onlyFor(command: string, values: Record<string, unknown>): void {
  for (const [option, commands] of Object.entries(ONLY)) {
    if (values[option] !== undefined && !commands.includes(command)) throw new UsageError(`--${option} is not an option of ${command}`);
  }
}

async function captureCommand(connection: ChronyConnection, options: { chronydVersion?: string; redact: boolean; output?: string }, output: Output): Promise<number> {
  if (output.color) output.stderr.write(paint(output, "dim", `capturing ${connection.address}…\n`));
  const result = await capture(connection, options);
  for (const { report, reason } of result.skipped) output.stderr.write(`${paint(output, "yellow", `${report}:`)} not captured, left at the mock's defaults: ${reason}\n`);
  const json = captureJson(result);
  if (options.output === undefined) output.stdout.write(json);
  else {
    writeFileSync(options.output, json);
    output.stderr.write(`wrote ${options.output} (chronyd ${result.serverVersion}${result.inferred ? ", inferred" : ""}, ${(result.state.sources as unknown[]).length} sources)\n`);
  }
  return 0;
}

/** Runs the CLI; resolves to the exit status. */
export async function run(argv: readonly string[], output: Output): Promise<number> {
  const [command, ...rest] = argv;
  try {
    if (command === undefined || command === "help" || command === "--help" || command === "-h") {
      output.stdout.write(`${HELP.main}\n`);
      return command === undefined ? 2 : 0;
    }
    if (!(command in HELP) || command === "main") throw new UsageError(`unknown command "${command}"`);
    let parsed;
    try {
      parsed = parseArgs({ args: [...rest], options: OPTIONS, allowPositionals: command === "show", strict: true });
    } catch (error) {
      throw new UsageError((error as Error).message);
    }
    const { values, positionals } = parsed;
    if (values.help) {
      output.stdout.write(`${HELP[command]}\n`);
      return 0;
    }
    const connect = connectOptions(values);
    onlyFor(command, values);
    if (command === "doctor") return await doctor(values.address, connect, values.json ?? false, output);
    const reports = reportsNamed(positionals);
    const chronydVersion = values["chronyd-version"];
    if (chronydVersion !== undefined && !/^[34]\.\d{1,2}$/.test(chronydVersion)) throw new UsageError(`--chronyd-version must look like 4.3, got "${chronydVersion}"`);
    const connection = await ChronyConnection.open({ address: values.address, backend: connect.backend, clientDirectory: connect.clientDirectory, timeoutMs: connect.timeoutMs });
    try {
      if (command === "show") return await show(connection, reports, positionals.length > 0, values.json ?? false, output);
      return await captureCommand(connection, { chronydVersion, redact: values.redact ?? false, output: values.output }, output);
    } finally {
      await connection.close();
    }
  } catch (error) {
    if (error instanceof UsageError) {
      output.stderr.write(`chrony-ts: ${error.message}\nRun chrony-ts ${command && command in HELP ? `${command} ` : ""}--help for usage.\n`);
      return 2;
    }
    if (error instanceof ChronyError) {
      // The first line carries the reason; the rest (addresses tried) follows indented.
      output.stderr.write(`chrony-ts: ${error.message}\n`);
      return 1;
    }
    output.stderr.write(`chrony-ts: unexpected error: ${error instanceof Error ? error.message : String(error)}\n`);
    return 70;
  }
}
