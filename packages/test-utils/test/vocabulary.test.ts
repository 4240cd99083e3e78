/**
 * One vocabulary: a value a test sets in a mock's state config is found under
 * the same name, with the same value, in the `@chrony/bindings` model that
 * reads it back. Checked for every scenario preset and for configs generated
 * from mock-session's own rule table (`STATE_SPEC`), through a real
 * `ChronyConnection` on `MockChronySession(state).lib`.
 *
 * "The same value": integers, enums, flag bits and booleans exactly; floats
 * after chronyd's 32-bit wire float (`decodeFloat(encodeFloat(x))`); 64-bit
 * counters as `bigint`; exact times `{ sec, nsec }` exactly in `refTimeExact`,
 * fractional times to the nanosecond; addresses as the same address
 * (`"2001:DB8::1"` is `"2001:db8::1"`).
 *
 * The keys that are not a property of the report's own model are listed in
 * {@link STRUCTURAL} and checked explicitly, and so are the version rules
 * ({@link SINCE}, {@link REPORT_SINCE}, 32-bit serverstats before 4.4).
 */
import fc from "fast-check";
import { isIP } from "node:net";
import { describe, expect, it } from "vitest";
import {
  ChronyConnection,
  ChronyError,
  type Activity,
  type AuthData,
  type ExactTime,
  type NtpData,
  type RTCData,
  type SelectData,
  type ServerStats,
  type Smoothing,
  type Source,
  type SourceStats,
  type TrackingStatus,
} from "@chrony/bindings";
import {
  MockChronySession,
  STATE_SPEC,
  TIME_LIMIT,
  referenceIdOf,
  sourceStateOf,
  type ChronyStateConfig,
  type ObjectShape,
  type SourceConfig,
  type ValueSpec,
} from "@chrony/mock-session";
import { decodeFloat, encodeFloat, parseIpAddress } from "@chrony/protocol";
import { SCENARIOS, SCENARIO_NAMES } from "@chrony/scenarios";

/**
 * Config keys that are not a property of the model of their own report, each
 * with where it reads back. Everything else is a property of the same name.
 */
const STRUCTURAL = {
  serverVersion: "no model property: picks the response variants, so decides which properties are null (SINCE, REPORT_SINCE) and serverstats' width",
  sources: "one entry per source, in order: getSources()[i], and entry i of every other per-source report",
  "sources[].referenceId": "the sources report carries none: getSourceStats()[i].referenceId and getSelectData()[i].referenceId",
  "sources[].sourcestats": "getSourceStats()[i]",
  "sources[].selectdata": "getSelectData()[i] (chronyd ≥ 4.0)",
  "sources[].ntpdata": "getNtpData()[i] (NTP sources only; a reference clock's entry is null)",
  "sources[].authdata": "getAuthData()[i] (chronyd ≥ 4.0; NTP sources only; a reference clock's entry is null)",
  rtc: "null (or absent): getRtcData() is null",
  "rtc.available": "false: getRtcData() is null",
  smoothing: "null (or absent): getSmoothing() is null",
  timeline: "no model property: events applied as advance() moves simulated time (how sources and tracking move)",
} as const;

/** Model properties that are not config keys: each is derived from one that is. */
const DERIVED: Record<string, readonly string[]> = {
  tracking: ["referenceIdName (from referenceId)", "refTimeExact (refTime, exactly)"],
  sourcestats: ["referenceId (sources[i].referenceId)", "address (sources[i].address)"],
  selectdata: ["referenceId (sources[i].referenceId)", "address (sources[i].address)"],
  ntpdata: ["remoteAddress (sources[i].address)", "referenceIdName (from referenceId)", "refTimeExact (refTime, exactly)"],
  rtc: ["refTimeExact (refTime, exactly)"],
  smoothing: ["flags (active, leapOnly)"],
};

/** Properties a server older than the version (major + minor / 100) does not send: its model reads `null`. */
const SINCE: Record<string, Record<string, number>> = {
  serverstats: {
    acceptedNtsKeConnections: 4.0,
    droppedNtsKeConnections: 4.0,
    receivedAuthenticatedNtpRequests: 4.0,
    receivedInterleavedNtpRequests: 4.02,
    heldNtpTimestamps: 4.02,
    ntpTimestampSpan: 4.02,
    servedDaemonRxTimestamps: 4.04,
    servedDaemonTxTimestamps: 4.04,
    servedKernelRxTimestamps: 4.04,
    servedKernelTxTimestamps: 4.04,
    servedHardwareRxTimestamps: 4.04,
    servedHardwareTxTimestamps: 4.04,
  },
  ntpdata: {
    receivedGoodMessages: 4.03,
    kernelTransmitTimestamps: 4.06,
    kernelReceiveTimestamps: 4.06,
    hardwareTransmitTimestamps: 4.06,
    hardwareReceiveTimestamps: 4.06,
  },
};
/** Reports an older server does not have (CHRONY_OLD_SERVER). */
const REPORT_SINCE = { selectdata: 4.0, authdata: 4.0 } as const;
/** serverstats counters are 32-bit on the wire before chronyd 4.4, so they read back modulo 2^32. */
const SERVERSTATS_64_BIT_SINCE = 4.04;

const version = (config: ChronyStateConfig): number => {
  const [major, minor] = (config.serverVersion ?? "4.3").split(".").map(Number) as [number, number];
  return major + minor / 100;
};

function shapeOf(spec: ValueSpec | undefined): ObjectShape {
  if (spec?.kind !== "object") throw new Error(`not an object rule: ${spec?.kind}`);
  return spec.shape;
}
const ROOT = STATE_SPEC.shape;
const sourceSpec = ROOT.sources!.spec;
const SOURCE = shapeOf(sourceSpec.kind === "array" ? sourceSpec.items : undefined);
/** Each report's rule shape: its keys are the words the models must share. */
const SHAPES = {
  tracking: shapeOf(ROOT.tracking!.spec),
  sources: SOURCE,
  sourcestats: shapeOf(SOURCE.sourcestats!.spec),
  selectdata: shapeOf(SOURCE.selectdata!.spec),
  ntpdata: shapeOf(SOURCE.ntpdata!.spec),
  authdata: shapeOf(SOURCE.authdata!.spec),
  rtc: shapeOf(ROOT.rtc!.spec),
  smoothing: shapeOf(ROOT.smoothing!.spec),
  activity: shapeOf(ROOT.activity!.spec),
  serverstats: shapeOf(ROOT.serverstats!.spec),
} as const;
type Report = keyof typeof SHAPES;

/** Keys of a report's config that are checked elsewhere (see {@link STRUCTURAL}). */
const SKIP: Partial<Record<Report, readonly string[]>> = {
  sources: ["referenceId", "sourcestats", "selectdata", "ntpdata", "authdata"],
  rtc: ["available"],
};

/** Everything the connection reads, every report once. `null` for a report this server version lacks. */
interface Snapshot {
  readonly tracking: TrackingStatus;
  readonly sources: Source[];
  readonly sourcestats: SourceStats[];
  readonly selectdata: SelectData[] | null;
  readonly ntpdata: (NtpData | null)[];
  readonly authdata: (AuthData | null)[] | null;
  readonly activity: Activity;
  readonly serverstats: ServerStats;
  readonly rtc: RTCData | null;
  readonly smoothing: Smoothing | null;
}

async function readEverything(state: ChronyStateConfig): Promise<Snapshot> {
  const mock = new MockChronySession(state);
  const connection = await ChronyConnection.open({ lib: mock.lib, address: "/x" });
  try {
    const sources = await connection.getSources();
    /**
     * An older server has no such report: asking it for a record fails. libchrony asks
     * only when there is a record to ask for (selectdata: any source; authdata: an NTP
     * source, a reference clock's entry being null without asking).
     */
    const since = async <T>(report: keyof typeof REPORT_SINCE, read: () => Promise<(T | null)[]>): Promise<(T | null)[] | null> => {
      if (version(state) >= REPORT_SINCE[report]) return read();
      const asks = report === "selectdata" ? sources.length > 0 : sources.some((source) => source.mode !== 2);
      if (asks) await expect(read(), `${report} from chronyd ${state.serverVersion}`).rejects.toThrow(ChronyError);
      else expect((await read()).every((entry) => entry === null), report).toBe(true);
      return null;
    };
    return {
      tracking: await connection.getTracking(),
      sources,
      sourcestats: await connection.getSourceStats(),
      selectdata: (await since("selectdata", () => connection.getSelectData())) as SelectData[] | null,
      ntpdata: await connection.getNtpData(),
      authdata: await since("authdata", () => connection.getAuthData()),
      activity: await connection.getActivity(),
      serverstats: await connection.getServerStats(),
      rtc: await connection.getRtcData(),
      smoothing: await connection.getSmoothing(),
    };
  } finally {
    await connection.close();
    expect(mock.openHandles).toEqual({ sockets: 0, sessions: 0 });
  }
}

/** A double after chronyd's 32-bit wire float. */
const wire = (x: number): number => decodeFloat(encodeFloat(x));

/** The same address, however it is written. */
function sameAddress(read: unknown, set: string): boolean {
  const a = typeof read === "string" ? parseIpAddress(read) : null;
  const b = parseIpAddress(set);
  return a !== null && b !== null && a.family === b.family && a.bytes.every((byte, i) => byte === b.bytes[i]);
}

function nanosecondsOf(time: ExactTime): bigint {
  return time.sec * 1_000_000_000n + BigInt(time.nsec);
}

/** Checks that `model[key]` holds the value `set` under `spec`'s rule. */
function expectSame(spec: ValueSpec, set: unknown, model: object, key: string, where: string, report: string, v: number): void {
  expect(Object.hasOwn(model, key), `${where}: ${model.constructor.name} has no property "${key}"`).toBe(true);
  const read = (model as Record<string, unknown>)[key];
  const since = SINCE[report]?.[key];
  if (since !== undefined && v < since) {
    expect(read, `${where}: not sent before chronyd ${since}, so null`).toBeNull();
    return;
  }
  switch (spec.kind) {
    case "integer":
    case "enum":
    case "bits":
    case "boolean":
      expect(read, where).toBe(set);
      return;
    case "number":
      expect(read, where).toBe(wire(set as number));
      return;
    case "uint64": {
      const value = BigInt(set as number | bigint);
      expect(read, where).toBe(report === "serverstats" && v < SERVERSTATS_64_BIT_SINCE ? BigInt.asUintN(32, value) : value);
      return;
    }
    case "ip":
      if (set === null) expect(read, `${where}: no address reads as ""`).toBe("");
      else expect(sameAddress(read, set as string), `${where}: ${String(read)} is not ${String(set)}`).toBe(true);
      return;
    case "sourceAddress":
      if (isIP(set as string)) expect(sameAddress(read, set as string), `${where}: ${String(read)} is not ${String(set)}`).toBe(true);
      else expect(read, `${where}: a reference clock's name`).toBe(set);
      return;
    case "time": {
      const exact = (model as Record<string, unknown>)[`${key}Exact`] as ExactTime;
      if (typeof set === "number") {
        // Fractional seconds: the same time to the nanosecond.
        const ns = BigInt(Math.floor(set)) * 1_000_000_000n + BigInt(Math.round((set - Math.floor(set)) * 1e9));
        const off = nanosecondsOf(exact) - ns;
        expect(off >= -1n && off <= 1n, `${where}Exact: ${exact.sec}.${exact.nsec} is not ${set}`).toBe(true);
        expect(Math.abs((read as number) - set), where).toBeLessThanOrEqual(Math.max(2e-9, set * 2 ** -52));
      } else {
        const { sec, nsec } = set as { sec: number | bigint; nsec: number };
        expect(exact, `${where}Exact`).toEqual({ sec: BigInt(sec), nsec });
        expect(read, where).toBe(Number(sec) + nsec / 1e9);
      }
      return;
    }
    default:
      throw new Error(`${where}: a ${spec.kind} rule is structural, not a model value`);
  }
}

/** Every key the config sets in one report's record, against its model. */
function expectRecord(report: Report, config: object | undefined, model: object | null | undefined, where: string, v: number): void {
  if (config === undefined) return;
  expect(model, `${where}: no ${report} model`).toBeTruthy();
  const skip = SKIP[report] ?? [];
  for (const [key, value] of Object.entries(config)) {
    if (value === undefined || skip.includes(key)) continue;
    expectSame(SHAPES[report][key]!.spec, value, model!, key, `${where}.${key}`, report, v);
  }
}

/** Reads `state` through a connection and finds every value it sets. */
async function expectReadBack(state: ChronyStateConfig): Promise<void> {
  const read = await readEverything(state);
  const v = version(state);
  expectRecord("tracking", state.tracking, read.tracking, "tracking", v);
  expectRecord("activity", state.activity, read.activity, "activity", v);
  expectRecord("serverstats", state.serverstats, read.serverstats, "serverstats", v);
  // Structural: rtc null / available false, smoothing null.
  if (!state.rtc || state.rtc.available === false) expect(read.rtc, "rtc").toBeNull();
  else expectRecord("rtc", state.rtc, read.rtc, "rtc", v);
  if (!state.smoothing) expect(read.smoothing, "smoothing").toBeNull();
  else expectRecord("smoothing", state.smoothing, read.smoothing, "smoothing", v);

  const sources = state.sources ?? [];
  for (const list of [read.sources, read.sourcestats, read.ntpdata, read.selectdata ?? sources, read.authdata ?? sources]) {
    expect(list).toHaveLength(sources.length);
  }
  sources.forEach((source, i) => {
    const at = `sources[${i}]`;
    expectRecord("sources", source, read.sources[i], at, v);
    // Structural: the source's reference ID is in the sourcestats and selectdata records.
    if (source.referenceId !== undefined) {
      expect(read.sourcestats[i]!.referenceId, `${at}.referenceId (sourcestats)`).toBe(source.referenceId);
      if (read.selectdata) expect(read.selectdata[i]!.referenceId, `${at}.referenceId (selectdata)`).toBe(source.referenceId);
    }
    expectRecord("sourcestats", source.sourcestats, read.sourcestats[i], `${at}.sourcestats`, v);
    if (read.selectdata) expectRecord("selectdata", source.selectdata, read.selectdata[i], `${at}.selectdata`, v);
    const isReferenceClock = read.sources[i]!.mode === 2;
    if (isReferenceClock) {
      expect(read.ntpdata[i], `${at}: a reference clock has no ntpdata`).toBeNull();
      if (read.authdata) expect(read.authdata[i], `${at}: a reference clock has no authdata`).toBeNull();
    }
    expectRecord("ntpdata", source.ntpdata, read.ntpdata[i], `${at}.ntpdata`, v);
    if (read.authdata) expectRecord("authdata", source.authdata, read.authdata[i], `${at}.authdata`, v);
  });
}

describe("the state config and the models share one vocabulary", () => {
  it("every config key is a property of the model that reads it, or structural", async () => {
    const read = await readEverything({ serverVersion: "4.8", sources: [{ address: "192.0.2.1" }], rtc: {}, smoothing: {} });
    const models: Record<Report, object> = {
      tracking: read.tracking,
      sources: read.sources[0]!,
      sourcestats: read.sourcestats[0]!,
      selectdata: read.selectdata![0]!,
      ntpdata: read.ntpdata[0]!,
      authdata: read.authdata![0]!,
      rtc: read.rtc!,
      smoothing: read.smoothing!,
      activity: read.activity,
      serverstats: read.serverstats,
    };
    for (const [report, shape] of Object.entries(SHAPES) as [Report, ObjectShape][]) {
      const model = Object.keys(models[report]);
      const keys = Object.keys(shape).filter((key) => !(SKIP[report] ?? []).includes(key));
      expect(keys.filter((key) => !model.includes(key)), `${report}: config keys the model lacks`).toEqual([]);
      // The other way round: what the model has beyond the config is derived from a config key.
      const derived = (DERIVED[report] ?? []).map((entry) => entry.split(" ")[0]!);
      expect(model.filter((key) => !keys.includes(key)).sort(), `${report}: model properties that are no config key`).toEqual(derived.sort());
    }
    // The structural list names keys that exist, and every key the comparison skips is on it.
    for (const path of Object.keys(STRUCTURAL)) {
      const [first, second] = path.replace("[]", "").split(".") as [string, string | undefined];
      const root: ObjectShape = ROOT;
      expect(second === undefined ? root[first] : (first === "sources" ? SOURCE : shapeOf(root[first]?.spec))[second], path).toBeDefined();
    }
    for (const [report, keys] of Object.entries(SKIP)) {
      for (const key of keys) expect(Object.keys(STRUCTURAL), `${report}.${key}`).toContain(`${report === "sources" ? "sources[]" : report}.${key}`);
    }
  });

  it.each(SCENARIO_NAMES)("preset %s reads back under the same names", async (name) => {
    await expectReadBack(SCENARIOS[name].config);
  });
});

/** Valid values of a rule, from the table itself. */
function arbitraryOf(spec: ValueSpec): fc.Arbitrary<unknown> {
  switch (spec.kind) {
    case "integer":
      return fc.integer({ min: spec.min, max: spec.max });
    case "uint64": {
      const max = spec.max ?? 2n ** 64n - 1n;
      return fc.oneof(fc.constantFrom(0, 1, 2 ** 32 - 1, 2 ** 32), fc.maxSafeNat(), fc.bigInt({ min: 0n, max }), fc.constant(max));
    }
    case "number":
      return fc.oneof(
        // The whole range the wire float carries (±spec.max), its ends included.
        fc.double({ noNaN: true, min: spec.nonNegative ? 0 : -spec.max, max: spec.max }),
        fc.constantFrom(spec.max, spec.nonNegative ? 0 : -spec.max),
        fc.double({ noNaN: true, min: spec.nonNegative ? 0 : -1e4, max: 1e4 }),
      );
    case "enum":
      return fc.constantFrom(...[...spec.extra, ...spec.set.table].map((c) => c.value));
    case "bits":
      return fc.subarray(spec.set.table.map((c) => c.value)).map((bits) => bits.reduce((all, bit) => all | bit, 0));
    case "boolean":
      return fc.boolean();
    case "ip":
      return spec.nullable ? fc.oneof(IP, fc.constant(null)) : IP;
    case "sourceAddress":
      return fc.oneof(IP, REFCLOCK_NAME);
    case "sourceRef":
      return fc.oneof(fc.integer({ min: 0, max: 4 }), IP);
    case "time":
      return fc.oneof(
        fc.double({ noNaN: true, min: 0, max: 4e9 }),
        fc.double({ noNaN: true, min: 0, max: Number(TIME_LIMIT), maxExcluded: true }),
        fc.record({ sec: fc.oneof(fc.nat(), fc.maxSafeNat(), fc.bigInt({ min: 0n, max: TIME_LIMIT - 1n })), nsec: fc.integer({ min: 0, max: 999_999_999 }) }),
      );
    case "version":
      return fc.oneof(
        fc.constantFrom("3.5", "4.0", "4.1", "4.2", "4.3", "4.4", "4.5", "4.6", "4.8"),
        fc.tuple(fc.integer({ min: 3, max: 4 }), fc.integer({ min: 0, max: 99 })).map(([major, minor]) => `${major}.${minor}`),
      );
    case "object": {
      const recordOf = (keys: readonly string[], required: readonly string[]) =>
        fc.record(Object.fromEntries(keys.map((key) => [key, arbitraryOf(spec.shape[key]!.spec)])), { requiredKeys: [...required] });
      // With variants (a timeline event): the required keys and exactly one variant's.
      const record = spec.variants
        ? fc.oneof(...spec.variants.map((variant) => recordOf([...(spec.required ?? []), ...variant], [...(spec.required ?? []), ...variant])))
        : recordOf(Object.keys(spec.shape), spec.required ?? []);
      return spec.nullable ? fc.oneof(fc.constant(null), record) : record;
    }
    case "array":
      return fc.array(arbitraryOf(spec.items), { maxLength: 5 });
  }
}
const IP = fc.oneof(fc.ipV4(), fc.ipV6());
/** 1–4 printable characters (not an IP address, which "::" would be: fixed up below). */
const REFCLOCK_NAME = fc.string({ unit: fc.integer({ min: 0x21, max: 0x7e }).map((c) => String.fromCharCode(c)), minLength: 1, maxLength: 4 });

/**
 * Applies the cross-field rules a generated config must follow (normalizeState
 * rejects the others): a reference clock is named and has no ntpdata or
 * authdata, and its reference ID is its name; an NTP source has an IP
 * address; the source state agrees with the selectdata state; addresses are
 * unique (chronyd keeps one source per address, and ntpdata / authdata are
 * asked for by address).
 */
function consistent(generated: ChronyStateConfig): ChronyStateConfig {
  // The timeline moves the state over simulated time; at time 0 (what is read back here) it changes nothing, so only answers events naming a source by index are kept.
  const { timeline, ...config } = generated;
  const count = config.sources?.length ?? 0;
  const events = timeline?.filter((event) => "answers" in event && typeof event.source === "number" && event.source < count);
  if (events?.length) (config as { timeline?: typeof events }).timeline = events;
  if (config.sources === undefined) return config;
  const used = new Set<string>();
  const keyOf = (address: string, isReferenceClock: boolean): string => {
    if (isReferenceClock) return `name ${address}`;
    const { family, bytes } = parseIpAddress(address)!;
    return `${family} ${bytes.join(".")}`;
  };
  const sources = config.sources.map((generated): SourceConfig => {
    const s = { ...generated } as { -readonly [K in keyof SourceConfig]: SourceConfig[K] };
    const named = s.address !== undefined && isIP(s.address) === 0;
    const isReferenceClock = s.mode === 2 || (s.mode === undefined && named);
    // The default address (192.168.1.100) stays untouched while it is free.
    let address = s.address ?? "192.168.1.100";
    if (isReferenceClock !== named) address = isReferenceClock ? "RC" : "198.51.100.1";
    for (let n = 1; used.has(keyOf(address, isReferenceClock)); n++) address = isReferenceClock ? `R${n}` : `2001:db8:ffff::${n.toString(16)}`;
    used.add(keyOf(address, isReferenceClock));
    if (s.address !== undefined || address !== "192.168.1.100") s.address = address;
    if (isReferenceClock) {
      delete s.ntpdata;
      delete s.authdata;
      if (s.referenceId !== undefined) s.referenceId = referenceIdOf(address);
    }
    if (s.selectdata?.state !== undefined && s.state !== undefined) s.state = sourceStateOf(s.selectdata.state);
    return s;
  });
  return { ...config, sources };
}

describe("generated configs read back under the same names", () => {
  const configs = (arbitraryOf(STATE_SPEC) as fc.Arbitrary<ChronyStateConfig>).map(consistent);

  it("finds every value a config sets in the models", { timeout: 60_000 }, async () => {
    await fc.assert(
      fc.asyncProperty(configs, async (config) => {
        await expectReadBack(config);
      }),
      { numRuns: 300 },
    );
  });
});
