import type { FieldReader } from "../records.js";
import { timeToSeconds, type ExactTime } from "../time.js";
import { initModel, Validator, type ModelFields } from "./model.js";

/** The real-time clock's tracking (`chronyc rtcdata`), with pychrony's `RTCData` fields. */
export class RTCData {
  /** RTC reading at the last error measurement, seconds since the epoch. */
  declare readonly refTime: number;
  /** {@link refTime} exactly. */
  declare readonly refTimeExact: ExactTime;
  /** Measurements used for calibration. */
  declare readonly samples: number;
  /** Runs of residuals with the same sign. */
  declare readonly runs: number;
  /** Seconds covered by the measurements. */
  declare readonly span: number;
  /** Estimated RTC offset (fast by), seconds. */
  declare readonly offset: number;
  /** RTC drift, ppm. */
  declare readonly freqOffset: number;

  /** @throws {@link ChronyDataError} when a field is out of range (as pychrony checks). */
  constructor(fields: ModelFields<RTCData>) {
    new Validator("RTCData", fields)
      .finite("refTime", "offset", "freqOffset")
      .nonNegative("refTime", "samples", "runs", "span");
    initModel(this, fields);
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
