/**
 * `@chrony/bindings`: a koffi binding to libchrony and {@link ChronyConnection},
 * an async, typed client for chronyd's reports. libchrony is loaded at the
 * first {@link ChronyConnection.open}, never at import.
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
  type ChronyConnectionOptions,
  type ChronyLibOverride,
} from "./connection.js";
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
