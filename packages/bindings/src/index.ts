/**
 * `@chrony/bindings`: {@link ChronyConnection}, an async, typed client for
 * chronyd's reports. By default it speaks chronyd's command protocol itself
 * (`@chrony/protocol`), with no C library needed; the `"libchrony"` backend
 * binds the C library through koffi. Native code is loaded at the first
 * {@link ChronyConnection.open} that needs it, never at import.
 *
 * @packageDocumentation
 */
export {
  ChronyConnection,
  DEFAULT_RETRIES,
  DEFAULT_SOCKET_PATHS,
  DEFAULT_TIMEOUT_MS,
  DEFAULT_UDP_ADDRESSES,
  defaultAddresses,
  LIB_OVERRIDE_SYMBOL,
  UNMOCKED_HINT_SYMBOL,
  type ChronyConnectionOptions,
  type ChronyLibOverride,
  type ChronyUnmockedHint,
} from "./connection.js";
export type { ChronyBackend } from "./backend.js";
export {
  ChronyConnectionError,
  ChronyDataError,
  ChronyError,
  ChronyLibraryError,
  ChronyPermissionError,
  ChronyTimeoutError,
  PERMISSION_HINT,
  type ChronyErrorOptions,
  type LibraryLoadAttempt,
} from "./errors.js";
export {
  Activity,
  AuthData,
  MIN_SUFFICIENT_SAMPLES,
  NtpData,
  RTCData,
  SelectData,
  ServerStats,
  Smoothing,
  Source,
  SourceStats,
  TrackingStatus,
  referenceIdName,
  type ModelFields,
} from "./models/index.js";
export { INSTALL_HINT, libraryCandidates, libraryDirectories } from "./native/locate.js";
export { loadNativeLibChrony } from "./native/load.js";
export type { ChronyField, ChronyFieldValue, ChronyRecord, ChronyReport } from "./records.js";
export { timeToSeconds, type ExactTime } from "./time.js";
