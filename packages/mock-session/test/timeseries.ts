/**
 * Helpers of the simulated-time tests: the recorded time series of real
 * chronyd (test/fixtures/timeseries/) read back into the config's
 * vocabulary, and the additive property of advance().
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { expect } from "vitest";
import { MockChronySession, STATE_SPEC, type ChronyStateConfig, type ObjectShape, type SourceConfig, type TimelineEventConfig } from "../src/index.js";

/** A report's model as recorded (bigints as strings). */
export type Model = Record<string, unknown>;

/** One sample of a recording: every report read at about `t` seconds. */
export interface Sample {
  readonly phase: string;
  /** The planned offset of the sample in its phase. */
  readonly offset: number;
  /** Seconds since the event, when the sample was started. */
  readonly t: number;
  /** Seconds the sample took to read every report, one after another. */
  readonly took?: number;
  readonly tracking: Model;
  readonly sources: Model[];
  readonly sourcestats: Model[];
  readonly selectdata: Model[];
  readonly ntpdata: (Model | null)[];
}

/** The runs of `fixtures/timeseries/<name>-4.3.json`. */
export function loadRuns<Run extends { readonly samples: readonly Sample[] }>(name: string): Run[] {
  return (JSON.parse(readFileSync(join(import.meta.dirname, `fixtures/timeseries/${name}-4.3.json`), "utf8")) as { runs: Run[] }).runs;
}

/** The object rule of `shape[key]` (or of its items). */
export function shapeOf(shape: ObjectShape, key: string): ObjectShape {
  let spec = shape[key]!.spec;
  if (spec.kind === "array") spec = spec.items;
  if (spec.kind !== "object") throw new Error(`${key} is not an object rule`);
  return spec.shape;
}
const SOURCE = shapeOf(STATE_SPEC.shape, "sources");

/** The keys of `shape` the model has (values as the model holds them). */
function pick(model: Model, shape: ObjectShape): Model {
  return Object.fromEntries(Object.keys(shape).filter((key) => model[key] !== undefined && model[key] !== null && typeof model[key] !== "object").map((key) => [key, model[key]]));
}

/** A mock's config from a sample: tracking, and each source with its selectdata and sourcestats, plus `timeline`. */
export function configOfSample(sample: Sample, timeline: TimelineEventConfig[]): ChronyStateConfig {
  return {
    tracking: pick(sample.tracking, shapeOf(STATE_SPEC.shape, "tracking")),
    sources: sample.sources.map(
      (source, i): SourceConfig =>
        ({
          ...pick(source, SOURCE),
          selectdata: pick(sample.selectdata[i]!, shapeOf(SOURCE, "selectdata")),
          sourcestats: pick(sample.sourcestats[i]!, shapeOf(SOURCE, "sourcestats")),
        }) as SourceConfig,
    ),
    timeline,
  };
}

/** Asserts that `advance(a); advance(b)` serves what `advance(a + b)` does. */
export function expectAdditive(config: ChronyStateConfig, a: number, b: number): void {
  const stepwise = new MockChronySession(config);
  stepwise.advance(a);
  stepwise.advance(b);
  const once = new MockChronySession(config);
  once.advance(a + b);
  expect(stepwise.elapsed).toBe(once.elapsed);
  expect(stepwise.state).toEqual(once.state);
}
