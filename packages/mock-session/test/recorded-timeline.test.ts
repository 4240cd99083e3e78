/**
 * The mock against chronyd 4.3 recorded losing the selected of two servers,
 * losing both, and restarting (test/fixtures/timeseries/README.md). Each run
 * starts a mock from the run's first sample and compares every sample.
 *
 * Exact, read within one poll (1/16 s) of the sample (the recording does not
 * know where between two polls it was taken): reference, stratum and leap
 * status of tracking, and every source's state and selectdata state; each
 * source's reachability and poll. Within 1 s: seconds since the last sample.
 * Within 3 % + 3: the count of requests sent. One known difference: the mock moves to
 * the other server when the lost one goes stale, chronyd sometimes earlier
 * (its score can pass the limit first): at most 2.5 s later.
 */
import { describe, expect, it } from "vitest";
import { stateAt, type ServerState, type TimelineEventConfig } from "../src/index.js";
import { configOfSample, loadRuns, type Sample } from "./timeseries.js";

interface Run {
  readonly paused?: string | string[];
  readonly resumeAt?: number;
  readonly samples: Sample[];
}

/** Tracking's reference and every source's selection state, as one line. */
const selection = (reference: unknown, stratum: unknown, leap: unknown, states: { state: number; select: number }[]) =>
  `${String(reference ?? "") || "-"} stratum ${String(stratum)} leap ${String(leap)} | ${states.map((s) => `${s.state} ${String.fromCharCode(s.select)}`).join(", ")}`;
const realSelection = (s: Sample) =>
  selection(s.tracking.referenceIp, s.tracking.stratum, s.tracking.leapStatus, s.sources.map((x, i) => ({ state: x.state as number, select: s.selectdata[i]!.state as number })));
const mockSelection = (s: ServerState) => selection(s.tracking.referenceIp, s.tracking.stratum, s.tracking.leapStatus, s.sources.map((x) => ({ state: x.state, select: x.selectdata.state })));

/** One source's polling: reachability register, poll, seconds since the last sample (within 1 s). */
const polling = (reach: number, poll: number, ago: number) => ({ reach: reach.toString(8), poll, ago });
const samePolling = (a: ReturnType<typeof polling>, b: ReturnType<typeof polling>) =>
  a.reach === b.reach && a.poll === b.poll && (a.ago === 0xffffffff || b.ago === 0xffffffff ? a.ago === b.ago : Math.abs(a.ago - b.ago) <= 1);

const POLL = 1 / 16;

/**
 * Compares every sample of a run, each within one poll (the recording does not
 * know where between two polls it was taken, and each source has its own
 * phase); `lagging` are the times where the mock may still show the selection
 * of the sample before.
 */
function compare(run: Run, timeline: TimelineEventConfig[], lagging: (t: number) => boolean = () => false): void {
  const [first] = run.samples;
  const t0 = first!.t;
  const config = configOfSample(first!, timeline);
  const sentAtStart = stateAt(config, 0).sources.map((s) => s.ntpdata?.transmittedMessages ?? 0);
  let previous: Sample | undefined;
  for (const sample of run.samples) {
    const t = sample.t - t0;
    const where = `${sample.phase} +${sample.offset} s (t = ${t.toFixed(3)} s)`;
    const near = [t - POLL, t, t + POLL].filter((x) => x >= 0).map((x) => stateAt(config, x));
    const allowed = [realSelection(sample), ...(previous && lagging(t) ? [realSelection(previous)] : [])];
    const mocked = near.map(mockSelection);
    expect(mocked.some((m) => allowed.includes(m)), `${where}\n  chronyd: ${allowed.join(" or ")}\n  mock:    ${mocked.join("\n           ")}`).toBe(true);
    sample.sources.forEach((source, i) => {
      const expected = polling(source.reachability as number, source.poll as number, source.lastSampleAgo as number);
      const candidates = near.map((s) => polling(s.sources[i]!.reachability, s.sources[i]!.poll, s.sources[i]!.lastSampleAgo));
      expect(candidates.some((c) => samePolling(c, expected)), `${where}: ${String(source.address)} ${JSON.stringify(expected)} vs ${JSON.stringify(candidates)}`).toBe(true);
      if (sample.phase === "restarted") return;
      const sent = (sample.ntpdata[i]?.transmittedMessages as number) - (first!.ntpdata[i]?.transmittedMessages as number);
      const mockSent = near.map((s) => (s.sources[i]!.ntpdata?.transmittedMessages ?? 0) - sentAtStart[i]!);
      expect(mockSent.some((m) => Math.abs(m - sent) <= sent * 0.03 + 3), `${where}: ${String(source.address)} requests sent ${mockSent.join(" / ")} vs ${sent}`).toBe(true);
    });
    previous = sample;
  }
}

const answering = (addresses: readonly string[], resumeAt: number): TimelineEventConfig[] =>
  addresses.flatMap((source) => [
    { at: 0, source, answers: false },
    { at: resumeAt, source, answers: true },
  ]);

describe("against chronyd 4.3: the selected of two servers stops answering, then answers again", () => {
  const runs = loadRuns<Run>("reselect");
  it.each(runs.map((run, i) => [i + 1, run] as const))("run %i: every sample", (_, run) => {
    const timeline = answering([run.paused as string], run.resumeAt!);
    // chronyd's switch: between the last sample with the old reference and the first with the new one.
    const before = run.samples[0]!.tracking.referenceIp;
    const switched = run.samples.findIndex((s) => s.tracking.referenceIp !== before);
    const [from, to] = [run.samples[switched - 1]!.t - run.samples[0]!.t, run.samples[switched]!.t - run.samples[0]!.t];
    // The mock's, to 1/64 s.
    const config = configOfSample(run.samples[0]!, timeline);
    let mockSwitch = 0;
    while (stateAt(config, mockSwitch).tracking.referenceIp === before) mockSwitch += 1 / 64;
    expect(mockSwitch, `the mock switches at ${mockSwitch} s, chronyd between ${from.toFixed(2)} and ${to.toFixed(2)} s`).toBeGreaterThanOrEqual(from);
    expect(mockSwitch).toBeLessThanOrEqual(to + 2.5);
    compare(run, timeline, (t) => t > from && t <= mockSwitch + POLL);
  });
});

describe("against chronyd 4.3: both servers stop answering (a partition), then answer again", () => {
  it.each(loadRuns<Run>("partition").map((run, i) => [i + 1, run] as const))("run %i: every sample", (_, run) => {
    compare(run, answering(run.paused as string[], run.resumeAt!));
  });
});

describe("against chronyd 4.3: chronyd restarts", () => {
  it.each(loadRuns<Run>("restart").map((run, i) => [i + 1, run] as const))("run %i: every sample", (_, run) => {
    // The first sample is taken just before the restart; t = 0 of the recording is chronyd's start.
    compare(run, [{ at: -run.samples[0]!.t, restart: true }]);
  });

  it("serves chronyd's tracking without a reference until the first selection", () => {
    for (const run of loadRuns<Run>("restart")) {
      const config = configOfSample(run.samples[0]!, [{ at: -run.samples[0]!.t, restart: true }]);
      const sample = run.samples.find((s) => s.phase === "restarted" && s.offset === 0.25)!;
      const { tracking } = stateAt(config, sample.t - run.samples[0]!.t);
      const { referenceId, stratum, leapStatus, rootDelay, rootDispersion, lastOffset, rmsOffset, residualFreq, skew, updateInterval } = sample.tracking;
      expect({ ...tracking, refTime: undefined }).toMatchObject({ referenceId, referenceIp: null, stratum, leapStatus, rootDelay, rootDispersion, lastOffset, rmsOffset, residualFreq, skew, updateInterval });
      expect(tracking.refTime).toEqual({ seconds: 0n, nanoseconds: 0 });
      // chronyd keeps its frequency (from the driftfile): within the float's precision.
      expect(tracking.frequency).toBeCloseTo(sample.tracking.frequency as number, 2);
    }
  });
});
