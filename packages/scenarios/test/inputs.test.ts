/**
 * Hardened loading: every bad JSON state is a ChronyConfigError naming the
 * path and quoting the bad key or value; no TypeError or RangeError from
 * inside, whatever the document's keys or depth.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ChronyConfigError, FLOAT_MAX, STATE_SPEC, type ValueSpec } from "@chrony/mock-session";
import { fromStateJson, isDeepFrozen, loadScenario } from "../src/index.js";

function configError(run: () => unknown): ChronyConfigError {
  try {
    run();
  } catch (error) {
    if (error instanceof ChronyConfigError) return error;
    throw new Error(`expected a ChronyConfigError, got ${String(error)}`, { cause: error });
  }
  throw new Error("expected a ChronyConfigError, but the input was accepted");
}

/** `depth` levels of `open` … `close` around `inner`, as JSON text. */
const nested = (depth: number, open: string, inner: string, close: string): string => open.repeat(depth) + inner + close.repeat(depth);

describe("prototype keys (were: TypeError reading 'kind')", () => {
  it.each([
    ['{"constructor":1}', 'config: unknown key "constructor"'],
    ['{"__proto__":{}}', 'config: unknown key "__proto__"'],
    ['{"prototype":{"tracking":{}}}', 'config: unknown key "prototype"'],
    ['{"tracking":{"toString":1}}', 'tracking: unknown key "toString"'],
    ['{"tracking":{"__proto__":{"stratum":9}}}', 'tracking: unknown key "__proto__"'],
    ['{"sources":[{"constructor":{"name":"x"}}]}', 'sources[0]: unknown key "constructor"'],
    ['{"sources":[{"ntpdata":{"hasOwnProperty":1}}]}', 'sources[0].ntpdata: unknown key "hasOwnProperty"'],
    ['{"tracking":{"refTime":{"sec":1,"nsec":0,"valueOf":1}}}', 'tracking.refTime: unknown key "valueOf"'],
    ['{"serverstats":{"__proto__":{"receivedNtpRequests":"5"}}}', 'serverstats: unknown key "__proto__"'],
  ])("rejects %s by name", (json, message) => {
    expect(configError(() => loadScenario(json)).message.startsWith(`${message} (expected one of the keys `)).toBe(true);
    // The same document already parsed.
    expect(configError(() => loadScenario(JSON.parse(json) as object)).message.startsWith(message)).toBe(true);
    expect(Object.prototype).not.toHaveProperty("stratum");
  });

  it("decodes a __proto__ key as an own key, never as the prototype", () => {
    const decoded = fromStateJson(JSON.parse('{"__proto__":{"tracking":{"stratum":9}}}')) as Record<string, unknown>;
    expect(Object.getPrototypeOf(decoded)).toBe(Object.prototype);
    expect(Object.keys(decoded)).toEqual(["__proto__"]);
    expect((decoded as { tracking?: unknown }).tracking).toBeUndefined();
  });
});

describe("nesting deeper than a state has (was: RangeError, maximum call stack size exceeded)", () => {
  it.each([2000, 100_000])("rejects %i levels wherever they are, quickly", (depth) => {
    const documents = [
      nested(depth, '{"a":', "1", "}"),
      `{"tracking":${nested(depth, '{"a":', "1", "}")}}`,
      `{"tracking":{"refTime":${nested(depth, '{"sec":', "1", "}")}}}`,
      `{"sources":${nested(depth, "[", "", "]")}}`,
      `{"sources":[${nested(depth, '{"selectdata":', "1", "}")}]}`,
      `{"serverstats":{"receivedNtpRequests":${nested(depth, "[", "1", "]")}}}`,
      nested(depth, '{"sources":[', "{}", "]}"),
    ];
    for (const text of documents) {
      const started = performance.now();
      const error = configError(() => loadScenario(text));
      expect(error.path.length, text.slice(0, 40)).toBeLessThan(80);
      // Bounded work, not a benchmark: generous for a loaded CI machine.
      expect(performance.now() - started).toBeLessThan(5000);
    }
  }, 60_000);
});

describe("other bad documents", () => {
  it("rejects holes in parsed JSON-like data, and values the wire cannot carry", () => {
    // eslint-disable-next-line no-sparse-arrays -- the hole is the point
    expect(configError(() => loadScenario({ sources: [, {}] })).message).toMatch(/^sources\[0\]: expected an object, got a hole in the array/);
    expect(configError(() => loadScenario('{"sources":[{"selectdata":{"configuredOptions":4294967297}}]}')).path).toBe("sources[0].selectdata.configuredOptions");
    expect(configError(() => loadScenario('{"sources":[{"ntpdata":{"flags":1099511627779}}]}')).path).toBe("sources[0].ntpdata.flags");
    expect(configError(() => loadScenario('{"tracking":{"refTime":18446744073709555712}}')).path).toBe("tracking.refTime");
    expect(configError(() => loadScenario('{"tracking":{"refTime":{"sec":"18446744073709555712","nsec":0}}}')).path).toBe("tracking.refTime.sec");
    expect(configError(() => loadScenario('{"tracking":{"offset":1e300}}')).path).toBe("tracking.offset");
    expect(loadScenario(`{"tracking":{"offset":${FLOAT_MAX}}}`).tracking?.offset).toBe(FLOAT_MAX);
  });

  it("leaves a 64-bit decimal of more than 20 digits a string, rejected without parsing a huge number", () => {
    const started = performance.now();
    const error = configError(() => loadScenario(`{"serverstats":{"receivedNtpRequests":"${"9".repeat(1_000_000)}"}}`));
    expect(error.path).toBe("serverstats.receivedNtpRequests");
    expect(error.message.length).toBeLessThan(300);
    expect(performance.now() - started).toBeLessThan(5000);
  });

  it("reads a getter of a parsed document once, and returns a frozen snapshot", () => {
    let reads = 0;
    const doc = {
      tracking: {
        get stratum() {
          return reads++ === 0 ? 5 : 99;
        },
      },
    };
    const loaded = loadScenario(doc);
    expect(reads).toBe(1);
    expect(loaded).toEqual({ tracking: { stratum: 5 } });
    expect(isDeepFrozen(loaded)).toBe(true);
    const { proxy, revoke } = Proxy.revocable({}, {});
    revoke();
    expect(configError(() => loadScenario(proxy))).toBeInstanceOf(TypeError);
  });

  it("rejects an unknown name or non-object JSON text as a ChronyConfigError (still a TypeError)", () => {
    for (const text of ["ntp-sync", "5", "[]", "null", '"ntp-synced"', "x".repeat(10_000)]) {
      const error = configError(() => loadScenario(text));
      expect(error).toBeInstanceOf(TypeError);
      expect(error.message.length).toBeLessThan(1000);
    }
  });
});

describe("property: loadScenario(JSON.stringify(x)) and loadScenario(x) load or throw a ChronyConfigError, nothing else", () => {
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
  const key = fc.oneof(
    { weight: 8, arbitrary: fc.constantFrom(...new Set(KEYS), "sec", "nsec", "$schema") },
    { weight: 2, arbitrary: fc.constantFrom("__proto__", "constructor", "prototype", "toString", "valueOf", "hasOwnProperty") },
    { weight: 1, arbitrary: fc.string() },
  );
  const leaf = fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom(0, 1, 2, 3, 42, 255, "4.3", "192.0.2.1", "GPS", "18446744073709551615", true, false, null) },
    { weight: 2, arbitrary: fc.constantFrom(-1, 0.5, 2 ** 32 + 1, 2 ** 40 + 3, 2 ** 64 + 4096, 1e300, FLOAT_MAX, "", "fe80::1%eth0", "99999999999999999999999") },
    { weight: 1, arbitrary: fc.oneof(fc.integer(), fc.double(), fc.string()) },
  );
  const { value } = fc.letrec<{ value: unknown; object: Record<string, unknown>; array: unknown[]; deep: unknown }>((tie) => ({
    value: fc.oneof({ depthSize: "small", maxDepth: 5 }, leaf, tie("object"), tie("array"), tie("deep")),
    object: fc.array(fc.tuple(key, tie("value"), fc.boolean()), { maxLength: 5 }).map((entries) => {
      const out: Record<string, unknown> = {};
      for (const [k, v, getter] of entries) {
        // Own keys, "__proto__" included; some as getters.
        Object.defineProperty(out, k, getter ? { get: () => v, enumerable: true, configurable: true } : { value: v, enumerable: true, writable: true, configurable: true });
      }
      return out;
    }),
    array: fc.tuple(fc.array(tie("value"), { maxLength: 3 }), fc.nat(3)).map(([items, holes]) => {
      const array = [...items];
      array.length += holes;
      return array;
    }),
    deep: fc.tuple(fc.integer({ min: 50, max: 2000 }), leaf, fc.boolean()).map(([depth, inner, arrays]) => {
      let out: unknown = inner;
      for (let i = 0; i < depth; i++) out = arrays ? [out] : { tracking: out };
      return out;
    }),
  }));
  const input = fc.oneof(
    { weight: 3, arbitrary: fc.record({ tracking: value, sources: fc.array(value, { maxLength: 3 }), rtc: value, serverstats: value }, { requiredKeys: [] }) },
    { weight: 3, arbitrary: fc.record({ tracking: fc.dictionary(key, leaf, { maxKeys: 4 }), sources: fc.array(fc.dictionary(key, leaf, { maxKeys: 3 }), { maxLength: 2 }) }, { requiredKeys: [] }) },
    { weight: 2, arbitrary: value },
  );

  const outcome = (load: () => unknown): "loaded" | "rejected" => {
    try {
      expect(isDeepFrozen(load())).toBe(true);
      return "loaded";
    } catch (error) {
      if (error instanceof ChronyConfigError) return "rejected";
      throw error;
    }
  };

  it("holds for random JSON-ish documents with prototype keys, holes, deep nesting and getters", () => {
    const seen = { loaded: 0, rejected: 0 };
    fc.assert(
      fc.property(input, (x) => {
        seen[outcome(() => loadScenario(x as object))]++;
        const text = JSON.stringify(x);
        // JSON.stringify(undefined) is undefined: loadScenario must reject that too.
        seen[outcome(() => loadScenario(text as string))]++;
      }),
      { numRuns: 600 },
    );
    expect(seen.loaded).toBeGreaterThan(20);
    expect(seen.rejected).toBeGreaterThan(20);
  }, 120_000);
});
