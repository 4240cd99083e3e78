/**
 * Where libchrony is looked for, and the error that tells how to install it.
 *
 * @module
 */
import { arch } from "node:process";
import { ChronyLibraryError, type LibraryLoadAttempt } from "../errors.js";

/** The soname first (the dynamic linker's own search), then the usual directories. */
const LIBRARY_NAMES = ["libchrony.so.0", "libchrony.so"] as const;

/** Debian's multiarch directory names for the architectures Node runs on. */
const MULTIARCH: Partial<Record<NodeJS.Architecture, string>> = {
  x64: "x86_64-linux-gnu",
  arm64: "aarch64-linux-gnu",
  arm: "arm-linux-gnueabihf",
  ppc64: "powerpc64le-linux-gnu",
  s390x: "s390x-linux-gnu",
  riscv64: "riscv64-linux-gnu",
};

/** The directories searched after the plain sonames, in order. */
export function libraryDirectories(architecture: NodeJS.Architecture = arch): string[] {
  const multiarch = MULTIARCH[architecture];
  return ["/usr/lib64", "/usr/lib", ...(multiarch ? [`/usr/lib/${multiarch}`] : []), "/usr/local/lib", "/usr/local/lib64"];
}

/**
 * Every path tried, in order: `LIBCHRONY_PATH` or the `libraryPath` option
 * alone when given, otherwise the sonames and then each directory.
 */
export function libraryCandidates(libraryPath?: string, env: NodeJS.ProcessEnv = process.env): string[] {
  const explicit = env.LIBCHRONY_PATH || libraryPath;
  if (explicit) return [explicit];
  return [
    ...LIBRARY_NAMES,
    ...libraryDirectories().flatMap((directory) => LIBRARY_NAMES.map((name) => `${directory}/${name}`)),
  ];
}

/** How to get libchrony, for {@link ChronyLibraryError}'s message. */
export const INSTALL_HINT = [
  "Install libchrony:",
  "  Fedora/RHEL/CentOS (EPEL): sudo dnf install libchrony",
  "  Debian/Ubuntu: not packaged; build it from https://github.com/mlichvar/libchrony",
  "    (needs make and libtool: `make && sudo make install`),",
  "    or set LIBCHRONY_PATH to the built .libs/libchrony.so.0.",
].join("\n");

/** The error listing every failed attempt. */
export function libraryNotFound(attempts: readonly LibraryLoadAttempt[]): ChronyLibraryError {
  const tried = attempts.map(({ path, reason }) => `  ${path}: ${reason}`).join("\n");
  return new ChronyLibraryError(`libchrony could not be loaded. Tried:\n${tried}\n${INSTALL_HINT}`, attempts);
}
