#!/usr/bin/env node
// Writes json/ (one file per preset, the JSON Schema, index.json) from the built
// TypeScript constants: `pnpm --filter @chrony/scenarios generate` (builds first).
import { mkdirSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { renderJsonFiles } from "../dist/index.js";

const out = join(dirname(fileURLToPath(import.meta.url)), "..", "json");
mkdirSync(out, { recursive: true });
const files = renderJsonFiles();
for (const stale of readdirSync(out)) if (!(stale in files)) rmSync(join(out, stale));
for (const [name, content] of Object.entries(files)) writeFileSync(join(out, name), content);
console.log(`generate: wrote ${Object.keys(files).length} files to json/`);
