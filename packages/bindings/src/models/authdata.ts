import { AUTH_KEY_TYPE, AUTH_MODE, AuthMode, type AuthKeyType } from "@chrony/fields";
import type { FieldReader } from "../records.js";
import { Validator, type ModelFields } from "./model.js";

const CHECKS = new Validator<ModelFields<AuthData>>("AuthData").known("mode", AUTH_MODE).known("keyType", AUTH_KEY_TYPE, { zeroPasses: true });

/**
 * Authentication of one NTP source (`chronyc authdata`). The record carries
 * no address: entry `i` of `getAuthData()` belongs to entry `i` of
 * `getSourceStats()`.
 */
export class AuthData {
  /** None, symmetric key or NTS (`AuthMode` of `@chrony/fields`). */
  readonly mode: AuthMode;
  /** Key type (`AuthKeyType`), 0 without a key. */
  readonly keyType: AuthKeyType | 0;
  /** Key ID. */
  readonly keyId: number;
  /** Key length in bits. */
  readonly keyLength: number;
  /** NTS-KE attempts. */
  readonly keyEstablishmentAttempts: number;
  /** Seconds since the last NTS key establishment. */
  readonly lastKeyEstablishmentAgo: number;
  /** NTS cookies held. */
  readonly cookies: number;
  /** Length of the cookies in bytes. */
  readonly cookieLength: number;
  /** Whether the server answered with an NTS NAK. */
  readonly nak: boolean;

  /** @throws {@link ChronyDataError} for an unknown mode or key type. */
  constructor(fields: ModelFields<AuthData>) {
    CHECKS.check(fields);
    this.mode = fields.mode;
    this.keyType = fields.keyType;
    this.keyId = fields.keyId;
    this.keyLength = fields.keyLength;
    this.keyEstablishmentAttempts = fields.keyEstablishmentAttempts;
    this.lastKeyEstablishmentAgo = fields.lastKeyEstablishmentAgo;
    this.cookies = fields.cookies;
    this.cookieLength = fields.cookieLength;
    this.nak = fields.nak;
    Object.freeze(this);
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
