/**
 * Running a check at points of simulated time: what an alerting test asks
 * of a moving scenario ("at which point does my check notice?").
 *
 * @module
 */
import type { MockChronySession } from "@chrony/mock-session";

/** One step of {@link checkAlong}: the simulated time and what the check returned there. */
export interface TimelineStep<T> {
  readonly at: number;
  readonly result: T;
}

/**
 * Advances `session` to each time in `at` (seconds since the start of its
 * simulated time, ascending, none before where it is now) and runs `check`
 * there; returns every step's result, in order.
 *
 * @example
 * ```ts
 * const verdicts = await checkAlong(chrony.session, [0, 300, 600], async () => (await checkHealth()).verdict);
 * ```
 * @throws RangeError when a time is not finite, goes backwards or lies before the session's time.
 */
export async function checkAlong<T>(session: MockChronySession, at: readonly number[], check: (at: number) => Promise<T> | T): Promise<TimelineStep<T>[]> {
  let previous = session.elapsed;
  for (const [i, time] of at.entries()) {
    if (!(typeof time === "number" && Number.isFinite(time) && time >= previous)) {
      throw new RangeError(`checkAlong: at[${i}] must be a finite time of at least ${previous} s (ascending, not before the session's time), got ${String(time)}`);
    }
    previous = time;
  }
  const steps: TimelineStep<T>[] = [];
  for (const time of at) {
    session.advance(time - session.elapsed);
    steps.push({ at: time, result: await check(time) });
  }
  return steps;
}
