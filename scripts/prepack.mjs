#!/usr/bin/env node
// Run by each package's `prepack`: puts the repository's LICENSE into the
// package directory, so every tarball carries it (npm always packs LICENSE).
import { copyFileSync } from "node:fs";
import { join } from "node:path";
import { ROOT } from "./lib.mjs";

copyFileSync(join(ROOT, "LICENSE"), join(process.cwd(), "LICENSE"));
