/**
 * How times from chronyd are represented: seconds as a `number` for
 * arithmetic, and the exact `struct timespec` for when nanoseconds matter.
 *
 * @module
 */
import type { ChronyTimespec } from "@chrony/fields";

/** A `struct timespec` exactly: whole seconds since the epoch as `bigint`, plus nanoseconds. */
export interface ExactTime {
  readonly sec: bigint;
  readonly nsec: number;
}

/** A timespec as an {@link ExactTime}. */
export function exactTime(timespec: ChronyTimespec): ExactTime {
  return Object.freeze({ sec: BigInt(timespec.tv_sec), nsec: Number(timespec.tv_nsec) });
}

/** Seconds since the epoch as a `number` (sub-microsecond precision is lost; use the exact form for that). */
export function timeToSeconds(time: ExactTime): number {
  return Number(time.sec) + time.nsec / 1e9;
}
