/**
 * The recorded chronyc/chronyd datagrams of `fixtures/`: their format and
 * how to read them. Shared by this package's tests and mock-server's, which
 * replays the same recordings against the fake chronyd.
 */
import { readFileSync, readdirSync } from "node:fs";

/** One request of chronyc and chronyd's reply. */
export interface RecordedExchange {
  /** What chronyc asked for: a report name, or `n_sources` for the source count. */
  readonly command: string;
  /** The chronyc command that sent it. */
  readonly invocation: string;
  readonly request: string;
  /** `null` would be no reply; chronyd answered every request recorded. */
  readonly reply: string | null;
}

/** A datagram of our own sent to the recorded chronyd, and its answer. */
export interface RecordedProbe {
  /** What the probe tests. */
  readonly probe: string;
  readonly request: string;
  /** `null`: chronyd sent nothing back. */
  readonly reply: string | null;
}

/** One fixture file. */
export interface Recording {
  readonly chronyd: string;
  readonly client: string;
  readonly transport: "unix" | "udp";
  readonly recorded: string;
  readonly exchanges: readonly RecordedExchange[];
  /** `chronyc -n -c <invocation>` output lines. */
  readonly chronyc: Readonly<Record<string, readonly string[]>>;
  /** chronyc's exit status where it was not 0. */
  readonly chronycExitStatus?: Readonly<Record<string, number>>;
  readonly probes?: readonly RecordedProbe[];
}

const FIXTURE_DIR = new URL("./fixtures/", import.meta.url);
/** The name of a recording: `chronyd-<version>-chronyc[-udp].json`. */
export const FIXTURE_NAME = /^chronyd-(\d+\.\d+)-chronyc(-udp)?\.json$/;

/** Every JSON file of `fixtures/`, sorted (a test checks that each is named as {@link FIXTURE_NAME} says). */
export function recordingFiles(): string[] {
  return readdirSync(FIXTURE_DIR)
    .filter((file) => file.endsWith(".json"))
    .sort();
}

export function readRecording(file: string): Recording {
  return JSON.parse(readFileSync(new URL(file, FIXTURE_DIR), "utf8")) as Recording;
}

export function fromHex(hex: string): Uint8Array {
  return Uint8Array.from(Buffer.from(hex, "hex"));
}

/** "4.8" → 4.08: `major + minor / 100`, the convention of `responseFor` and mock-session's `ServerState.version`. */
export function versionNumber(text: string): number {
  const match = /^(\d+)\.(\d+)$/.exec(text);
  if (!match) throw new Error(`not a chronyd version: ${text}`);
  return Number(match[1]) + Number(match[2]) / 100;
}

/** The chronyc version of a recording's `client` ("chronyc 4.3 (Debian 12)" → "4.3"). */
export function chronycVersion(recording: Recording): string {
  const match = /^chronyc (\d+\.\d+)\b/.exec(recording.client);
  if (!match) throw new Error(`client is not a chronyc: ${recording.client}`);
  return match[1]!;
}
