import type { FieldReader } from "../records.js";
import { Validator, type ModelFields } from "./model.js";

const CHECKS = new Validator<ModelFields<Activity>>("Activity").nonNegative(
  "onlineSources",
  "offlineSources",
  "burstOnlineReturnSources",
  "burstOfflineReturnSources",
  "unresolvedSources",
);

/** How many sources are online and offline (`chronyc activity`). */
export class Activity {
  /** Sources online. */
  readonly onlineSources: number;
  /** Sources offline. */
  readonly offlineSources: number;
  /** Sources doing a burst, returning to online afterwards. */
  readonly burstOnlineReturnSources: number;
  /** Sources doing a burst, returning to offline afterwards. */
  readonly burstOfflineReturnSources: number;
  /** Sources whose name is not resolved yet. */
  readonly unresolvedSources: number;

  /** @throws {@link ChronyDataError} for a negative count. */
  constructor(fields: ModelFields<Activity>) {
    CHECKS.check(fields);
    this.onlineSources = fields.onlineSources;
    this.offlineSources = fields.offlineSources;
    this.burstOnlineReturnSources = fields.burstOnlineReturnSources;
    this.burstOfflineReturnSources = fields.burstOfflineReturnSources;
    this.unresolvedSources = fields.unresolvedSources;
    Object.freeze(this);
  }

  /** All sources chronyd knows, in any state. */
  totalSources(): number {
    return this.onlineSources + this.offlineSources + this.burstOnlineReturnSources + this.burstOfflineReturnSources + this.unresolvedSources;
  }
}

/** Builds an {@link Activity} from the session's activity record. */
export function readActivity(record: FieldReader<"activity">): Activity {
  return new Activity({
    onlineSources: record.uint("online sources"),
    offlineSources: record.uint("offline sources"),
    burstOnlineReturnSources: record.uint("burst online-return sources"),
    burstOfflineReturnSources: record.uint("burst offline-return sources"),
    unresolvedSources: record.uint("unresolved sources"),
  });
}
