#!/usr/bin/env node
/**
 * `chrony-mock-server`: runs a fake chronyd until SIGINT/SIGTERM.
 *
 * @module
 */
import { ChronyConfigError } from "@chrony/mock-session";
import { USAGE, loadStateFile, oneLine, parseArguments, type CliArguments } from "./cli-args.js";
import { startMockChronyd } from "./server.js";

/** A bad command line: the message is followed by a pointer to --help. */
class UsageError extends Error {}

/** The state file being served, to name it in a config error. */
let stateFile: string | null = null;

async function main(argv: readonly string[]): Promise<number> {
  let args: CliArguments;
  try {
    args = parseArguments(argv);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  stateFile = args.stateFile;
  if (args.help) {
    console.log(USAGE);
    return 0;
  }
  const { state, faults } = args.stateFile === null ? { state: {}, faults: [] } : loadStateFile(args.stateFile);
  const server = await startMockChronyd(state, { ...args.options, faults });

  return await new Promise<number>((resolve) => {
    const stop = (): void => {
      void server.close().then(() => resolve(0));
    };
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
    process.on("SIGHUP", () => {
      if (args.stateFile === null) return;
      try {
        server.reset(loadStateFile(args.stateFile).state);
        console.log(`reloaded ${args.stateFile}`);
      } catch (error) {
        console.error(`chrony-mock-server: reload failed, keeping the old state: ${describe(error)}`);
      }
    });
    // Announced once the signals are handled: a SIGTERM right after this line stops the server cleanly.
    console.log(`listening on ${server.address}`);
  });
}

/** One line for any failure: the file and the config path for a bad state, never a stack trace. */
function describe(error: unknown): string {
  let message: string;
  try {
    message = error instanceof Error ? error.message : String(error);
  } catch {
    message = "unknown error";
  }
  if (error instanceof ChronyConfigError && stateFile !== null) message = `${stateFile}: ${message}`;
  return oneLine(message);
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`chrony-mock-server: ${describe(error)}`);
    if (error instanceof UsageError) console.error("Try --help.");
    process.exit(2);
  },
);
