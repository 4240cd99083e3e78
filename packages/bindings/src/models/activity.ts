import type { FieldReader } from "../records.js";
import { initModel, Validator, type ModelFields } from "./model.js";

/** How many sources are online and offline (`chronyc activity`). */
export class Activity {
  /** Sources online. */
  declare readonly onlineSources: number;
  /** Sources offline. */
  declare readonly offlineSources: number;
  /** Sources doing a burst, returning to online afterwards. */
  declare readonly burstOnlineReturnSources: number;
  /** Sources doing a burst, returning to offline afterwards. */
  declare readonly burstOfflineReturnSources: number;
  /** Sources whose name is not resolved yet. */
  declare readonly unresolvedSources: number;

  /** @throws {@link ChronyDataError} for a negative count. */
  constructor(fields: ModelFields<Activity>) {
    new Validator("Activity", fields).nonNegative(
      "onlineSources",
      "offlineSources",
      "burstOnlineReturnSources",
      "burstOfflineReturnSources",
      "unresolvedSources",
    );
    initModel(this, fields);
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
