#!/usr/bin/env node
/**
 * `node dist/cli.js [address]`: checks the local chronyd and prints the
 * report as JSON; exits 0 (ok), 1 (warn) or 2 (critical), as monitoring
 * plugins do.
 *
 * @module
 */
import { checkHealth } from "./index.js";

const report = await checkHealth(process.argv[2] ? { address: process.argv[2] } : {});
console.log(JSON.stringify(report, null, 2));
process.exitCode = { ok: 0, warn: 1, critical: 2 }[report.verdict];
