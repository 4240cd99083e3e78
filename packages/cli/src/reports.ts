/**
 * The reports the CLI reads, each through `ChronyConnection`'s typed getter.
 *
 * @module
 */
import type { ChronyConnection } from "@chrony/bindings";
import { REPORT_NAMES, type ReportName } from "@chrony/fields";

/** How each report is read; list reports give one model per record (`null` for a reference clock's ntpdata/authdata). */
export const READERS: { readonly [R in ReportName]: (connection: ChronyConnection) => Promise<object | readonly (object | null)[] | null> } = {
  tracking: (c) => c.getTracking(),
  sources: (c) => c.getSources(),
  sourcestats: (c) => c.getSourceStats(),
  selectdata: (c) => c.getSelectData(),
  activity: (c) => c.getActivity(),
  authdata: (c) => c.getAuthData(),
  ntpdata: (c) => c.getNtpData(),
  serverstats: (c) => c.getServerStats(),
  rtcdata: (c) => c.getRtcData(),
  smoothing: (c) => c.getSmoothing(),
};

/** Report names as the user types them, validated; every report when none is named. */
export function reportsNamed(names: readonly string[]): ReportName[] {
  if (names.length === 0) return [...REPORT_NAMES];
  for (const name of names) {
    if (!(REPORT_NAMES as readonly string[]).includes(name)) throw new UsageError(`unknown report "${name}"; reports: ${REPORT_NAMES.join(", ")}`);
  }
  return [...new Set(names)] as ReportName[];
}

/** A mistake in the command line: printed in one line with a pointer to `--help`, exit code 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}
