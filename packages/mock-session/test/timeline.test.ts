/**
 * The timeline's event kinds and chronyd's selection between them
 * (sources.c, reference.c): what each event does to every report as
 * simulated time passes.
 */
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { LeapStatus, SelectOption, SelectState, SourceState } from "@chrony/fields";
import { expectAdditive } from "./timeseries.js";
import { ChronyConfigError, MAX_SLEW_RATE, MockChronySession, configAt, validateConfig, type ChronyStateConfig, type TimelineEventConfig } from "../src/index.js";

const states = (session: MockChronySession): string => session.state.sources.map((s) => `${s.address}:${String.fromCharCode(s.selectdata.state)}`).join(" ");

/** Two servers polled every second; A selected, B combined, B's samples spanning 10 s. */
const TWO: ChronyStateConfig = {
  sources: [
    { address: "192.0.2.1", poll: 0, lastSampleAgo: 0, stratum: 1, sourcestats: { span: 10 } },
    { address: "192.0.2.2", poll: 0, lastSampleAgo: 0, stratum: 2, state: SourceState.UNSELECTED, sourcestats: { span: 10 } },
  ],
};

describe("reselection", () => {
  it("keeps an unreachable reference until its last sample is older than the reachable source's, then selects the other", () => {
    const session = new MockChronySession({ ...TWO, timeline: [{ at: 0.5, source: "192.0.2.1", answers: false }] });
    const start = session.state.tracking;
    // A's last answer is at 0 s; its register runs out at its 9th poll (9 s).
    session.advance(8.5);
    expect(session.state.sources[0]!.reachability).toBe(0o200);
    expect(states(session)).toBe("192.0.2.1:* 192.0.2.2:+");
    session.advance(1);
    expect(session.state.sources[0]!.reachability).toBe(0);
    // Still selected: its last sample (0 s) is not older than B's oldest (10 s span).
    expect(states(session)).toBe("192.0.2.1:* 192.0.2.2:+");
    expect(session.state.tracking.referenceIp).toBe("192.0.2.1");
    session.advance(1);
    const after = session.state;
    expect(states(session)).toBe("192.0.2.1:S 192.0.2.2:*");
    expect(after.sources[0]!.state).toBe(SourceState.NONSELECTABLE);
    expect(after.sources[1]!.state).toBe(SourceState.SELECTED);
    expect(after.tracking.referenceIp).toBe("192.0.2.2");
    expect(after.tracking.referenceId).toBe(0xc0000202);
    expect(after.tracking.stratum).toBe(3);
    // Updated by B, which answered at 10 s.
    expect(after.tracking.refTime.seconds).toBe(start.refTime.seconds + 10n);
    expect(after.tracking.leapStatus).toBe(LeapStatus.NORMAL);
  });

  it("keeps the new reference when the old one is back, which waits 32 updates as distant (`D`) before it is combined", () => {
    const session = new MockChronySession({
      ...TWO,
      timeline: [
        { at: 0.5, source: 0, answers: false },
        { at: 20.5, source: 0, answers: true },
      ],
    });
    session.advance(21);
    expect(session.state.sources[0]!.reachability).toBe(1);
    expect(states(session)).toBe("192.0.2.1:D 192.0.2.2:*");
    expect(session.state.sources[0]!.state).toBe(SourceState.SELECTABLE);
    // 32 polls of the reference (1 s each) after it answered again at 20.5 s.
    session.advance(31);
    expect(states(session)).toBe("192.0.2.1:D 192.0.2.2:*");
    session.advance(1);
    expect(states(session)).toBe("192.0.2.1:+ 192.0.2.2:*");
    expect(session.state.tracking.referenceIp).toBe("192.0.2.2");
  });

  it("votes out a falseticker: a source whose interval the others do not share", () => {
    const config: ChronyStateConfig = {
      sources: [
        { address: "192.0.2.1", poll: 0, lastSampleAgo: 0, latestMeas: 0.001, latestMeasErr: 0.002 },
        { address: "192.0.2.2", poll: 0, lastSampleAgo: 0, latestMeas: 0.002, latestMeasErr: 0.002, state: SourceState.UNSELECTED },
        { address: "192.0.2.3", poll: 0, lastSampleAgo: 0, latestMeas: 0.0015, latestMeasErr: 0.002, state: SourceState.UNSELECTED },
      ],
      timeline: [{ at: 30, source: "192.0.2.3", set: { latestMeas: 0.5, latestMeasErr: 0.001 } }],
    };
    const session = new MockChronySession(config);
    session.advance(29);
    expect(states(session)).toBe("192.0.2.1:* 192.0.2.2:+ 192.0.2.3:+");
    session.advance(1);
    const voted = session.state;
    expect(states(session)).toBe("192.0.2.1:* 192.0.2.2:+ 192.0.2.3:x");
    expect(voted.sources[2]!.state).toBe(SourceState.FALSETICKER);
    expect(voted.sources[2]!.latestMeas).toBeCloseTo(0.5, 6);
    // The limits follow the measurement unless configured.
    expect(voted.sources[2]!.selectdata.lowLimit).toBeCloseTo(0.499, 6);
    expect(voted.tracking.leapStatus).toBe(LeapStatus.NORMAL);
  });

  it("with no majority marks every source a falseticker and is unsynchronised", () => {
    const session = new MockChronySession({
      sources: [
        { address: "192.0.2.1", poll: 0, lastSampleAgo: 0, latestMeas: 0, latestMeasErr: 0.001 },
        { address: "192.0.2.2", poll: 0, lastSampleAgo: 0, latestMeas: 0, latestMeasErr: 0.001, state: SourceState.UNSELECTED },
      ],
      timeline: [{ at: 5, source: 1, set: { latestMeas: 1 } }],
    });
    session.advance(5);
    const { tracking } = session.state;
    expect(states(session)).toBe("192.0.2.1:x 192.0.2.2:x");
    expect(tracking).toMatchObject({ referenceId: 0, referenceIp: null, stratum: 0, leapStatus: LeapStatus.NOT_SYNCHRONIZED, rootDelay: 1, rootDispersion: 1 });
    expect(tracking.refTime).toEqual({ seconds: 0n, nanoseconds: 0 });
  });

  it("leaves a noselect or jittery source as configured", () => {
    const session = new MockChronySession({
      sources: [
        ...TWO.sources!,
        { address: "192.0.2.3", poll: 0, lastSampleAgo: 0, selectdata: { configuredOptions: SelectOption.NOSELECT } },
        { address: "192.0.2.4", poll: 0, lastSampleAgo: 0, state: SourceState.JITTERY },
      ],
      timeline: [{ at: 0.5, source: 0, answers: false }],
    });
    session.advance(20);
    expect(states(session)).toBe("192.0.2.1:S 192.0.2.2:* 192.0.2.3:N 192.0.2.4:~");
  });
});

describe("adding and removing sources", () => {
  it("adds a source never heard from, which is selectable after three samples", () => {
    const session = new MockChronySession({
      sources: [{ address: "192.0.2.1", poll: 0, lastSampleAgo: 0, sourcestats: { samples: 20 } }],
      timeline: [{ at: 10, add: { address: "192.0.2.9", poll: 0, stratum: 1, sourcestats: { samples: 20 } } }],
    });
    session.advance(10);
    const added = session.state.sources[1]!;
    // chronyd sends the first request 0.2 s after adding a source (INITIAL_DELAY), then polls at its poll.
    expect(added).toMatchObject({ address: "192.0.2.9", reachability: 0, lastSampleAgo: 0xffffffff, state: SourceState.NONSELECTABLE });
    expect(added.selectdata.state).toBe(SelectState.NOT_SYNCHRONIZED);
    expect(added.ntpdata!.transmittedMessages).toBe(0);
    session.advance(0.5);
    expect(session.state.sources[1]).toMatchObject({ reachability: 1, lastSampleAgo: 0, stratum: 1 });
    expect(session.state.sources[1]!.selectdata.state).toBe(SelectState.MISSING_SAMPLES);
    expect(session.state.sources[1]!.sourcestats.samples).toBe(1);
    session.advance(2);
    // Three samples: selectable, and a better stratum than the reference, but chronyd keeps a good reference;
    // a source that was not selectable is distant (`D`) for 32 updates of the reference.
    expect(session.state.sources[1]!.reachability).toBe(0o7);
    expect(states(session)).toBe("192.0.2.1:* 192.0.2.9:D");
    expect(session.state.sources[1]!.ntpdata!.transmittedMessages).toBe(3);
    session.advance(32);
    expect(states(session)).toBe("192.0.2.1:* 192.0.2.9:+");
    expect(session.state.activity.onlineSources).toBe(2);
  });

  it("removes a source; removing the reference selects another", () => {
    const session = new MockChronySession({ ...TWO, timeline: [{ at: 5, source: "192.0.2.1", remove: true }] });
    session.advance(5);
    const { sources, tracking, activity } = session.state;
    expect(sources.map((s) => s.address)).toEqual(["192.0.2.2"]);
    expect(sources[0]!.state).toBe(SourceState.SELECTED);
    expect(tracking.referenceIp).toBe("192.0.2.2");
    expect(activity.onlineSources).toBe(1);
  });

  it("names only sources present at the event's time", () => {
    const config = (timeline: TimelineEventConfig[]) => () => new MockChronySession({ sources: [{ address: "192.0.2.1" }], timeline });
    expect(config([{ at: 5, source: "192.0.2.9", answers: false }, { at: 10, add: { address: "192.0.2.9" } }])).toThrow(
      'timeline[0].source: expected a source present at that time: the index of a configured source (0) or one of the addresses "192.0.2.1", got "192.0.2.9"',
    );
    expect(config([{ at: 10, add: { address: "192.0.2.9" } }, { at: 11, source: "192.0.2.9", answers: false }])).not.toThrow();
    expect(config([{ at: 1, source: 0, remove: true }, { at: 2, source: 0, answers: true }])).toThrow(/^timeline\[1\]\.source: expected a source present at that time \(there is none\)/);
    expect(config([{ at: 1, add: { address: "not an address", mode: 0 } }])).toThrow(/^timeline\[0\]\.add\.address: /);
  });
});

describe("changing a source", () => {
  it("rejects a set of what the simulation moves, and a set that gives no source", () => {
    const session = (set: object) => () => new MockChronySession({ sources: [{ address: "192.0.2.1" }], timeline: [{ at: 1, source: 0, set }] } as ChronyStateConfig);
    expect(session({ reachability: 0 })).toThrow(/^timeline\[0\]\.set\.reachability: expected no value: a source keeps its address and mode, and the simulation moves/);
    expect(session({ address: "192.0.2.2" })).toThrow(/^timeline\[0\]\.set\.address: /);
    expect(session({ state: SourceState.SELECTED, selectdata: { state: SelectState.FALSETICKER } })).toThrow(/^timeline\[0\]\.set\.selectdata\.state: /);
    expect(() => validateConfig({ timeline: [{ at: 1, source: 0, remove: false }] })).not.toThrow();
    expect(() => new MockChronySession({ sources: [{}], timeline: [{ at: 1, source: 0, remove: false as true }] })).toThrow(/^timeline\[0\]\.remove: expected true/);
    expect(() => new MockChronySession({ timeline: [{ at: 1, restart: false as true }] })).toThrow(ChronyConfigError);
  });

  it("changes measurements and stratum from its time on, and tracking follows the reference's stratum", () => {
    const session = new MockChronySession({ sources: [{ address: "192.0.2.1", poll: 0, stratum: 2 }], timeline: [{ at: 3, source: 0, set: { stratum: 5, latestMeas: 0.25 } }] });
    session.advance(2);
    expect(session.state.tracking.stratum).toBe(3);
    session.advance(1);
    expect(session.state.sources[0]).toMatchObject({ stratum: 5, latestMeas: 0.25 });
  });
});

describe("leap seconds", () => {
  // 2016-12-31 12:00:00 UTC: a leap second was inserted at the end of that day.
  const NOON = Date.UTC(2016, 11, 31, 12) / 1000;
  const LEAP: ChronyStateConfig = {
    tracking: { refTime: NOON },
    sources: [{ address: "192.0.2.1", poll: 6, lastSampleAgo: 0 }],
    timeline: [{ at: 600, leap: LeapStatus.INSERT_SECOND }],
  };

  it("announces the leap second on its day and is back to normal once it has passed at midnight", () => {
    const session = new MockChronySession(LEAP);
    session.advance(600);
    expect(session.state.tracking.leapStatus).toBe(LeapStatus.INSERT_SECOND);
    expect(session.state.sources[0]!.ntpdata!.leapStatus).toBe(LeapStatus.INSERT_SECOND);
    expect(session.state.sources[0]!.selectdata.leapStatus).toBe(LeapStatus.INSERT_SECOND);
    session.advance(12 * 3600 - 601);
    expect(session.state.tracking.leapStatus).toBe(LeapStatus.INSERT_SECOND);
    session.advance(2);
    expect(session.state.tracking.leapStatus).toBe(LeapStatus.NORMAL);
    expect(session.state.sources[0]!.ntpdata!.leapStatus).toBe(LeapStatus.NORMAL);
  });

  it("passes an announcement on only on 30 June or 31 December", () => {
    const session = new MockChronySession({ ...LEAP, tracking: { refTime: NOON - 86_400 * 10 } });
    session.advance(3600);
    expect(session.state.sources[0]!.ntpdata!.leapStatus).toBe(LeapStatus.INSERT_SECOND);
    expect(session.state.tracking.leapStatus).toBe(LeapStatus.NORMAL);
    session.advance(86_400 * 10);
    expect(session.state.tracking.leapStatus).toBe(LeapStatus.INSERT_SECOND);
  });

  it("a server that says it is unsynchronised (leap 3) counts as silent: reachability drains, the reference is kept", () => {
    // Its replies fail NTP test 6 (recorded: leap-announced-4.3.json, runs 3 and 4).
    const session = new MockChronySession({
      sources: [{ address: "192.0.2.1", poll: 0, lastSampleAgo: 0 }],
      timeline: [
        { at: 0.5, leap: LeapStatus.NOT_SYNCHRONIZED },
        { at: 20.5, leap: LeapStatus.NORMAL },
      ],
    });
    session.advance(5);
    expect(session.state.sources[0]!.reachability).toBe(0o360);
    expect(session.state.sources[0]!.ntpdata!.leapStatus).toBe(LeapStatus.NOT_SYNCHRONIZED);
    // Selectdata keeps the leap status of the last synchronised reply.
    expect(session.state.sources[0]!.selectdata.leapStatus).toBe(LeapStatus.NORMAL);
    session.advance(5);
    expect(states(session)).toBe("192.0.2.1:S");
    expect(session.state.tracking).toMatchObject({ referenceIp: "192.0.2.1", leapStatus: LeapStatus.NORMAL });
    // Back to leap 0: answered at its next poll (it kept replying), not at once.
    session.advance(10.6);
    expect(session.state.sources[0]!.reachability).toBe(0);
    session.advance(0.5);
    expect(session.state.sources[0]!.reachability).toBe(1);
    expect(states(session)).toBe("192.0.2.1:*");
  });
});

describe("a step of the clock", () => {
  it("is measured at the reference's next poll and slewed out at chronyd's maximum rate", () => {
    const session = new MockChronySession({ tracking: { offset: 0, lastOffset: 0 }, sources: [{ address: "192.0.2.1", poll: 4, lastSampleAgo: 0, latestMeas: 0 }], timeline: [{ at: 100, step: 2 }] });
    session.advance(100);
    expect(session.state.tracking.offset).toBe(0);
    // Polls at 96, 112, 128 s: measured at 112 s, then slewed at 83333 ppm.
    session.advance(26);
    let { tracking, sources } = session.state;
    expect(tracking.offset).toBeCloseTo(-(2 - MAX_SLEW_RATE * 14), 6);
    // The update that measured it says so in lastOffset; the source measures against chronyd's corrected time.
    expect(tracking.lastOffset).toBeCloseTo(2, 6);
    expect(sources[0]!.latestMeas).toBeCloseTo(0, 6);
    session.advance(3);
    ({ tracking, sources } = session.state);
    expect(tracking.lastOffset).toBeCloseTo(0, 6);
    expect(sources[0]!.latestMeas).toBeCloseTo(0, 6);
    session.advance(100);
    expect(session.state.tracking.offset).toBe(0);
  });

  it("shows in a source polled between the step and the reference's next poll", () => {
    const session = new MockChronySession({
      sources: [
        { address: "192.0.2.1", poll: 4, lastSampleAgo: 0, latestMeas: 0 },
        { address: "192.0.2.2", poll: 0, lastSampleAgo: 0, latestMeas: 0, state: SourceState.UNSELECTED },
      ],
      timeline: [{ at: 100.5, step: -3 }],
    });
    session.advance(101);
    expect(session.state.sources[1]!.latestMeas).toBeCloseTo(-3, 6);
    session.advance(11.5);
    expect(session.state.sources[1]!.latestMeas).toBeCloseTo(0, 6);
  });
});

describe("a restart of chronyd", () => {
  const RESTART: ChronyStateConfig = {
    sources: [{ address: "192.0.2.1", poll: -4, lastSampleAgo: 0 }],
    serverstats: { receivedNtpRequests: 100 },
    timeline: [{ at: 10, restart: true }],
  };

  it("starts with no reference and sources never heard from", () => {
    const session = new MockChronySession(RESTART);
    session.advance(10);
    const { tracking, sources, serverstats } = session.state;
    expect(tracking).toMatchObject({ referenceId: 0, referenceIp: null, stratum: 0, leapStatus: LeapStatus.NOT_SYNCHRONIZED, lastOffset: 0, rmsOffset: 0 });
    expect(sources[0]).toMatchObject({ reachability: 0, lastSampleAgo: 0xffffffff, state: SourceState.NONSELECTABLE });
    expect(serverstats.receivedNtpRequests).toBe(0n);
  });

  it("selects the source again after three samples", () => {
    const session = new MockChronySession(RESTART);
    // The first request 0.2 s after the start (INITIAL_DELAY), then every 1/16 s.
    session.advance(10.125);
    expect(session.state.sources[0]!.selectdata.state).toBe(SelectState.MISSING_SAMPLES);
    session.advance(0.125);
    expect(session.state.sources[0]!.reachability).toBe(1);
    expect(session.state.tracking.leapStatus).toBe(LeapStatus.NOT_SYNCHRONIZED);
    session.advance(0.125);
    const back = session.state;
    expect(back.sources[0]!.reachability).toBe(0o7);
    expect(back.sources[0]!.state).toBe(SourceState.SELECTED);
    expect(back.tracking).toMatchObject({ referenceIp: "192.0.2.1", stratum: 3, leapStatus: LeapStatus.NORMAL });
    expect(back.sources[0]!.sourcestats.samples).toBe(3);
  });
});

describe("moving counters", () => {
  it("counts every poll and answer in ntpdata", () => {
    const session = new MockChronySession({ sources: [{ address: "192.0.2.1", poll: 2, lastSampleAgo: 0, ntpdata: { transmittedMessages: 10, receivedMessages: 10 } }], timeline: [{ at: 40, source: 0, answers: false }] });
    session.advance(80);
    const ntp = session.state.sources[0]!.ntpdata!;
    expect(ntp.transmittedMessages).toBe(10 + 20);
    // Answered at 4, 8, … 36 s; from 40 s on, polls go unanswered.
    expect(ntp.receivedMessages).toBe(10 + 9);
  });
});

describe("every event kind", () => {
  // The 60 s timeout guards against a hang; it is no speed goal (a loaded CI machine takes seconds here).
  it("is additive: advance(a); advance(b) serves what advance(a + b) does", () => {
    const seconds = fc.integer({ min: 0, max: 64 * 600 }).map((n) => n / 64);
    const source = fc.integer({ min: 0, max: 2 });
    const event: fc.Arbitrary<TimelineEventConfig> = fc.oneof(
      fc.record({ at: seconds, source, answers: fc.boolean() }),
      fc.record({ at: seconds, source, set: fc.record({ latestMeas: fc.double({ min: -1, max: 1, noNaN: true }), stratum: fc.integer({ min: 1, max: 5 }) }) }),
      fc.record({ at: seconds, add: fc.constant({ address: "192.0.2.9", poll: -2 }) }),
      fc.record({ at: seconds, leap: fc.constantFrom(LeapStatus.NORMAL, LeapStatus.INSERT_SECOND, LeapStatus.NOT_SYNCHRONIZED) }),
      fc.record({ at: seconds, step: fc.double({ min: -10, max: 10, noNaN: true }) }),
      fc.record({ at: seconds, restart: fc.constant(true as const) }),
    );
    fc.assert(
      fc.property(fc.array(event, { maxLength: 8 }), seconds, seconds, (timeline, a, b) => {
        const config: ChronyStateConfig = {
          sources: [0, 1, 2].map((i) => ({ address: `192.0.2.${i + 1}`, poll: i - 1, lastSampleAgo: 0, state: i === 0 ? SourceState.SELECTED : SourceState.UNSELECTED })),
          timeline,
        };
        expectAdditive(config, a, b);
        // The moved state is always one the validator accepts.
        expect(() => validateConfig(configAt(config, a + b))).not.toThrow();
      }),
      { numRuns: 200 },
    );
  }, 60_000);
});

describe("the end of simulated time", () => {
  it("wraps ntpdata's 32-bit counters as chronyd's do", () => {
    const session = new MockChronySession({ sources: [{ address: "192.0.2.1", poll: 0, lastSampleAgo: 0, ntpdata: { transmittedMessages: 100 } }] });
    session.advance(2 ** 32 - 2);
    expect(session.state.sources[0]!.ntpdata!.transmittedMessages).toBe((100 + 2 ** 32 - 2) % 2 ** 32);
  });
});
