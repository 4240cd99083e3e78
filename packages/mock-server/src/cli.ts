#!/usr/bin/env node
/**
 * `chrony-mock-server`: runs a fake chronyd until SIGINT/SIGTERM.
 *
 * @module
 */
import { ChronyConfigError } from "@chrony/mock-session";
import { USAGE, loadStateFile, parseArguments } from "./cli-args.js";
import { startMockChronyd } from "./server.js";

async function main(argv: readonly string[]): Promise<number> {
  const args = parseArguments(argv);
  if (args.help) {
    console.log(USAGE);
    return 0;
  }
  const { state, faults } = args.stateFile === null ? { state: {}, faults: [] } : loadStateFile(args.stateFile);
  const server = await startMockChronyd(state, { ...args.options, faults });
  console.log(`listening on ${server.address}`);

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
        console.error(`chrony-mock-server: reload failed, keeping the old state: ${(error as Error).message}`);
      }
    });
  });
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    const message = error instanceof ChronyConfigError || error instanceof Error ? error.message : String(error);
    console.error(`chrony-mock-server: ${message}`);
    if (!(error instanceof ChronyConfigError)) console.error("Try --help.");
    process.exit(2);
  },
);
