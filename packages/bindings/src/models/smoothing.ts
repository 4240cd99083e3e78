import { SmoothingFlag } from "@chrony/fields";
import { ChronyDataError } from "../errors.js";
import type { FieldReader } from "../records.js";
import { Validator, type ModelFields } from "./model.js";

const CHECKS = new Validator<ModelFields<Smoothing>>("Smoothing")
  .finite("offset", "freqOffset", "wander", "lastUpdateAgo", "remainingTime")
  .nonNegative("flags", "lastUpdateAgo", "remainingTime");

/** State of time smoothing (`chronyc smoothing`); only when chronyd runs with `smoothtime`. */
export class Smoothing {
  /** Bits of `SmoothingFlag` of `@chrony/fields`. */
  readonly flags: number;
  /** Whether smoothing is in progress: the `ACTIVE` bit of {@link flags} (as {@link isActive}). */
  readonly active: boolean;
  /** Whether only leap seconds are smoothed (`smoothtime ... leaponly`): the `LEAP_ONLY` bit of {@link flags} (as {@link isLeapOnly}). */
  readonly leapOnly: boolean;
  /** Current smoothing offset, seconds. */
  readonly offset: number;
  /** Current frequency offset, ppm. */
  readonly freqOffset: number;
  /** Current wander, ppm per second. */
  readonly wander: number;
  /** Seconds since the last update. */
  readonly lastUpdateAgo: number;
  /** Seconds until the smoothing ends. */
  readonly remainingTime: number;

  /** @throws {@link ChronyDataError} for a non-finite or negative value, or `active` / `leapOnly` disagreeing with `flags`. */
  constructor(fields: ModelFields<Smoothing>) {
    CHECKS.check(fields);
    for (const [key, bit] of [["active", SmoothingFlag.ACTIVE], ["leapOnly", SmoothingFlag.LEAP_ONLY]] as const) {
      if (fields[key] !== ((fields.flags & bit) !== 0)) {
        throw new ChronyDataError(`Invalid Smoothing.${key}: ${fields[key]} disagrees with flags ${fields.flags}`, { field: key, value: fields[key] });
      }
    }
    this.flags = fields.flags;
    this.active = fields.active;
    this.leapOnly = fields.leapOnly;
    this.offset = fields.offset;
    this.freqOffset = fields.freqOffset;
    this.wander = fields.wander;
    this.lastUpdateAgo = fields.lastUpdateAgo;
    this.remainingTime = fields.remainingTime;
    Object.freeze(this);
  }

  /** Whether smoothing is in progress ({@link active}). */
  isActive(): boolean {
    return (this.flags & SmoothingFlag.ACTIVE) !== 0;
  }

  /** Whether only leap seconds are smoothed (`smoothtime ... leaponly`; {@link leapOnly}). */
  isLeapOnly(): boolean {
    return (this.flags & SmoothingFlag.LEAP_ONLY) !== 0;
  }
}

/** Builds a {@link Smoothing} from the session's smoothing record. */
export function readSmoothing(record: FieldReader<"smoothing">): Smoothing {
  const flags = record.uint("flags");
  return new Smoothing({
    flags,
    active: (flags & SmoothingFlag.ACTIVE) !== 0,
    leapOnly: (flags & SmoothingFlag.LEAP_ONLY) !== 0,
    offset: record.float("offset"),
    freqOffset: record.float("frequency offset"),
    wander: record.float("wander"),
    lastUpdateAgo: record.float("last update ago"),
    remainingTime: record.float("remaining time"),
  });
}
