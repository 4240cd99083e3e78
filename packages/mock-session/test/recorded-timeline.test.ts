/**
 * The mock against chronyd 4.3 recorded losing the selected of two servers,
 * losing both, restarting, and with a fake NTP server that goes 0.5 s off,
 * announces a leap second or says it is unsynchronised, or steps by 2 s
 * (test/fixtures/timeseries/README.md). Each run starts a mock from the run's
 * first sample, replays the run's events, and compares every sample.
 *
 * Exact, read within one poll (1/16 s) of the sample (the recording does not
 * know where between two polls it was taken, and reads the reports one after
 * another over a few milliseconds): reference, stratum and leap
 * status of tracking, and every source's state and selectdata state; each
 * source's reachability and poll. Within 1 s: seconds since the last sample.
 * Within 3 % + 3: the count of requests sent. While both servers of a
 * partition are lost, root dispersion within 1e-7 s + 1 %. One known difference: the mock moves to
 * the other server when the lost one goes stale, chronyd sometimes earlier
 * (its score can pass the limit first): at most 2.5 s later.
 */
import { describe, expect, it } from "vitest";
import { LeapStatus } from "@chrony/fields";
import { MAX_SLEW_RATE, stateAt, type ServerState, type SourceConfig, type TimelineEventConfig } from "../src/index.js";
import { configOfSample, loadRuns, type Sample } from "./timeseries.js";

interface Run {
  readonly paused?: string | string[];
  readonly resumeAt?: number;
  /** The fake NTP server's changes (its offset, its leap indicator) and when its first reply with them went out. */
  readonly fakeChanges?: { readonly offset: number; readonly li: number; readonly firstReplyAt: number }[];
  readonly servers?: Record<string, string>;
  readonly config?: string;
  readonly li?: number;
  readonly samples: Sample[];
}

/** Tracking's reference and every source's selection state, as one line. */
const selection = (reference: unknown, stratum: unknown, leap: unknown, states: { state: number; select: number }[]) =>
  `${String(reference ?? "") || "-"} stratum ${String(stratum)} leap ${String(leap)} | ${states.map((s) => `${s.state} ${String.fromCharCode(s.select)}`).join(", ")}`;
const realSelection = (s: Sample) =>
  selection(s.tracking.referenceIp, s.tracking.stratum, s.tracking.leapStatus, s.sources.map((x, i) => ({ state: x.state as number, select: s.selectdata[i]!.state as number })));
const mockSelection = (s: ServerState) => selection(s.tracking.referenceIp, s.tracking.stratum, s.tracking.leapStatus, s.sources.map((x) => ({ state: x.state, select: x.selectdata.state })));

/** One source's polling: reachability register, poll, seconds since the last sample. */
interface Polling {
  readonly reach: string;
  readonly poll: number;
  readonly ago: number;
}
const polling = (reach: number, poll: number, ago: number): Polling => ({ reach: reach.toString(8), poll, ago });
/**
 * Each of the real values is the mock's at one of the candidate times (the
 * poll reported once a register empties changes with it or a poll later, as
 * the reports are read); seconds since the last sample within 1 s.
 */
const matchesPolling = (real: Polling, candidates: readonly Polling[]): boolean =>
  candidates.some((c) => c.reach === real.reach) &&
  candidates.some((c) => c.poll === real.poll) &&
  candidates.some((c) => (c.ago === 0xffffffff || real.ago === 0xffffffff ? c.ago === real.ago : Math.abs(c.ago - real.ago) <= 1));

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
    // The reports of a sample are read one after another, over `took` seconds.
    const near = [t - POLL, t, t + POLL, t + (sample.took ?? 0) + POLL].filter((x) => x >= 0).map((x) => stateAt(config, x));
    const allowed = [realSelection(sample), ...(previous && lagging(t) ? [realSelection(previous)] : [])];
    const mocked = near.map(mockSelection);
    expect(mocked.some((m) => allowed.includes(m)), `${where}\n  chronyd: ${allowed.join(" or ")}\n  mock:    ${mocked.join("\n           ")}`).toBe(true);
    sample.sources.forEach((source, i) => {
      const expected = polling(source.reachability as number, source.poll as number, source.lastSampleAgo as number);
      const candidates = near.map((s) => polling(s.sources[i]!.reachability, s.sources[i]!.poll, s.sources[i]!.lastSampleAgo));
      expect(matchesPolling(expected, candidates), `${where}: ${String(source.address)} ${JSON.stringify(expected)} vs ${JSON.stringify(candidates)}`).toBe(true);
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
    const timeline = answering(run.paused as string[], run.resumeAt!);
    compare(run, timeline);
    // While both are lost, root dispersion grows from the last update at chronyd's rate: within 1e-7 s + 1 %.
    const config = configOfSample(run.samples[0]!, timeline);
    for (const sample of run.samples.filter((s) => s.phase === "lost")) {
      const real = sample.tracking.rootDispersion as number;
      const mocked = stateAt(config, sample.t - run.samples[0]!.t).tracking.rootDispersion;
      expect(Math.abs(mocked - real), `t = ${sample.t.toFixed(3)} s: root dispersion ${mocked} vs ${real}`).toBeLessThanOrEqual(1e-7 + real * 0.01);
    }
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

/** The fake NTP server's address in a run. */
const fakeOf = (run: Run): string => run.servers!.fake!.split(":")[0]!;

describe("against chronyd 4.3: a server goes 0.5 s off and is voted out, then comes back", () => {
  const runs = [...loadRuns<Run>("falseticker"), ...loadRuns<Run>("falseticker-combined")];
  it.each(runs.map((run, i) => [i + 1, run.config, run] as const))("run %i (%s): every sample", (_, __, run) => {
    const fake = fakeOf(run);
    const i = run.samples[0]!.sources.findIndex((s) => s.address === fake);
    // What the fake source measured while off, and once back: the recorded sample 0.5 s after each change.
    const measured = (phase: string): SourceConfig => {
      const sample = run.samples.find((s) => s.phase === phase && s.offset === 0.5)!;
      const { latestMeas, origLatestMeas, latestMeasErr } = sample.sources[i]!;
      const { lowLimit, highLimit } = sample.selectdata[i]!;
      return { latestMeas, origLatestMeas, latestMeasErr, selectdata: { lowLimit, highLimit } } as SourceConfig;
    };
    const [off, back] = run.fakeChanges!;
    compare(run, [
      { at: off!.firstReplyAt, source: fake, set: measured("off") },
      { at: back!.firstReplyAt, source: fake, set: measured("back") },
    ]);
  });
});

describe("against chronyd 4.3: the only server announces a leap second, or says it is unsynchronised", () => {
  it.each(loadRuns<Run>("leap-announced").map((run, i) => [i + 1, run.li, run] as const))("run %i (leap indicator %i): every sample", (_, li, run) => {
    const [announced, withdrawn] = run.fakeChanges!;
    // A reply answers the request of the poll before it: that request is the first answered with the new indicator.
    const timeline: TimelineEventConfig[] = [
      { at: Math.max(0, announced!.firstReplyAt - POLL), leap: li === 3 ? LeapStatus.NOT_SYNCHRONIZED : LeapStatus.INSERT_SECOND },
      { at: withdrawn!.firstReplyAt - POLL, leap: LeapStatus.NORMAL },
    ];
    compare(run, timeline);
    // The leap indicators of the source's records, within one poll; tracking's (0: not a leap-second day) is compared above.
    const config = configOfSample(run.samples[0]!, timeline);
    for (const sample of run.samples) {
      const t = sample.t - run.samples[0]!.t;
      const near = [t - POLL, t, t + POLL].filter((x) => x >= 0).map((x) => stateAt(config, x).sources[0]!);
      const real = `${String(sample.selectdata[0]!.leapStatus)} ${String(sample.ntpdata[0]!.leapStatus)}`;
      expect(near.map((s) => `${s.selectdata.leapStatus} ${s.ntpdata!.leapStatus}`), `t = ${t.toFixed(3)} s: selectdata and ntpdata leap status`).toContain(real);
    }
  });
});

describe("against chronyd 4.3: the only server steps 2 s ahead (chronyd -x, default config)", () => {
  // chronyd -x does not slew the clock: its correction stays at 2 s, where a running system's shrinks at maxslewrate.
  const runs = loadRuns<Run>("step").filter((run) => run.config === "default");
  it.each(runs.map((run, i) => [i + 1, run] as const))("run %i: every sample", (_, run) => {
    const at = run.fakeChanges![0]!.firstReplyAt;
    // The server 2 s ahead is the local clock 2 s behind.
    const timeline: TimelineEventConfig[] = [{ at, step: -2 }];
    compare(run, timeline);
    const config = configOfSample(run.samples[0]!, timeline);
    for (const sample of run.samples.filter((s) => s.t - run.samples[0]!.t >= 0.5 && s.t - run.samples[0]!.t <= 16)) {
      const t = sample.t - run.samples[0]!.t;
      const { tracking, sources } = stateAt(config, t);
      const where = `t = ${t.toFixed(3)} s`;
      // The correction: what chronyd recorded, less what a running system would have slewed since (within one poll).
      const unslewed = tracking.offset + MAX_SLEW_RATE * (t - at);
      expect(Math.abs(unslewed - (sample.tracking.offset as number)), `${where}: correction ${tracking.offset} (+ slewed) vs ${String(sample.tracking.offset)}`).toBeLessThan(MAX_SLEW_RATE * POLL + 0.001);
      // Later updates and the source's samples measure against the corrected time.
      expect(Math.abs(tracking.lastOffset), `${where}: lastOffset`).toBeLessThan(1e-3);
      expect(Math.abs(sources[0]!.latestMeas - (sample.sources[0]!.latestMeas as number)), `${where}: latestMeas`).toBeLessThan(1e-3);
    }
  });
});
