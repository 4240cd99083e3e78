import { SOURCE_MODE, SOURCE_STATE, SourceMode, SourceState } from "@chrony/fields";
import type { FieldReader } from "../records.js";
import { referenceIdName, Validator, type ModelFields } from "./model.js";

const CHECKS = new Validator<ModelFields<Source>>("Source")
  .range("stratum", 0, 15)
  .range("reachability", 0, 255)
  .known("state", SOURCE_STATE)
  .known("mode", SOURCE_MODE)
  .finite("origLatestMeas", "latestMeas", "latestMeasErr")
  .nonNegative("lastSampleAgo", "latestMeasErr");

/** One time source (`chronyc sources`), with pychrony's `Source` fields. */
export class Source {
  /** The source's address; for a reference clock (mode 2) its reference ID as text, e.g. `"GPS"`, as `chronyc -n` shows it. */
  readonly address: string;
  /** Polling interval, log2 seconds (may be negative, e.g. -2 = 0.25 s). */
  readonly poll: number;
  /** Stratum reported by the source (0–15). */
  readonly stratum: number;
  /** Selection state (`SourceState` of `@chrony/fields`). */
  readonly state: SourceState;
  /** Client, peer or reference clock (`SourceMode` of `@chrony/fields`). */
  readonly mode: SourceMode;
  /** chronyd's source flags. */
  readonly flags: number;
  /** Reachability register of the last 8 polls (0–255; chronyc prints it in octal, 377 = all). */
  readonly reachability: number;
  /** Seconds since the last sample (4294967295 when there was none). */
  readonly lastSampleAgo: number;
  /** Offset of the last sample as measured, seconds. */
  readonly origLatestMeas: number;
  /** Offset of the last sample adjusted for clock updates since, seconds. */
  readonly latestMeas: number;
  /** Error bound of the last sample, seconds. */
  readonly latestMeasErr: number;

  /** @throws {@link ChronyDataError} when a field is out of range (as pychrony checks). */
  constructor(fields: ModelFields<Source>) {
    CHECKS.check(fields);
    this.address = fields.address;
    this.poll = fields.poll;
    this.stratum = fields.stratum;
    this.state = fields.state;
    this.mode = fields.mode;
    this.flags = fields.flags;
    this.reachability = fields.reachability;
    this.lastSampleAgo = fields.lastSampleAgo;
    this.origLatestMeas = fields.origLatestMeas;
    this.latestMeas = fields.latestMeas;
    this.latestMeasErr = fields.latestMeasErr;
    Object.freeze(this);
  }

  /** Whether at least one of the last 8 polls got an answer. */
  isReachable(): boolean {
    return this.reachability > 0;
  }

  /** Whether chronyd currently synchronises to this source. */
  isSelected(): boolean {
    return this.state === SourceState.SELECTED;
  }
}

/** Builds a {@link Source} from the session's sources record. */
export function readSource(record: FieldReader<"sources">): Source {
  const mode = record.uint("mode") as SourceMode;
  return new Source({
    // chronyd stores a reference clock's ID in the address; libchrony then names field 0 "reference ID".
    address: mode === SourceMode.REFERENCE_CLOCK ? referenceIdName(record.uint("reference ID")) : (record.string("address") ?? ""),
    poll: record.int("poll"),
    stratum: record.uint("stratum"),
    state: record.uint("state") as SourceState,
    mode,
    flags: record.uint("flags"),
    reachability: record.uint("reachability"),
    lastSampleAgo: record.uint("last sample ago"),
    origLatestMeas: record.float("original last sample offset"),
    latestMeas: record.float("adjusted last sample offset"),
    latestMeasErr: record.float("last sample error"),
  });
}
