/** Simulated time: 24 hours of a 64-source state, in one step and in one-second steps, then a read. */
import { bench, describe } from "vitest";
import { MockChronySession, type ChronyStateConfig } from "../src/index.js";

const SOURCES = Array.from({ length: 64 }, (_, i) => ({ address: `192.0.2.${i + 1}`, poll: 6 }));
const CONFIG: ChronyStateConfig = {
  sources: SOURCES,
  // Every source falls silent in turn, a minute apart.
  timeline: SOURCES.map((_, i) => ({ at: 60 * i, source: i, answers: false })),
};
const DAY = 86_400;

describe("advance 24 simulated hours, 64 sources", () => {
  bench("one step, then read the state", () => {
    const mock = new MockChronySession(CONFIG, { log: false });
    mock.advance(DAY);
    void mock.state;
  });

  bench("86,400 one-second steps, then read the state", () => {
    const mock = new MockChronySession(CONFIG, { log: false });
    for (let i = 0; i < DAY; i++) mock.advance(1);
    void mock.state;
  });
});
