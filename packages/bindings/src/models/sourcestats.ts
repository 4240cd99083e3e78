import type { FieldReader } from "../records.js";
import { referenceIdName, Validator, type ModelFields } from "./model.js";

/** pychrony's default for {@link SourceStats.hasSufficientSamples}. */
export const MIN_SUFFICIENT_SAMPLES = 4;

const CHECKS = new Validator<ModelFields<SourceStats>>("SourceStats")
  .finite("stdDev", "residFreq", "skew", "offset", "offsetErr")
  .nonNegative("samples", "runs", "span", "stdDev", "skew", "offsetErr");

/** Statistics of one source's samples (`chronyc sourcestats`), with pychrony's `SourceStats` fields. */
export class SourceStats {
  /** Reference ID of the source. */
  readonly referenceId: number;
  /** The source's address; for a reference clock its reference ID as text (`"GPS"`), as `chronyc -n` shows it. */
  readonly address: string;
  /** Sample points retained. */
  readonly samples: number;
  /** Runs of residuals with the same sign. */
  readonly runs: number;
  /** Seconds between the oldest and newest sample. */
  readonly span: number;
  /** Estimated sample standard deviation, seconds. */
  readonly stdDev: number;
  /** Residual frequency, ppm. */
  readonly residFreq: number;
  /** Error bound of {@link residFreq}, ppm. */
  readonly skew: number;
  /** Estimated offset of the source, seconds. */
  readonly offset: number;
  /** Error bound of {@link offset}, seconds. */
  readonly offsetErr: number;

  /** @throws {@link ChronyDataError} when a field is out of range (as pychrony checks). */
  constructor(fields: ModelFields<SourceStats>) {
    CHECKS.check(fields);
    this.referenceId = fields.referenceId;
    this.address = fields.address;
    this.samples = fields.samples;
    this.runs = fields.runs;
    this.span = fields.span;
    this.stdDev = fields.stdDev;
    this.residFreq = fields.residFreq;
    this.skew = fields.skew;
    this.offset = fields.offset;
    this.offsetErr = fields.offsetErr;
    Object.freeze(this);
  }

  /** Whether there are at least `minimum` samples (pychrony's default: 4) for the statistics to be meaningful. */
  hasSufficientSamples(minimum = MIN_SUFFICIENT_SAMPLES): boolean {
    return this.samples >= minimum;
  }
}

/** Builds a {@link SourceStats} from the session's sourcestats record. */
export function readSourceStats(record: FieldReader<"sourcestats">): SourceStats {
  const referenceId = record.uint("reference ID");
  return new SourceStats({
    referenceId,
    // A reference clock has no address (libchrony gives NULL); chronyc names it by its reference ID.
    address: record.string("address") ?? referenceIdName(referenceId),
    samples: record.uint("samples"),
    runs: record.uint("runs"),
    span: record.uint("span"),
    stdDev: record.float("standard deviation"),
    residFreq: record.float("residual frequency"),
    skew: record.float("skew"),
    offset: record.float("offset"),
    offsetErr: record.float("offset error"),
  });
}
