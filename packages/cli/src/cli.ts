#!/usr/bin/env node
/**
 * The `chrony-ts` executable.
 *
 * @module
 */
import { run } from "./run.js";

const color = Boolean(process.stdout.isTTY) && !process.env.NO_COLOR;
process.exitCode = await run(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, color });
