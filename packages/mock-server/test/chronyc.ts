/** Runs Debian's chronyc against a server; fails loudly when chronyc is missing. */
import { execFile, execFileSync } from "node:child_process";

/** Path of chronyc. */
export const CHRONYC = process.env.CHRONYC ?? "chronyc";

/** chronyc's version line; throws with an install hint when chronyc is not installed. */
export function chronycVersion(): string {
  try {
    return execFileSync(CHRONYC, ["--version"], { encoding: "utf8" }).trim();
  } catch (error) {
    throw new Error(
      `chronyc is required by this suite and was not found (${(error as Error).message}). ` +
        "Install it: `sudo apt-get install -y chrony` (Debian/Ubuntu; CI does this in .ci/run), or set CHRONYC=/path/to/chronyc.",
    );
  }
}

/** Runs `chronyc -h host -p port ...args` and returns its stdout lines and exit code. */
export function chronyc(host: string, port: number, args: readonly string[], timeoutMs = 10_000): Promise<{ lines: string[]; code: number; stderr: string }> {
  return new Promise((resolve, reject) => {
    execFile(CHRONYC, ["-h", host, "-p", String(port), ...args], { timeout: timeoutMs, encoding: "utf8" }, (error, stdout, stderr) => {
      if (error && typeof error.code !== "number") return reject(error);
      resolve({ lines: stdout.split("\n").filter((l) => l !== ""), code: error ? (error.code as number) : 0, stderr });
    });
  });
}
