import { LEAP_STATUS, SELECT_STATE, SelectState, type LeapStatus, type SelectOption } from "@chrony/fields";
import type { FieldReader } from "../records.js";
import { referenceIdName, Validator, type ModelFields } from "./model.js";

const CHECKS = new Validator<ModelFields<SelectData>>("SelectData")
  .known("state", SELECT_STATE)
  .known("leapStatus", LEAP_STATUS)
  .finite("score", "lowLimit", "highLimit")
  .nonNegative("lastSampleAgo");

/** How chronyd's source selection sees one source (`chronyc selectdata`). */
export class SelectData {
  /** Reference ID of the source. */
  readonly referenceId: number;
  /** The source's address; for a reference clock its reference ID as text, as `chronyc -n` shows it. */
  readonly address: string;
  /** Selection state as a character code (`SelectState` of `@chrony/fields`); {@link stateSymbol} gives the character. */
  readonly state: SelectState;
  /** Whether the source is authenticated (libchrony's `"authentication"` field). */
  readonly authenticated: boolean;
  /** Leap status announced by the source. */
  readonly leapStatus: LeapStatus;
  /** Selection options from the configuration (bits of `SelectOption`). */
  readonly configuredOptions: number;
  /** Selection options in effect (bits of `SelectOption`). */
  readonly effectiveOptions: number;
  /** Seconds since the last sample. */
  readonly lastSampleAgo: number;
  /** Selection score. */
  readonly score: number;
  /** Low end of the source's interval, seconds. */
  readonly lowLimit: number;
  /** High end of the source's interval, seconds. */
  readonly highLimit: number;

  /** @throws {@link ChronyDataError} for an unknown state or leap status, or a non-finite number. */
  constructor(fields: ModelFields<SelectData>) {
    CHECKS.check(fields);
    this.referenceId = fields.referenceId;
    this.address = fields.address;
    this.state = fields.state;
    this.authenticated = fields.authenticated;
    this.leapStatus = fields.leapStatus;
    this.configuredOptions = fields.configuredOptions;
    this.effectiveOptions = fields.effectiveOptions;
    this.lastSampleAgo = fields.lastSampleAgo;
    this.score = fields.score;
    this.lowLimit = fields.lowLimit;
    this.highLimit = fields.highLimit;
    Object.freeze(this);
  }

  /** The state as chronyc prints it, e.g. `"*"` for the best source. */
  stateSymbol(): string {
    return String.fromCharCode(this.state);
  }

  /** Whether chronyd synchronises to this source (state `*`). */
  isSelected(): boolean {
    return this.state === SelectState.BEST;
  }

  /** Whether a selection option is in effect (or, with `configured`, set in the configuration). */
  hasOption(option: SelectOption, configured = false): boolean {
    return ((configured ? this.configuredOptions : this.effectiveOptions) & option) !== 0;
  }
}

/** Builds a {@link SelectData} from the session's selectdata record. */
export function readSelectData(record: FieldReader<"selectdata">): SelectData {
  const referenceId = record.uint("reference ID");
  return new SelectData({
    referenceId,
    address: record.string("address") ?? referenceIdName(referenceId),
    state: record.uint("state") as SelectState,
    authenticated: record.uint("authentication") !== 0,
    leapStatus: record.uint("leap status") as LeapStatus,
    configuredOptions: record.uint("configured options"),
    effectiveOptions: record.uint("effective options"),
    lastSampleAgo: record.uint("last sample ago"),
    score: record.float("score"),
    lowLimit: record.float("low limit"),
    highLimit: record.float("high limit"),
  });
}
