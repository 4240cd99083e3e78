import type { FieldReader } from "../records.js";
import { timeToSeconds, type ExactTime } from "../time.js";
import { Validator, type ModelFields } from "./model.js";

const CHECKS = new Validator<ModelFields<RTCData>>("RTCData").finite("refTime", "offset", "freqOffset").nonNegative("refTime", "samples", "runs", "span");

/** The real-time clock's tracking (`chronyc rtcdata`), with pychrony's `RTCData` fields. */
export class RTCData {
  /** RTC reading at the last error measurement, seconds since the epoch. */
  readonly refTime: number;
  /** {@link refTime} exactly. */
  readonly refTimeExact: ExactTime;
  /** Measurements used for calibration. */
  readonly samples: number;
  /** Runs of residuals with the same sign. */
  readonly runs: number;
  /** Seconds covered by the measurements. */
  readonly span: number;
  /** Estimated RTC offset (fast by), seconds. */
  readonly offset: number;
  /** RTC drift, ppm. */
  readonly freqOffset: number;

  /** @throws {@link ChronyDataError} when a field is out of range (as pychrony checks). */
  constructor(fields: ModelFields<RTCData>) {
    CHECKS.check(fields);
    this.refTime = fields.refTime;
    this.refTimeExact = fields.refTimeExact;
    this.samples = fields.samples;
    this.runs = fields.runs;
    this.span = fields.span;
    this.offset = fields.offset;
    this.freqOffset = fields.freqOffset;
    Object.freeze(this);
  }

  /** Whether chronyd has calibration measurements for the RTC. */
  isCalibrated(): boolean {
    return this.samples > 0;
  }
}

/** Builds an {@link RTCData} from the session's rtcdata record. */
export function readRtcData(record: FieldReader<"rtcdata">): RTCData {
  const refTimeExact = record.time("reference time");
  return new RTCData({
    refTime: timeToSeconds(refTimeExact),
    refTimeExact,
    samples: record.uint("samples"),
    runs: record.uint("runs"),
    span: record.uint("span"),
    offset: record.float("offset"),
    freqOffset: record.float("frequency offset"),
  });
}
