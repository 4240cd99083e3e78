/**
 * Hardened inputs: every bad config, update or value gets a ChronyConfigError
 * naming the path and quoting the bad key or value; nothing crashes from
 * inside with a TypeError or RangeError, nothing is half applied, and the
 * session reads the caller's object once, into a snapshot.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { SourceMode } from "@chrony/fields";
import { decodeFloat, encodeFloat } from "@chrony/protocol";
import {
  ChronyConfigError,
  FLOAT_MAX,
  MockChronySession,
  STATE_SPEC,
  mergeConfig,
  normalizeState,
  validateConfig,
  type ChronyStateConfig,
  type ConfigUpdate,
  type ValueSpec,
} from "../src/index.js";
import { openSession, readReport } from "./drive.js";

/** The ChronyConfigError `run` throws; fails the test on anything else (or nothing). */
function configError(run: () => unknown): ChronyConfigError {
  try {
    run();
  } catch (error) {
    if (error instanceof ChronyConfigError) return error;
    throw new Error(`expected a ChronyConfigError, got ${String(error)}`, { cause: error });
  }
  throw new Error("expected a ChronyConfigError, but the input was accepted");
}

const construct = (config: unknown) => () => new MockChronySession(config as ChronyStateConfig);

/** What a client reads: every record of these reports, through the C API. */
function served(mock: MockChronySession): unknown {
  const { s, close } = openSession(mock.lib);
  try {
    return ["tracking", "sources", "serverstats"].map((report) => readReport(mock.lib, s, report));
  } finally {
    close();
  }
}

/** A JSON object with an own key named `key` (an object literal's `__proto__: x` would set the prototype instead). */
function withOwnKey(key: string, value: unknown, into: Record<string, unknown> = {}): Record<string, unknown> {
  Object.defineProperty(into, key, { value, enumerable: true, writable: true, configurable: true });
  return into;
}

/** `{ key: { key: ... value } }`, `depth` levels, built without recursion. */
function nest(depth: number, value: unknown, wrap: (inner: unknown) => unknown = (inner) => ({ a: inner })): unknown {
  let out = value;
  for (let i = 0; i < depth; i++) out = wrap(out);
  return out;
}

describe("holes in arrays (were: TypeError reading 'state')", () => {
  it.each([
    // eslint-disable-next-line no-sparse-arrays -- the hole is the point
    ["a hole before a source", [, { address: "192.0.2.1" }]],
    ["new Array(3)", new Array(3)],
    ["a hole after a source", Object.assign([{ address: "192.0.2.1" }], { length: 2 })],
  ])("rejects %s by its index", (_, sources) => {
    const error = configError(construct({ sources }));
    expect(error.path).toMatch(/^sources\[[01]\]$/);
    expect(error.message).toMatch(/^sources\[[01]\]: expected an object, got a hole in the array/);
  });

  it("rejects a hole in an update too, and keeps the state", () => {
    const mock = new MockChronySession({ sources: [{ address: "192.0.2.1" }] });
    const before = mock.state;
    expect(configError(() => mock.update({ sources: new Array(2) })).path).toBe("sources[0]");
    expect(mock.state).toBe(before);
  });
});

describe("update() takes only an object of known keys (was: TypeError for null, silence for 5 and [])", () => {
  it.each(
    // As [name, value] rows: a bare [] row would be read as no arguments at all.
    Object.entries({ null: null, undefined, 5: 5, "[]": [], string: "tracking", true: true, "0n": 0n, function: () => ({}), Date: new Date(0), Map: new Map() }),
  )("rejects %s at the root", (_, change) => {
    const mock = new MockChronySession({ tracking: { stratum: 3 } });
    const error = configError(() => mock.update(change as ConfigUpdate));
    expect(error.path).toBe("");
    expect(error.message).toMatch(/^config: expected an object of the keys to change, got /);
    expect(mock.state.tracking.stratum).toBe(3);
  });

  it("rejects a __proto__ key: it once served stratum 9 while currentConfig showed {}", () => {
    const mock = new MockChronySession();
    const before = { state: mock.state, config: mock.currentConfig, served: served(mock) };
    const change = JSON.parse('{"__proto__":{"tracking":{"stratum":9}}}') as ConfigUpdate;
    const error = configError(() => mock.update(change));
    expect(error.message).toBe('config: unknown key "__proto__" (expected one of the keys serverVersion, tracking, sources, rtc, smoothing, activity, serverstats, timeline)');
    expect(error.key).toBe("__proto__");
    expect(mock.state).toBe(before.state);
    expect(mock.currentConfig).toBe(before.config);
    expect(mock.state.tracking.stratum).toBe(2);
    expect(served(mock)).toEqual(before.served);
  });

  it.each([
    ['{"tracking":{"__proto__":{"stratum":9}}}', "tracking", "__proto__"],
    ['{"constructor":{"prototype":{"stratum":9}}}', "config", "constructor"],
    ['{"sources":[{"prototype":1}]}', "sources[0]", "prototype"],
    ['{"tracking":{"toString":1}}', "tracking", "toString"],
    ['{"tracking":{"refTime":{"sec":1,"nsec":0,"hasOwnProperty":1}}}', "tracking.refTime", "hasOwnProperty"],
  ])("rejects the prototype key of %s by name, in a config and in an update", (json, where, key) => {
    const change = JSON.parse(json) as ConfigUpdate;
    const message = `${where}: unknown key "${key}" (expected one of the keys `;
    expect(configError(construct(change)).message.startsWith(message)).toBe(true);
    const mock = new MockChronySession();
    const before = mock.state;
    expect(configError(() => mock.update(change)).message.startsWith(message)).toBe(true);
    expect(mock.state).toBe(before);
    expect(Object.prototype).not.toHaveProperty("stratum");
  });

  it("leaves the session exactly as before when the merged state breaks a cross-field rule", () => {
    const mock = new MockChronySession({ sources: [{ address: "GPS" }] });
    const before = { state: mock.state, config: mock.currentConfig, served: served(mock) };
    // Valid key by key; normalizeState rejects NTP data on a reference clock.
    expect(configError(() => mock.update({ sources: [{ address: "GPS", ntpdata: {} }] })).path).toBe("sources[0].ntpdata");
    expect(mock.state).toBe(before.state);
    expect(mock.currentConfig).toBe(before.config);
    expect(served(mock)).toEqual(before.served);
  });

  it("mergeConfig refuses the same inputs, never assigning a prototype", () => {
    expect(configError(() => mergeConfig({}, null as never)).message).toMatch(/^config: expected an object of the keys to change, got null$/);
    expect(configError(() => mergeConfig({}, JSON.parse('{"__proto__":{"x":1}}') as ConfigUpdate)).key).toBe("__proto__");
    const merged = mergeConfig({ tracking: { stratum: 3 } }, { tracking: { leapStatus: 1 }, rtc: null });
    expect(merged).toEqual({ tracking: { stratum: 3, leapStatus: 1 }, rtc: null });
    expect(Object.getPrototypeOf(merged)).toBe(Object.prototype);
  });
});

describe("values the wire cannot carry (were: wrapped or saturated silently)", () => {
  it.each([
    // Flag bits were tested with 32-bit operators: 2^32 + 1 passed as 1.
    { config: { sources: [{ selectdata: { configuredOptions: 2 ** 32 + 1 } }] }, path: "sources[0].selectdata.configuredOptions", allowed: "a combination of the bits 0xf" },
    { config: { sources: [{ selectdata: { effectiveOptions: 2 ** 33 } }] }, path: "sources[0].selectdata.effectiveOptions", allowed: "a combination of the bits 0xf" },
    { config: { sources: [{ ntpdata: { flags: 2 ** 40 + 3 } }] }, path: "sources[0].ntpdata.flags", allowed: "a combination of the bits 0xc3ff" },
    // Times were already bounded (below 2^63, the signed time_t libchrony reads): kept as regressions.
    { config: { tracking: { refTime: 2 ** 64 + 4096 } }, path: "tracking.refTime", allowed: "seconds since the epoch (a finite number ≥ 0 and below 2^63)" },
    { config: { tracking: { refTime: 1e300 } }, path: "tracking.refTime", allowed: "seconds since the epoch (a finite number ≥ 0 and below 2^63)" },
    { config: { tracking: { refTime: { sec: 2n ** 64n + 4096n, nsec: 0 } } }, path: "tracking.refTime.sec", allowed: "an integer from 0 to 2^63-1" },
    { config: { rtc: { refTime: { sec: 2 ** 64, nsec: 0 } } }, path: "rtc.refTime.sec", allowed: "a non-negative safe integer or a bigint up to 2^63-1" },
    // chronyd's wire float saturates at (2^24 − 1) × 2^38: 1e300 read back as 4.6e18.
    { config: { tracking: { offset: 1e300 } }, path: "tracking.offset", allowed: "a finite number from -4611685743549480960 to 4611685743549480960 (chronyd's 32-bit wire float)" },
    { config: { sources: [{ sourcestats: { skew: 2 ** 63 } }] }, path: "sources[0].sourcestats.skew", allowed: "a finite number from 0 to 4611685743549480960 (chronyd's 32-bit wire float)" },
    // The wire's address has no zone index: fe80::1%eth0 was served as fe80::1.
    { config: { tracking: { referenceIp: "fe80::1%eth0" } }, path: "tracking.referenceIp", allowed: "an IPv4 or IPv6 address (no zone index)" },
    { config: { sources: [{ address: "fe80::1%eth0" }] }, path: "sources[0].address", allowed: "an IPv4 or IPv6 address (no zone index), or a reference clock name of 1 to 4 printable characters" },
  ])("rejects $path", ({ config, path, allowed }) => {
    const error = configError(construct(config));
    expect({ path: error.path, allowed: error.allowed }).toEqual({ path, allowed });
  });

  it("FLOAT_MAX is the largest magnitude the wire float carries, and is served exactly", () => {
    expect(decodeFloat(encodeFloat(FLOAT_MAX))).toBe(FLOAT_MAX);
    expect(decodeFloat(encodeFloat(-FLOAT_MAX))).toBe(-FLOAT_MAX);
    // Anything larger reads back as FLOAT_MAX: chronyd saturates.
    expect(decodeFloat(encodeFloat(1e300))).toBe(FLOAT_MAX);
    expect(decodeFloat(0x7effffff)).toBe(FLOAT_MAX);
    const mock = new MockChronySession({ tracking: { offset: FLOAT_MAX, skew: FLOAT_MAX, frequency: -FLOAT_MAX } });
    const { s, close } = openSession(mock.lib);
    const tracking = readReport(mock.lib, s, "tracking").records[0]!;
    close();
    expect(tracking).toMatchObject({ "current correction": FLOAT_MAX, skew: FLOAT_MAX, "frequency offset": -FLOAT_MAX });
  });

  /** Every rule of the table, with a function putting a value at its place in a state. */
  function* rules(spec: ValueSpec, path: string, wrap: (value: unknown) => unknown): Generator<[string, ValueSpec, (value: unknown) => unknown]> {
    if (spec.kind === "object") {
      for (const [key, field] of Object.entries(spec.shape)) {
        const at = path ? `${path}.${key}` : key;
        const inner = (value: unknown) => wrap({ [key]: value });
        yield [at, field.spec, inner];
        yield* rules(field.spec, at, inner);
      }
    } else if (spec.kind === "array") {
      yield* rules(spec.items, `${path}[0]`, (value) => wrap([value]));
    }
  }
  const accepts = (config: unknown): boolean => {
    try {
      validateConfig(config);
      return true;
    } catch (error) {
      if (error instanceof ChronyConfigError) return false;
      throw error;
    }
  };

  it("bounds every flags and float rule of the table by its wire type", () => {
    let checked = 0;
    for (const [path, spec, wrap] of rules(STATE_SPEC, "", (value) => value)) {
      // A timeline's times are simulated seconds, not wire values, and its sources' rules are the sources' (checked here under sources).
      if (path.startsWith("timeline")) continue;
      if (spec.kind === "bits") {
        const mask = spec.set.table.reduce((bits, c) => bits | c.value, 0);
        expect(accepts(wrap(mask)), `${path} = mask`).toBe(true);
        for (const wrapped of [mask + 1, 2 ** 32, 2 ** 32 + 1, 2 ** 40 + 3, 2 ** 53, -1]) expect(accepts(wrap(wrapped)), `${path} = ${wrapped}`).toBe(false);
        checked++;
      } else if (spec.kind === "number") {
        expect(spec.max, path).toBe(FLOAT_MAX);
        expect(accepts(wrap(FLOAT_MAX)), `${path} = FLOAT_MAX`).toBe(true);
        expect(accepts(wrap(spec.nonNegative ? -Number.MIN_VALUE : -FLOAT_MAX)), `${path} at its low end`).toBe(!spec.nonNegative);
        for (const beyond of [FLOAT_MAX * (1 + 2 ** -52), -FLOAT_MAX * (1 + 2 ** -52), 1e300, -Number.MAX_VALUE]) expect(accepts(wrap(beyond)), `${path} = ${beyond}`).toBe(false);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(30);
  });
});

describe("one snapshot, read once (was: a getter validated as 5 and served as 99)", () => {
  it("reads a getter once and serves what it validated", () => {
    let reads = 0;
    const tracking = {
      get stratum() {
        return reads++ === 0 ? 5 : 99;
      },
    };
    const config = { tracking };
    const mock = new MockChronySession(config);
    expect(reads).toBe(1);
    expect(mock.state.tracking.stratum).toBe(5);
    expect(mock.currentConfig).toEqual({ tracking: { stratum: 5 } });
    // Compared by identity only: expect(...).not.toBe() would read the getter to describe the difference.
    expect(mock.currentConfig !== config && mock.currentConfig.tracking !== tracking).toBe(true);
    const { s, close } = openSession(mock.lib);
    expect(readReport(mock.lib, s, "tracking").records[0]!.stratum).toBe(5);
    close();
    expect(reads).toBe(1);
  });

  it("reads a getter in an update once, and never reads the caller's objects again", () => {
    const mock = new MockChronySession();
    let reads = 0;
    const change = {
      tracking: {
        get stratum() {
          return reads++ === 0 ? 4 : 99;
        },
      },
    };
    mock.update(change);
    mock.update({});
    mock.reset(mock.currentConfig);
    expect(reads).toBe(1);
    expect(mock.state.tracking.stratum).toBe(4);
  });

  it("keeps a snapshot: later changes to the caller's object change nothing, and currentConfig is frozen", () => {
    const config = { tracking: { stratum: 3 }, sources: [{ address: "192.0.2.1" }] };
    const mock = new MockChronySession(config);
    config.tracking.stratum = 12;
    config.sources.push({ address: "192.0.2.2" });
    expect(mock.state.tracking.stratum).toBe(3);
    expect(mock.currentConfig).toEqual({ tracking: { stratum: 3 }, sources: [{ address: "192.0.2.1" }] });
    expect(Object.isFrozen(mock.currentConfig)).toBe(true);
    expect(Object.isFrozen(mock.currentConfig.sources![0])).toBe(true);
    expect(Object.isFrozen(config)).toBe(false);
    // A snapshot passed back in is the snapshot: no copy, no second read.
    expect(validateConfig(mock.currentConfig)).toBe(mock.currentConfig);
  });

  it("takes own enumerable string keys only", () => {
    const tracking = Object.create({ stratum: 9 }) as Record<PropertyKey, unknown>;
    Object.defineProperty(tracking, "leapStatus", { value: 3, enumerable: false });
    tracking[Symbol("stratum")] = 8;
    // An inherited key is not the object's: the prototype itself is what is rejected.
    expect(configError(construct({ tracking })).path).toBe("tracking");
    const plain = { leapStatus: 1 } as Record<PropertyKey, unknown>;
    Object.defineProperty(plain, "stratum", { value: 9, enumerable: false });
    plain[Symbol("stratum")] = 8;
    const mock = new MockChronySession({ tracking: plain });
    expect(mock.currentConfig).toEqual({ tracking: { leapStatus: 1 } });
    expect(mock.state.tracking.stratum).toBe(2);
    // Object.create(null) is plain data.
    expect(new MockChronySession({ tracking: Object.assign(Object.create(null) as object, { stratum: 7 }) }).state.tracking.stratum).toBe(7);
  });

  it.each([
    ["a Date", { tracking: new Date(0) }, "tracking", "an instance of Date"],
    ["a Map", { tracking: new Map([["stratum", 1]]) }, "tracking", "an instance of Map"],
    ["a class instance", { tracking: new (class Tracking { stratum = 1 })() }, "tracking", "an instance of Tracking"],
    ["a boxed number", { tracking: { stratum: new Number(1) } }, "tracking.stratum", "an instance of Number"],
    ["a function", { rtc: () => ({}) }, "rtc", "a function"],
    ["an array for an object", { tracking: [1] }, "tracking", "an array"],
  ])("rejects %s where plain data belongs", (_, config, path, got) => {
    const error = configError(construct(config));
    expect(error.path).toBe(path);
    expect(error.message.endsWith(`got ${got}`)).toBe(true);
  });

  it("turns what a getter or proxy throws into a ChronyConfigError at its path, with the cause", () => {
    const boom = new RangeError("no\nstratum today");
    const error = configError(construct({ tracking: { get stratum(): number { throw boom; } } }));
    expect(error.path).toBe("tracking.stratum");
    expect(error.message).toBe("tracking.stratum: expected plain data that can be read, got an error reading it (RangeError: no stratum today)");
    expect(error.cause).toBe(boom);
    const { proxy, revoke } = Proxy.revocable({}, {});
    revoke();
    expect(configError(construct({ tracking: proxy })).path).toBe("tracking");
    expect(configError(construct(proxy)).path).toBe("");
  });
});

describe("nesting deeper than a state has (was: RangeError, maximum call stack size exceeded)", () => {
  it.each([
    ["under an unknown key", (deep: unknown) => ({ a: deep })],
    ["under a known object key", (deep: unknown) => ({ tracking: { a: deep } })],
    ["as a scalar", (deep: unknown) => ({ tracking: { stratum: deep } })],
    ["as a time", (deep: unknown) => ({ tracking: { refTime: { sec: deep, nsec: 0 } } })],
    ["in an array", (deep: unknown) => ({ sources: [deep] })],
    ["as arrays of arrays", () => ({ sources: nest(100_000, [], (inner) => [inner]) })],
    ["as sources in sources", () => nest(100_000, {}, (inner) => ({ sources: [inner] }))],
    ["as selectdata in selectdata", () => ({ sources: [nest(100_000, 1, (inner) => ({ selectdata: inner }))] })],
  ])("rejects 100000 levels %s, quickly", (_, place) => {
    const config = place(nest(100_000, 1));
    const started = performance.now();
    const error = configError(construct(config));
    expect(error.path.split(/[.[]/).length).toBeLessThan(8);
    expect(configError(() => new MockChronySession().update(config as ConfigUpdate))).toBeInstanceOf(ChronyConfigError);
    // Bounded work, not a benchmark: generous for a loaded CI machine.
    expect(performance.now() - started).toBeLessThan(5000);
  }, 30_000);

  it("rejects a cycle", () => {
    const config: Record<string, unknown> = {};
    config.sources = [config];
    expect(configError(construct(config)).message).toMatch(/^sources\[0\]: unknown key "sources"/);
    const tracking: Record<string, unknown> = {};
    tracking.refTime = tracking;
    expect(configError(construct({ tracking })).message).toMatch(/^tracking\.refTime: unknown key "refTime"/);
  });

  it("rejects a source list over MAX_SOURCES without reading its entries", () => {
    const sources = new Proxy(new Array(2 ** 32 - 1), {
      get(target, key) {
        if (key !== "length") throw new Error(`read ${String(key)}`);
        return target.length;
      },
    });
    expect(configError(construct({ sources })).message).toBe("sources: expected an array of at most 1024 entries, got an array of 4294967295 entries");
  });
});

describe("messages", () => {
  it("quote an unknown key in its object", () => {
    expect(configError(construct({ tracking: { stratun: 1 } })).message).toBe(
      'tracking: unknown key "stratun" (expected one of the keys referenceId, referenceIp, stratum, leapStatus, refTime, offset, lastOffset, rmsOffset, frequency, residualFreq, skew, rootDelay, rootDispersion, updateInterval)',
    );
    const error = configError(construct({ sources: [{}, { ntpdata: { "bad\nkey": 1 } }] }));
    expect(error.message).toMatch(/^sources\[1\]\.ntpdata: unknown key "bad\\nkey" \(expected one of the keys localAddress, /);
    expect(error.path).toBe('sources[1].ntpdata["bad\\nkey"]');
    expect(error.key).toBe("bad\nkey");
  });

  it("stay short and on one line whatever the input", () => {
    const long = "x".repeat(100_000);
    const a = configError(construct({ [long]: 1 }));
    const b = configError(construct({ serverVersion: `${long}\n` }));
    for (const { message } of [a, b]) {
      expect(message.length).toBeLessThan(400);
      expect(message).not.toContain("\n");
    }
    expect(b.message).toContain("(100001 characters)");
  });

  it("name the class as the other error classes do (this.name = new.target.name)", () => {
    const error = configError(construct({ tracking: { stratum: 16 } }));
    expect(error.name).toBe("ChronyConfigError");
    expect(String(error)).toBe("ChronyConfigError: tracking.stratum: expected an integer from 0 to 15, got 16");
    expect(error).toBeInstanceOf(TypeError);
    class StrictConfigError extends ChronyConfigError {}
    expect(new StrictConfigError("a", "b", 1).name).toBe("StrictConfigError");
  });
});

describe("property: any JSON-ish input is accepted or rejected with a ChronyConfigError, never anything else", () => {
  /** Every key of the table, and the keys of Object.prototype that once slipped through. */
  const KEYS: string[] = [];
  (function collect(spec: ValueSpec): void {
    if (spec.kind === "object") {
      for (const [key, field] of Object.entries(spec.shape)) {
        KEYS.push(key);
        collect(field.spec);
      }
    }
    if (spec.kind === "array") collect(spec.items);
  })(STATE_SPEC);
  const PROTOTYPE_KEYS = ["__proto__", "constructor", "prototype", "toString", "valueOf", "hasOwnProperty", "__defineGetter__"];
  const key = fc.oneof({ weight: 8, arbitrary: fc.constantFrom(...new Set(KEYS), "sec", "nsec") }, { weight: 2, arbitrary: fc.constantFrom(...PROTOTYPE_KEYS) }, { weight: 1, arbitrary: fc.string() });

  const leaf = fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom(0, 1, 2, 3, 42, 255, 4, "4.3", "192.0.2.1", "2001:db8::1", "GPS", true, false, null) },
    {
      weight: 2,
      arbitrary: fc.constantFrom(undefined, -1, -0, 0.5, NaN, Infinity, 2 ** 32 + 1, 2 ** 40 + 3, 2 ** 64 + 4096, 1e300, FLOAT_MAX, 2n ** 64n, -1n, "", "fe80::1%eth0", "x".repeat(300)),
    },
    { weight: 1, arbitrary: fc.oneof(fc.integer(), fc.double(), fc.bigInt(), fc.string()) },
  );

  type Entry = [key: string, value: unknown, how: "plain" | "getter" | "flip"];
  /** An object with own keys (`__proto__` included) as data properties or getters; a "flip" getter answers differently after its first read. */
  function objectOf(entries: Entry[], reads: { count: Map<object, number> }): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const [k, value, how] of entries) {
      if (how === "plain") {
        withOwnKey(k, value, out);
        continue;
      }
      const token = {};
      Object.defineProperty(out, k, {
        enumerable: true,
        configurable: true,
        get() {
          // Counted per run (the map is cleared before each): fast-check may run an input again while shrinking.
          const n = (reads.count.get(token) ?? 0) + 1;
          reads.count.set(token, n);
          return how === "flip" && n > 1 ? 99 : value;
        },
      });
    }
    return out;
  }

  const reads = { count: new Map<object, number>() };
  const { value } = fc.letrec<{ value: unknown; object: Record<string, unknown>; array: unknown[]; deep: unknown }>((tie) => ({
    value: fc.oneof({ depthSize: "small", maxDepth: 5 }, leaf, tie("object"), tie("array"), tie("deep")),
    object: fc
      .array(fc.tuple(key, tie("value"), fc.constantFrom<Entry[2]>("plain", "plain", "getter", "flip")), { maxLength: 5 })
      .map((entries) => objectOf(entries as Entry[], reads)),
    array: fc.tuple(fc.array(tie("value"), { maxLength: 3 }), fc.nat(4)).map(([items, holes]) => {
      const array = [...items];
      array.length += holes;
      return array;
    }),
    deep: fc.tuple(fc.integer({ min: 50, max: 3000 }), leaf, fc.boolean()).map(([depth, inner, arrays]) => nest(depth, inner, arrays ? (x) => [x] : (x) => ({ tracking: x }))),
  }));
  /** Mostly states of the right shape, so that both outcomes are common. */
  const input = fc.oneof(
    { weight: 3, arbitrary: fc.record({ tracking: value, sources: fc.array(value, { maxLength: 3 }), rtc: value, serverstats: value }, { requiredKeys: [] }) },
    { weight: 3, arbitrary: fc.record({ tracking: fc.dictionary(key, leaf, { maxKeys: 4 }), sources: fc.array(fc.dictionary(key, leaf, { maxKeys: 3 }), { maxLength: 2 }) }, { requiredKeys: [] }) },
    { weight: 2, arbitrary: value },
  );

  const isConfigError = (error: unknown): boolean => {
    if (error instanceof ChronyConfigError) return true;
    throw error;
  };

  it("new MockChronySession(x): a session whose served state is its snapshot's, or a ChronyConfigError", () => {
    let accepted = 0;
    fc.assert(
      fc.property(input, (x) => {
        reads.count.clear();
        let mock: MockChronySession;
        try {
          mock = new MockChronySession(x as ChronyStateConfig);
        } catch (error) {
          expect(isConfigError(error)).toBe(true);
          expect((error as Error).message).not.toContain("\n");
          return;
        }
        accepted++;
        // Every getter was read at most once, and the state is the snapshot's.
        for (const n of reads.count.values()) expect(n).toBe(1);
        expect(normalizeState(structuredClone(mock.currentConfig))).toEqual(mock.state);
      }),
      { numRuns: 1000 },
    );
    expect(accepted).toBeGreaterThan(20);
  }, 120_000);

  it("update(x): applied whole, or a ChronyConfigError leaving the served state exactly as it was", () => {
    const base: ChronyStateConfig = { tracking: { stratum: 3 }, sources: [{ address: "192.0.2.1" }, { address: "GPS", mode: SourceMode.REFERENCE_CLOCK }] };
    let applied = 0;
    let refused = 0;
    fc.assert(
      fc.property(input, (x) => {
        const mock = new MockChronySession(base);
        const before = { state: mock.state, config: mock.currentConfig, served: served(mock) };
        reads.count.clear();
        try {
          mock.update(x as ConfigUpdate);
        } catch (error) {
          expect(isConfigError(error)).toBe(true);
          refused++;
          expect(mock.state).toBe(before.state);
          expect(mock.currentConfig).toBe(before.config);
          expect(served(mock)).toEqual(before.served);
          return;
        }
        applied++;
        for (const n of reads.count.values()) expect(n).toBe(1);
        expect(normalizeState(structuredClone(mock.currentConfig))).toEqual(mock.state);
      }),
      { numRuns: 400 },
    );
    expect(applied).toBeGreaterThan(10);
    expect(refused).toBeGreaterThan(10);
  }, 120_000);
});
