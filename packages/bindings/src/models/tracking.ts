import { LEAP_STATUS, LeapStatus } from "@chrony/fields";
import type { FieldReader } from "../records.js";
import { timeToSeconds, type ExactTime } from "../time.js";
import { referenceIdName, Validator, type ModelFields } from "./model.js";

const CHECKS = new Validator<ModelFields<TrackingStatus>>("TrackingStatus")
  .range("stratum", 0, 15)
  .known("leapStatus", LEAP_STATUS)
  .finite("refTime", "offset", "lastOffset", "rmsOffset", "frequency", "residualFreq", "skew", "rootDelay", "rootDispersion", "updateInterval")
  .nonNegative("refTime", "rmsOffset", "skew", "rootDelay", "rootDispersion", "updateInterval");

/** chronyd's synchronisation state (`chronyc tracking`), with pychrony's `TrackingStatus` fields. */
export class TrackingStatus {
  /** Reference ID of the source synchronised to (0 when none). */
  readonly referenceId: number;
  /** {@link referenceId} as text: ASCII for reference clocks (`"GPS"`), else a dotted quad. */
  readonly referenceIdName: string;
  /** Address of the source synchronised to, `""` when there is none (reference clock, unsynchronised). */
  readonly referenceIp: string;
  /** Stratum of this host (0–15). */
  readonly stratum: number;
  /** Leap status (`LeapStatus` of `@chrony/fields`). */
  readonly leapStatus: LeapStatus;
  /** Time of the last measurement, seconds since the epoch. */
  readonly refTime: number;
  /** {@link refTime} exactly. */
  readonly refTimeExact: ExactTime;
  /** Current correction of the system clock in seconds (libchrony's `"current correction"`; chronyc's "System time"). */
  readonly offset: number;
  /** Offset at the last clock update in seconds. */
  readonly lastOffset: number;
  /** Long-term RMS of the offset in seconds. */
  readonly rmsOffset: number;
  /** Frequency error of the system clock in ppm (positive: fast). */
  readonly frequency: number;
  /** Residual frequency of the current source in ppm. */
  readonly residualFreq: number;
  /** Error bound of the frequency in ppm. */
  readonly skew: number;
  /** Total network delay to the stratum-1 computer, seconds. */
  readonly rootDelay: number;
  /** Total dispersion to the stratum-1 computer, seconds. */
  readonly rootDispersion: number;
  /** Seconds between the last two clock updates. */
  readonly updateInterval: number;

  /** @throws {@link ChronyDataError} when a field is out of range (as pychrony checks). */
  constructor(fields: ModelFields<TrackingStatus>) {
    CHECKS.check(fields);
    this.referenceId = fields.referenceId;
    this.referenceIdName = fields.referenceIdName;
    this.referenceIp = fields.referenceIp;
    this.stratum = fields.stratum;
    this.leapStatus = fields.leapStatus;
    this.refTime = fields.refTime;
    this.refTimeExact = fields.refTimeExact;
    this.offset = fields.offset;
    this.lastOffset = fields.lastOffset;
    this.rmsOffset = fields.rmsOffset;
    this.frequency = fields.frequency;
    this.residualFreq = fields.residualFreq;
    this.skew = fields.skew;
    this.rootDelay = fields.rootDelay;
    this.rootDispersion = fields.rootDispersion;
    this.updateInterval = fields.updateInterval;
    Object.freeze(this);
  }

  /** Whether chronyd is synchronised to a source (a reference ID and a stratum below 16). */
  isSynchronized(): boolean {
    return this.referenceId !== 0 && this.stratum < 16;
  }

  /** Whether a leap second is to be inserted or deleted. */
  isLeapPending(): boolean {
    return this.leapStatus === LeapStatus.INSERT_SECOND || this.leapStatus === LeapStatus.DELETE_SECOND;
  }
}

/** Builds a {@link TrackingStatus} from the session's tracking record. */
export function readTracking(record: FieldReader<"tracking">): TrackingStatus {
  const referenceId = record.uint("reference ID");
  const refTimeExact = record.time("reference time");
  return new TrackingStatus({
    referenceId,
    referenceIdName: referenceIdName(referenceId),
    referenceIp: record.string("address") ?? "",
    stratum: record.uint("stratum"),
    leapStatus: record.uint("leap status") as LeapStatus,
    refTime: timeToSeconds(refTimeExact),
    refTimeExact,
    offset: record.float("current correction"),
    lastOffset: record.float("last offset"),
    rmsOffset: record.float("RMS offset"),
    frequency: record.float("frequency offset"),
    residualFreq: record.float("residual frequency"),
    skew: record.float("skew"),
    rootDelay: record.float("root delay"),
    rootDispersion: record.float("root dispersion"),
    updateInterval: record.float("last update interval"),
  });
}
