/**
 * What `chrony-ts doctor` finds out about one address: whether it opens,
 * which reports it serves, and for anything that fails, why and what to do.
 *
 * @module
 */
import { constants, statSync, type Stats } from "node:fs";
import { accessSync, readFileSync } from "node:fs";
import { userInfo } from "node:os";
import { dirname } from "node:path";
import { ChronyConnection, ChronyConnectionError, ChronyError, ChronyPermissionError, ChronyTimeoutError, type ChronyBackend } from "@chrony/bindings";
import { REPORT_NAMES, type ReportName } from "@chrony/fields";
import { Errno, parseEndpoint } from "@chrony/protocol";
import { READERS } from "./reports.js";

/** How a report fared. */
export type ReportOutcome = "ok" | "disabled" | "refused" | "failed";

/** A problem found, with the fix. */
export interface Problem {
  /** Stable identifier for scripts. */
  readonly kind: "socket-missing" | "permission" | "client-directory" | "refused-over-udp" | "nothing-listens" | "no-answer" | "disabled" | "error";
  readonly message: string;
  readonly fix: string;
}

/** Everything found about one address. */
export interface TransportDiagnosis {
  readonly address: string;
  readonly kind: "unix" | "udp";
  /** The connection opened and tracking could be read. */
  readonly works: boolean;
  readonly reports: Partial<Record<ReportName, ReportOutcome>>;
  readonly problems: readonly Problem[];
  /** libchrony field names of the variable-layout reports, for the version inference. */
  readonly layouts: Partial<Record<"serverstats" | "ntpdata", readonly string[]>>;
}

/** Options shared by the commands that connect. */
export interface ConnectOptions {
  readonly backend?: ChronyBackend;
  readonly clientDirectory?: string;
  readonly timeoutMs?: number;
}

function describeOwner(stats: Stats): string {
  return `${nameOf("/etc/passwd", stats.uid) ?? stats.uid}:${nameOf("/etc/group", stats.gid) ?? stats.gid}, mode ${(stats.mode & 0o7777).toString(8).padStart(4, "0")}`;
}

/** A user or group name from /etc/passwd or /etc/group. */
function nameOf(file: string, id: number): string | null {
  try {
    const line = readFileSync(file, "utf8").split("\n").find((l) => l.split(":")[2] === String(id));
    return line?.split(":")[0] ?? null;
  } catch {
    return null;
  }
}

function whoAmI(): string {
  const groups = process.getgroups?.().map((gid) => nameOf("/etc/group", gid) ?? String(gid)) ?? [];
  return `${userInfo().username} (uid ${process.geteuid?.() ?? "?"}; groups ${groups.join(", ") || "none"})`;
}

/** The first directory on the way to `path` this user may not enter, or `null`. */
function closedAncestor(path: string): { directory: string; stats: Stats } | null {
  const parts = dirname(path).split("/").filter(Boolean);
  for (let i = 0; i <= parts.length; i++) {
    const directory = `/${parts.slice(0, i).join("/")}`;
    let stats: Stats;
    try {
      stats = statSync(directory);
    } catch {
      return null;
    }
    try {
      accessSync(directory, constants.X_OK);
    } catch {
      return { directory, stats };
    }
  }
  return null;
}

/** Why a Unix socket cannot be used, from the file system alone; `null` when nothing is wrong there. */
function unixSocketProblem(path: string): Problem | null {
  const closed = closedAncestor(path);
  if (closed) {
    const group = nameOf("/etc/group", closed.stats.gid) ?? String(closed.stats.gid);
    const groupCanEnter = (closed.stats.mode & 0o010) !== 0;
    return {
      kind: "permission",
      message: `${closed.directory} (${describeOwner(closed.stats)}) is closed to ${whoAmI()}`,
      fix: groupCanEnter
        ? `Run as root, or join its group: sudo usermod -aG ${group} ${userInfo().username} (then log in again).`
        : `Run as root: ${closed.directory} lets in only its owner. (chronyd's own directory is usually group-readable by chronyd's group; joining that group works there.)`,
    };
  }
  const directory = dirname(path);
  try {
    statSync(directory);
  } catch {
    return { kind: "socket-missing", message: `${directory} does not exist`, fix: "Is chronyd running? Its command socket is set by bindcmdaddress in chrony.conf (default /run/chrony/chronyd.sock)." };
  }
  try {
    statSync(path);
  } catch {
    return { kind: "socket-missing", message: `${path} does not exist`, fix: "Is chronyd running? Check bindcmdaddress in chrony.conf; chronyd creates the socket at start." };
  }
  try {
    accessSync(path, constants.W_OK);
  } catch {
    return { kind: "permission", message: `${path} (${describeOwner(statSync(path))}) is not writable by ${whoAmI()}`, fix: "Run as root, or as a member of the socket's group." };
  }
  return null;
}

/** The client socket goes next to chronyd's (libchrony's way); it needs a writable directory there. */
function clientDirectoryProblem(path: string, clientDirectory: string | undefined): Problem | null {
  const directory = clientDirectory ?? dirname(path);
  try {
    accessSync(directory, constants.W_OK | constants.X_OK);
    return null;
  } catch {
    return {
      kind: "client-directory",
      message: `cannot create the client socket in ${directory} (${describeOwner(statSync(directory))}) as ${whoAmI()}`,
      fix: "Pass --client-dir DIR (ChronyConnection's clientDirectory option) with a directory chronyd's user can reach, or run as root.",
    };
  }
}

function classify(error: ChronyError, address: string, udp: boolean): Problem {
  if (error instanceof ChronyPermissionError) {
    return udp
      ? { kind: "refused-over-udp", message: error.message, fix: "Use chronyd's Unix socket, or open more commands over UDP (chronyd 4.7+: opencommands in chrony.conf)." }
      : { kind: "permission", message: error.message, fix: "Run as root or as a member of chronyd's group." };
  }
  if (error instanceof ChronyTimeoutError) {
    return { kind: "no-answer", message: error.message, fix: `chronyd did not answer at ${address}: is it running and allowed to answer this host (cmdallow/cmddeny in chrony.conf)? Is it overloaded or stopped?` };
  }
  if (error instanceof ChronyConnectionError && error.errno === Errno.ECONNREFUSED) {
    return { kind: "nothing-listens", message: error.message, fix: "Nothing listens on that port: chronyd's cmdport may be 0 or bound elsewhere (cmdport, bindcmdaddress)." };
  }
  if (error instanceof ChronyConnectionError && error.errno === Errno.ENOENT) {
    return { kind: "socket-missing", message: error.message, fix: "Is chronyd running? Check bindcmdaddress in chrony.conf." };
  }
  return { kind: "error", message: error.message, fix: "See the message; `chronyc -h <address> tracking` tells whether chronyc fares better." };
}

const DISABLED_FIX: Partial<Record<ReportName, string>> = {
  rtcdata: "chronyd does not track the RTC (rtcfile in chrony.conf enables it; rtcsync does not).",
  smoothing: "Time smoothing is off (smoothtime in chrony.conf).",
};

/** Tries one address: open, every report, and the reasons for what fails. */
export async function diagnose(address: string, options: ConnectOptions): Promise<TransportDiagnosis> {
  const udp = parseEndpoint(address)?.kind === "udp";
  const problems: Problem[] = [];
  const reports: Partial<Record<ReportName, ReportOutcome>> = {};
  const layouts: TransportDiagnosis["layouts"] = {};
  const result = (works: boolean): TransportDiagnosis => ({ address, kind: udp ? "udp" : "unix", works, reports, problems, layouts });

  if (!udp) {
    const found = unixSocketProblem(address) ?? clientDirectoryProblem(address, options.clientDirectory);
    if (found) {
      problems.push(found);
      return result(false);
    }
  }
  let connection: ChronyConnection;
  try {
    connection = await ChronyConnection.open({ address, backend: options.backend, clientDirectory: options.clientDirectory, timeoutMs: options.timeoutMs ?? 1000, retries: 1 });
  } catch (error) {
    if (!(error instanceof ChronyError)) throw error;
    problems.push(classify(error, address, udp));
    return result(false);
  }
  try {
    const refused: ReportName[] = [];
    for (const report of REPORT_NAMES) {
      try {
        const value = await READERS[report](connection);
        reports[report] = value === null ? "disabled" : "ok";
        if (value === null) problems.push({ kind: "disabled", message: `${report} is disabled in chronyd`, fix: DISABLED_FIX[report] ?? "" });
      } catch (error) {
        if (!(error instanceof ChronyError)) throw error;
        if (error instanceof ChronyPermissionError && udp) {
          reports[report] = "refused";
          refused.push(report);
          continue;
        }
        reports[report] = "failed";
        problems.push(classify(error, address, udp));
        // Nothing more will work when the transport itself fails.
        if (error instanceof ChronyConnectionError || error instanceof ChronyTimeoutError) break;
      }
    }
    if (refused.length > 0) {
      problems.push({
        kind: "refused-over-udp",
        message: `chronyd refuses ${refused.join(", ")} over UDP`,
        fix: `Read them through chronyd's Unix socket, or on chronyd 4.7+ open them to the hosts cmdallow lets in: opencommands ${[...REPORT_NAMES].sort().join(" ")}`,
      });
    }
    for (const report of ["serverstats", "ntpdata"] as const) {
      if (reports[report] !== "ok") continue;
      const record = (await connection.getReport(report).catch(() => null))?.records.find((r) => r !== null);
      if (record) layouts[report] = record.fields.map((f) => f.name);
    }
  } finally {
    await connection.close();
  }
  return result(reports.tracking === "ok");
}
