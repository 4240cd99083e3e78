import { SmoothingFlag } from "@chrony/fields";
import type { FieldReader } from "../records.js";
import { initModel, Validator, type ModelFields } from "./model.js";

/** State of time smoothing (`chronyc smoothing`); only when chronyd runs with `smoothtime`. */
export class Smoothing {
  /** Bits of `SmoothingFlag` of `@chrony/fields`. */
  declare readonly flags: number;
  /** Current smoothing offset, seconds. */
  declare readonly offset: number;
  /** Current frequency offset, ppm. */
  declare readonly frequencyOffset: number;
  /** Current wander, ppm per second. */
  declare readonly wander: number;
  /** Seconds since the last update. */
  declare readonly lastUpdateAgo: number;
  /** Seconds until the smoothing ends. */
  declare readonly remainingTime: number;

  /** @throws {@link ChronyDataError} for a non-finite or negative value. */
  constructor(fields: ModelFields<Smoothing>) {
    new Validator("Smoothing", fields)
      .finite("offset", "frequencyOffset", "wander", "lastUpdateAgo", "remainingTime")
      .nonNegative("flags", "lastUpdateAgo", "remainingTime");
    initModel(this, fields);
  }

  /** Whether smoothing is in progress. */
  isActive(): boolean {
    return (this.flags & SmoothingFlag.ACTIVE) !== 0;
  }

  /** Whether only leap seconds are smoothed (`smoothtime ... leaponly`). */
  isLeapOnly(): boolean {
    return (this.flags & SmoothingFlag.LEAP_ONLY) !== 0;
  }
}

/** Builds a {@link Smoothing} from the session's smoothing record. */
export function readSmoothing(record: FieldReader<"smoothing">): Smoothing {
  return new Smoothing({
    flags: record.uint("flags"),
    offset: record.float("offset"),
    frequencyOffset: record.float("frequency offset"),
    wander: record.float("wander"),
    lastUpdateAgo: record.float("last update ago"),
    remainingTime: record.float("remaining time"),
  });
}
