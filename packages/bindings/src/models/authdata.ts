import { AUTH_KEY_TYPE, AUTH_MODE, AuthMode, type AuthKeyType } from "@chrony/fields";
import type { FieldReader } from "../records.js";
import { initModel, Validator, type ModelFields } from "./model.js";

/**
 * Authentication of one NTP source (`chronyc authdata`). The record carries
 * no address: entry `i` of `getAuthData()` belongs to entry `i` of
 * `getSourceStats()`.
 */
export class AuthData {
  /** None, symmetric key or NTS (`AuthMode` of `@chrony/fields`). */
  declare readonly mode: AuthMode;
  /** Key type (`AuthKeyType`), 0 without a key. */
  declare readonly keyType: AuthKeyType | 0;
  /** Key ID. */
  declare readonly keyId: number;
  /** Key length in bits. */
  declare readonly keyLength: number;
  /** NTS-KE attempts. */
  declare readonly keyEstablishmentAttempts: number;
  /** Seconds since the last NTS key establishment. */
  declare readonly lastKeyEstablishmentAgo: number;
  /** NTS cookies held. */
  declare readonly cookies: number;
  /** Length of the cookies in bytes. */
  declare readonly cookieLength: number;
  /** Whether the server answered with an NTS NAK. */
  declare readonly nak: boolean;

  /** @throws {@link ChronyDataError} for an unknown mode or key type. */
  constructor(fields: ModelFields<AuthData>) {
    const validator = new Validator("AuthData", fields).known("mode", AUTH_MODE);
    if (fields.keyType !== 0) validator.known("keyType", AUTH_KEY_TYPE);
    initModel(this, fields);
  }

  /** Whether the source is authenticated at all. */
  isAuthenticated(): boolean {
    return this.mode !== AuthMode.NONE;
  }
}

/** Builds an {@link AuthData} from the session's authdata record. */
export function readAuthData(record: FieldReader<"authdata">): AuthData {
  return new AuthData({
    mode: record.uint("mode") as AuthMode,
    keyType: record.uint("key type") as AuthKeyType | 0,
    keyId: record.uint("key ID"),
    keyLength: record.uint("key length"),
    keyEstablishmentAttempts: record.uint("key establishment attempts"),
    lastKeyEstablishmentAgo: record.uint("last key establishment ago"),
    cookies: record.uint("cookies"),
    cookieLength: record.uint("cookie length"),
    nak: record.uint("NAK") !== 0,
  });
}
