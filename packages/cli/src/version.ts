/**
 * Which chronyd versions could have sent the reply layouts seen: each
 * version's variants come from `@chrony/protocol`'s command table.
 *
 * @module
 */
import { REPORTS } from "@chrony/fields";
import { responseFor } from "@chrony/protocol";

/** chronyd releases, as `major + minor / 100`. */
const VERSIONS = [3.05, 4.0, 4.01, 4.02, 4.03, 4.04, 4.05, 4.06, 4.07, 4.08];

const label = (v: number) => `${Math.floor(v)}.${Math.round((v % 1) * 100)}`;

/** The versions consistent with the layouts, as `"4.4"` or `"4.4–4.5"`, or `null` when nothing was seen. */
export function inferVersion(layouts: Partial<Record<"serverstats" | "ntpdata", readonly string[]>>): { readonly range: string; readonly versions: readonly string[] } | null {
  const seen = Object.entries(layouts) as ["serverstats" | "ntpdata", readonly string[]][];
  if (seen.length === 0) return null;
  const fits = VERSIONS.filter((version) =>
    seen.every(([report, names]) => {
      const fields = responseFor(REPORTS[report], version)?.fields.map((f) => f.name);
      return fields !== undefined && fields.length === names.length && fields.every((name, i) => name === names[i]);
    }),
  );
  if (fits.length === 0) return { range: "unknown (newer than this tool?)", versions: [] };
  const [first, last] = [fits[0]!, fits[fits.length - 1]!];
  return { range: first === last ? label(first) : `${label(first)}–${last === VERSIONS[VERSIONS.length - 1] ? `${label(last)} or later` : label(last)}`, versions: fits.map(label) };
}
