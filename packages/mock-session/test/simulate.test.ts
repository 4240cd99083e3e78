/**
 * Simulated time: advance() and the timeline, against chronyd 4.3's own
 * behaviour recorded in test/fixtures/timeseries/ (see its README).
 */
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { LeapStatus, SelectState, SourceState } from "@chrony/fields";
import { ChronyConfigError, MockChronySession, validateConfig, type ChronyStateConfig, type TimelineEventConfig } from "../src/index.js";
import { configOfSample, expectAdditive, loadRuns, type Sample } from "./timeseries.js";

// ---------------------------------------------------------------------------
// The recorded time series
// ---------------------------------------------------------------------------

const series = { runs: loadRuns<{ readonly resumeAt: number; readonly samples: readonly Sample[] }>("upstream-lost") };

/** The mock's config at t = 0: the first sample, and the upstream stopping and answering again. */
function configOf(sample: Sample, resumeAt: number): ChronyStateConfig {
  const upstream = sample.sources.find((s) => s.state === SourceState.SELECTED)!.address as string;
  return configOfSample(sample, [
    { at: 0, source: upstream, answers: false },
    { at: resumeAt, source: upstream, answers: true },
  ]);
}

/**
 * Bounds for root dispersion: while the upstream is lost both grow at
 * chronyd's rate from the same start, so they agree to 1e-7 s plus 1 %;
 * after it answers again chronyd re-estimates it from new samples, which the
 * mock does not (it goes back to the value at the start): within 2e-6 s.
 */
const ROOT_DISPERSION = { lost: (real: number) => 1e-7 + real * 0.01, recovered: () => 2e-6 };

describe("against chronyd 4.3: the upstream stops answering, then answers again", () => {
  it.each(series.runs.map((run, i) => [i + 1, run] as const))("run %i: every sample", (_, run) => {
    const [first, ...rest] = run.samples;
    const session = new MockChronySession(configOf(first!, run.resumeAt));
    for (const sample of [first!, ...rest]) {
      // advance() is relative: step from the session's time to the sample's.
      session.advance(sample.t - session.elapsed);
      const { tracking, sources } = session.state;
      const where = `${sample.phase} +${sample.offset} s (t = ${sample.t.toFixed(3)} s)`;
      expect(tracking.referenceId, `${where}: reference ID`).toBe(sample.tracking.referenceId);
      expect(tracking.stratum, `${where}: stratum`).toBe(sample.tracking.stratum);
      expect(tracking.leapStatus, `${where}: leap status`).toBe(sample.tracking.leapStatus);
      const real = sample.tracking.rootDispersion as number;
      expect(Math.abs(tracking.rootDispersion - real), `${where}: root dispersion ${tracking.rootDispersion} vs ${real}`).toBeLessThanOrEqual(ROOT_DISPERSION[sample.phase as "lost" | "recovered"](real));
      sample.sources.forEach((real, i) => {
        const mock = sources[i]!;
        const at = `${where}: source ${String(real.address)}`;
        expect(mock.reachability.toString(8), `${at} reachability`).toBe((real.reachability as number).toString(8));
        expect(mock.state, `${at} state`).toBe(real.state);
        expect(mock.selectdata.state, `${at} selectdata state`).toBe(sample.selectdata[i]!.state);
        expect(mock.poll, `${at} poll`).toBe(real.poll);
        expect(mock.stratum, `${at} stratum`).toBe(real.stratum);
        const ago = real.lastSampleAgo as number;
        if (ago === 0xffffffff) expect(mock.lastSampleAgo, `${at} lastSampleAgo`).toBe(ago);
        else expect(Math.abs(mock.lastSampleAgo - ago), `${at} lastSampleAgo ${mock.lastSampleAgo} vs ${ago}`).toBeLessThanOrEqual(1);
      });
    }
  });

  it("root dispersion grows at chronyd's rate (skew + |residual frequency| + 1 ppm) while no source answers", () => {
    for (const run of series.runs) {
      const lost = run.samples.filter((s) => s.phase === "lost");
      const [a, b] = [lost[0]!, lost.at(-1)!];
      const rate = ((b.tracking.rootDispersion as number) - (a.tracking.rootDispersion as number)) / (b.t - a.t);
      const expected = ((a.tracking.skew as number) + Math.abs(a.tracking.residualFreq as number) + 1) * 1e-6;
      expect(Math.abs(rate - expected) / expected).toBeLessThan(0.01);
    }
  });
});

// ---------------------------------------------------------------------------
// advance() itself
// ---------------------------------------------------------------------------

const UPSTREAM_LOST: ChronyStateConfig = {
  sources: [{ address: "192.0.2.1", poll: 6, lastSampleAgo: 10 }],
  timeline: [{ at: 0, source: 0, answers: false }],
};

describe("advance()", () => {
  it("keeps the reference and leap status while the source's reachability runs out, then marks it stale", () => {
    const session = new MockChronySession(UPSTREAM_LOST);
    const at0 = session.state;
    expect(session.elapsed).toBe(0);
    // Polls at 54, 118, 182, ... s: the first unanswered one is counted at the next poll.
    session.advance(54);
    expect(session.state.sources[0]!.reachability).toBe(0o377);
    expect(session.state.sources[0]!.lastSampleAgo).toBe(64);
    session.advance(64);
    expect(session.state.sources[0]!.reachability).toBe(0o376);
    session.advance(64 * 7);
    const lost = session.state;
    expect(lost.sources[0]!.reachability).toBe(0);
    expect(lost.sources[0]!.state).toBe(SourceState.NONSELECTABLE);
    expect(lost.sources[0]!.selectdata.state).toBe(SelectState.STALE);
    expect(lost.sources[0]!.lastSampleAgo).toBe(10 + 54 + 64 * 8);
    expect(lost.sources[0]!.poll).toBe(6);
    expect(lost.tracking.referenceId).toBe(at0.tracking.referenceId);
    expect(lost.tracking.referenceIp).toBe("192.0.2.1");
    expect(lost.tracking.stratum).toBe(at0.tracking.stratum);
    expect(lost.tracking.leapStatus).toBe(LeapStatus.NORMAL);
    expect(lost.tracking.refTime).toEqual(at0.tracking.refTime);
    const rate = (at0.tracking.skew + Math.abs(at0.tracking.residualFreq) + 1) * 1e-6;
    expect(lost.tracking.rootDispersion).toBeCloseTo(at0.tracking.rootDispersion + 566 * rate, 12);
  });

  it("keeps an unreachable source selectable for the span of one that has samples from before its last, then stale", () => {
    // Source 0's last answer is at 0 s; source 1 has no samples yet and answers from 0.1 s, so its span
    // grows with time until its full 100 s. Source 0 is stale from the moment that span is full.
    const session = new MockChronySession({
      sources: [
        { address: "192.0.2.1", poll: 0, lastSampleAgo: 0 },
        { address: "192.0.2.2", poll: -5, reachability: 0, lastSampleAgo: 0xffffffff, state: SourceState.UNSELECTED, sourcestats: { span: 100 } },
      ],
      timeline: [
        { at: 0.1, source: 0, answers: false },
        { at: 0.1, source: 1, answers: true },
      ],
    });
    session.advance(99.9);
    expect(session.state.sources[0]!.reachability).toBe(0);
    expect(session.state.sources[0]!.selectdata.state).not.toBe(SelectState.STALE);
    session.advance(0.2);
    expect(session.state.sources[0]!.selectdata.state).toBe(SelectState.STALE);
    expect(session.state.sources[1]!.state).toBe(SourceState.SELECTED);
  });

  it("recovers when the source answers again, the pending request first", () => {
    const session = new MockChronySession({ ...UPSTREAM_LOST, timeline: [...UPSTREAM_LOST.timeline!, { at: 1000, source: "192.0.2.1", answers: true }] });
    session.advance(999.5);
    expect(session.state.sources[0]!.reachability).toBe(0);
    // An event applies at its time: the pending request is answered at 1000 s.
    session.advance(0.5);
    const back = session.state;
    expect(back.sources[0]!.reachability).toBe(1);
    expect(back.sources[0]!.state).toBe(SourceState.SELECTED);
    expect(back.sources[0]!.lastSampleAgo).toBe(0);
    expect(back.tracking.refTime.seconds).toBe(new MockChronySession().state.tracking.refTime.seconds + 1000n);
    session.advance(64 * 8);
    expect(session.state.sources[0]!.reachability).toBe(0o377);
  });

  it("polls an unreachable NTP source at most once a second (MIN_NONLAN_POLL), a reference clock at its poll", () => {
    const session = new MockChronySession({
      sources: [{ address: "192.0.2.1", poll: -4, lastSampleAgo: 0 }, { address: "PPS", poll: -2, state: SourceState.UNSELECTED }],
      timeline: [{ at: 0, source: 0, answers: false }, { at: 0, source: "PPS", answers: false }],
    });
    session.advance(5);
    expect(session.state.sources.map((s) => [s.reachability, s.poll])).toEqual([[0, 0], [0, -2]]);
  });

  it("moves a config without a timeline only by time: reachability stays, lastSampleAgo wraps at each poll", () => {
    const session = new MockChronySession({ sources: [{ address: "192.0.2.1", poll: 4, lastSampleAgo: 3 }] });
    session.advance(20);
    expect(session.state.sources[0]!.reachability).toBe(0o377);
    expect(session.state.sources[0]!.lastSampleAgo).toBe(7);
    expect(session.state.sources[0]!.state).toBe(SourceState.SELECTED);
  });

  // The 60 s timeout guards against a hang; it is no speed goal (a loaded CI machine takes seconds here).
  it("is additive: advance(a); advance(b) serves what advance(a + b) does", () => {
    // Times are multiples of 1/64 s, so a + b is the same number whichever way it is summed.
    const seconds = fc.integer({ min: 0, max: 64 * 5000 }).map((n) => n / 64);
    const event = fc.record({ at: seconds, source: fc.integer({ min: 0, max: 2 }), answers: fc.boolean() });
    const source = fc.record({
      poll: fc.integer({ min: -6, max: 8 }),
      lastSampleAgo: fc.oneof(fc.integer({ min: 0, max: 600 }), fc.constant(0xffffffff)),
      reachability: fc.integer({ min: 0, max: 255 }),
    });
    fc.assert(
      fc.property(fc.tuple(source, source, source), fc.array(event, { maxLength: 8 }), seconds, seconds, (sources, timeline, a, b) => {
        const config: ChronyStateConfig = {
          sources: sources.map((s, i) => ({ ...s, address: `192.0.2.${i + 1}`, state: i === 0 ? SourceState.SELECTED : SourceState.UNSELECTED, lastSampleAgo: s.reachability === 0 ? 0xffffffff : s.lastSampleAgo })),
          timeline,
        };
        expectAdditive(config, a, b);
      }),
      { numRuns: 300 },
    );
  }, 60_000);

  it("serves the moved state through the C API", async () => {
    const { ChronyErr } = await import("@chrony/fields");
    const { openSession, drain, readFields } = await import("./drive.js");
    const session = new MockChronySession(UPSTREAM_LOST);
    session.advance(600);
    const { s, close } = openSession(session.lib);
    expect(session.lib.chrony_request_record(s, "sources", 0)).toBe(ChronyErr.OK);
    expect(drain(session.lib, s).error).toBe(ChronyErr.OK);
    const fields = readFields(session.lib, s);
    expect(fields.find((f) => f.name === "reachability")?.value).toBe(0);
    close();
  });

  it("rejects bad times and leaves the session as it was", () => {
    const session = new MockChronySession(UPSTREAM_LOST);
    session.advance(10);
    const state = session.state;
    for (const bad of [-1, NaN, Infinity, 2 ** 33]) expect(() => session.advance(bad), String(bad)).toThrow(RangeError);
    expect(() => session.advance("1" as unknown as number)).toThrow(RangeError);
    expect(session.elapsed).toBe(10);
    expect(session.state).toBe(state);
  });

  it("update() changes the starting config and serves it at the current time; reset() sets time back to 0", () => {
    const session = new MockChronySession(UPSTREAM_LOST);
    session.advance(600);
    session.update({ tracking: { leapStatus: LeapStatus.INSERT_SECOND } });
    expect(session.elapsed).toBe(600);
    expect(session.state.tracking.leapStatus).toBe(LeapStatus.INSERT_SECOND);
    expect(session.state.sources[0]!.reachability).toBe(0);
    session.reset(UPSTREAM_LOST);
    expect(session.elapsed).toBe(0);
    expect(session.state.sources[0]!.reachability).toBe(0o377);
  });
});

describe("the timeline key", () => {
  const bad = (timeline: unknown): unknown => ({ sources: [{ address: "192.0.2.1" }], timeline });

  it("is validated with the path of the bad value", () => {
    expect(() => validateConfig(bad([{ at: -1, source: 0, answers: false }]))).toThrow(/^timeline\[0\]\.at: /);
    expect(() => validateConfig(bad([{ at: 1, source: 0 }]))).toThrow(
      'timeline[0]: expected the keys of one of { at, source, answers }, { at, source, set }, { at, add }, { at, source, remove }, { at, leap }, { at, step }, { at, restart }, got the keys source',
    );
    expect(() => validateConfig(bad([{ at: 1, source: 0, answers: true, restart: true }]))).toThrow(/^timeline\[0\]: expected the keys of one of .*, got the keys source, answers, restart$/);
    expect(() => validateConfig(bad([{ source: 0, answers: true }]))).toThrow(/^timeline\[0\]\.at: expected a value/);
    expect(() => validateConfig(bad([{ at: 1, source: 1.5, answers: true }]))).toThrow(/^timeline\[0\]\.source: expected a source's index/);
    expect(() => validateConfig(bad([{ at: 1, source: "not an address", answers: true }]))).toThrow(/^timeline\[0\]\.source/);
    expect(() => validateConfig(bad([{ at: 1, source: 0, answers: true, what: 1 }]))).toThrow(/^timeline\[0\]: unknown key "what"/);
    expect(() => validateConfig(bad({}))).toThrow(/^timeline: expected an array/);
  });

  it("names a configured source, by index or address (checked at construction)", () => {
    expect(() => new MockChronySession(bad([{ at: 1, source: 1, answers: true }]) as ChronyStateConfig)).toThrow(ChronyConfigError);
    expect(() => new MockChronySession(bad([{ at: 1, source: 1, answers: true }]) as ChronyStateConfig)).toThrow(
      'timeline[0].source: expected a source present at that time: the index of a configured source (0) or one of the addresses "192.0.2.1", got 1',
    );
    expect(() => new MockChronySession(bad([{ at: 1, source: "192.0.2.9", answers: true }]) as ChronyStateConfig)).toThrow(/^timeline\[0\]\.source/);
    const events: TimelineEventConfig[] = [{ at: 1, source: "192.0.2.1", answers: false }];
    expect(new MockChronySession({ sources: [{ address: "192.0.2.1" }], timeline: events }).currentConfig.timeline).toEqual(events);
  });
});
