/**
 * vitest globalSetup: compiles fake-libchrony.c into a temporary shared
 * library with the machine's C compiler. Without a compiler this throws, so
 * the run fails loudly instead of skipping the native tests.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestProject } from "vitest/node";

declare module "vitest" {
  export interface ProvidedContext {
    /** Path of the compiled C test library. */
    fakeLibchronyPath: string;
  }
}

export const FAKE_LIBCHRONY_SOURCE = join(import.meta.dirname, "fake-libchrony.c");

export default function setup(project: TestProject): () => void {
  const directory = mkdtempSync(join(tmpdir(), "chrony-bindings-"));
  const library = join(directory, "libfakechrony.so");
  const compiler = process.env.CC ?? "cc";
  try {
    execFileSync(compiler, ["-std=c11", "-D_DEFAULT_SOURCE", "-O2", "-Wall", "-Werror", "-shared", "-fPIC", "-o", library, FAKE_LIBCHRONY_SOURCE], {
      stdio: "pipe",
    });
  } catch (error) {
    rmSync(directory, { recursive: true, force: true });
    throw new Error(`Cannot build the C test library with "${compiler}" (set CC, or install a C compiler): ${String(error)}`);
  }
  project.provide("fakeLibchronyPath", library);
  return () => rmSync(directory, { recursive: true, force: true });
}
