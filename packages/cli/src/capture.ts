/**
 * `chrony-ts capture`: reads every report a chronyd serves and writes the
 * state that reproduces it, in `@chrony/scenarios`' JSON format, for
 * `MockChronySession`, the fake chronyd and test fixtures.
 *
 * @module
 */
import { ChronyError, type ChronyConnection } from "@chrony/bindings";
import type { ReportName } from "@chrony/fields";
import { CHRONY_STATE_SCHEMA_ID, ChronyConfigError, STATE_SPEC, loadScenario, toStateJson, type ObjectShape } from "@chrony/scenarios";
import { READERS } from "./reports.js";
import { redactState } from "./redact.js";
import { inferVersion } from "./version.js";

type Model = Record<string, unknown>;
type Config = Record<string, unknown>;

/** The spec of a nested object of the state, by path of keys. */
function shapeAt(...path: string[]): ObjectShape {
  let shape: ObjectShape = STATE_SPEC.shape;
  for (const key of path) {
    let spec = shape[key]!.spec;
    if (spec.kind === "array") spec = spec.items;
    if (spec.kind !== "object") throw new Error(`state spec: ${path.join(".")} is not an object`);
    shape = spec.shape;
  }
  return shape;
}

/** The model's values under the state's keys: same names, exact times from their `…Exact` twin, absent ones left out. */
function pick(shape: ObjectShape, model: object): Config {
  const values = model as Model;
  const config: Config = {};
  for (const [key, field] of Object.entries(shape)) {
    const spec = field.spec;
    if (spec.kind === "object" || spec.kind === "array") continue;
    let value = spec.kind === "time" ? (values[`${key}Exact`] ?? values[key]) : values[key];
    // The models read an unspecified address as "".
    if (spec.kind === "ip" && value === "") value = spec.nullable ? null : undefined;
    // Counters this chronyd version does not send read as null; any value reproduces it, and stating one keeps the state complete.
    if (value === null && (spec.kind === "uint64" || spec.kind === "integer")) value = 0;
    // 64-bit counters stay plain numbers while exact, as in the presets.
    if (typeof value === "bigint" && value <= BigInt(Number.MAX_SAFE_INTEGER)) value = Number(value);
    if (value !== undefined && value !== null) config[key] = value;
    else if (value === null && spec.kind === "ip" && spec.nullable) config[key] = null;
  }
  return config;
}

/** What capture found. */
export interface Capture {
  /** The state, validated; `$schema` and JSON encoding are added by {@link captureJson}. */
  readonly state: Config;
  /** Reports chronyd refused or failed to give (left at the mock's defaults), with why. */
  readonly skipped: readonly { readonly report: ReportName; readonly reason: string }[];
  /** The chronyd version the state claims, and whether it was inferred from the replies. */
  readonly serverVersion: string;
  readonly inferred: boolean;
}

/** Options of {@link capture}. */
export interface CaptureOptions {
  /** chronyd's version (`"4.3"`), when it cannot or should not be inferred. */
  readonly chronydVersion?: string;
  /** Replace addresses by documentation addresses and recompute their reference IDs. */
  readonly redact?: boolean;
}

/** Reads before a capture gives up on states that change under it. */
const CAPTURE_ATTEMPTS = 5;

/**
 * Reads every report and builds the state that reproduces this chronyd.
 * Reports are read one after another, so chronyd may change in between (a
 * reselection between the sources and selectdata reports); a capture whose
 * reports disagree is read again, up to {@link CAPTURE_ATTEMPTS} times.
 */
export async function capture(connection: ChronyConnection, options: CaptureOptions = {}): Promise<Capture> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await captureOnce(connection, options);
    } catch (error) {
      if (!(error instanceof ChronyConfigError) || attempt === CAPTURE_ATTEMPTS) throw error;
    }
  }
}

async function captureOnce(connection: ChronyConnection, options: CaptureOptions): Promise<Capture> {
  const skipped: { report: ReportName; reason: string }[] = [];
  const read = async <T>(report: ReportName): Promise<T | undefined> => {
    try {
      return (await READERS[report](connection)) as T;
    } catch (error) {
      if (!(error instanceof ChronyError)) throw error;
      skipped.push({ report, reason: error.message });
      return undefined;
    }
  };
  const tracking = await read<object>("tracking");
  const sources = (await read<object[]>("sources")) ?? [];
  const sourcestats = await read<object[]>("sourcestats");
  const selectdata = await read<object[]>("selectdata");
  const ntpdata = await read<(object | null)[]>("ntpdata");
  const authdata = await read<(object | null)[]>("authdata");
  const activity = await read<object>("activity");
  const serverstats = await read<object>("serverstats");
  const rtc = await read<object | null>("rtcdata");
  const smoothing = await read<object | null>("smoothing");

  const layouts: Partial<Record<"serverstats" | "ntpdata", readonly string[]>> = {};
  for (const report of ["serverstats", "ntpdata"] as const) {
    if (report === "serverstats" ? serverstats === undefined : !ntpdata?.some((n) => n !== null)) continue;
    const record = (await connection.getReport(report).catch(() => null))?.records.find((r) => r !== null);
    if (record) layouts[report] = record.fields.map((f) => f.name);
  }
  const inferredVersions = inferVersion(layouts)?.versions ?? [];
  const serverVersion = options.chronydVersion ?? inferredVersions[inferredVersions.length - 1];
  if (serverVersion === undefined) {
    throw new ChronyError("Cannot tell chronyd's version from what it answered (serverstats or ntpdata are needed); give it with --chronyd-version");
  }

  const sourceShape = shapeAt("sources");
  const state: Config = { serverVersion };
  if (tracking) state.tracking = pick(shapeAt("tracking"), tracking);
  state.sources = sources.map((source, i) => {
    const config = pick(sourceShape, source);
    const isReferenceClock = (source as Model).mode === 2;
    const stats = sourcestats?.[i];
    // The source's reference ID is sent in sourcestats; a reference clock's is its name.
    if (stats && !isReferenceClock) config.referenceId = (stats as Model).referenceId;
    if (stats) config.sourcestats = pick(shapeAt("sources", "sourcestats"), stats);
    if (selectdata?.[i]) config.selectdata = pick(shapeAt("sources", "selectdata"), selectdata[i]!);
    if (ntpdata?.[i]) config.ntpdata = pick(shapeAt("sources", "ntpdata"), ntpdata[i]!);
    if (authdata?.[i]) config.authdata = pick(shapeAt("sources", "authdata"), authdata[i]!);
    return config;
  });
  if (rtc !== undefined) state.rtc = rtc === null ? null : pick(shapeAt("rtc"), rtc);
  if (smoothing !== undefined) state.smoothing = smoothing === null ? null : pick(shapeAt("smoothing"), smoothing);
  if (activity) state.activity = pick(shapeAt("activity"), activity);
  if (serverstats) state.serverstats = pick(shapeAt("serverstats"), serverstats);

  const final = options.redact ? redactState(state) : state;
  // What the mock would refuse is a bug here or a value chronyd should not send: say so now, not when loading.
  loadScenario(final);
  return { state: final, skipped, serverVersion, inferred: options.chronydVersion === undefined };
}

/** The capture as the JSON file: `$schema` first, 64-bit counters as decimal strings. */
export function captureJson(result: Capture): string {
  return `${JSON.stringify({ $schema: CHRONY_STATE_SCHEMA_ID, ...toStateJson(result.state as never) }, null, 2)}\n`;
}
