/**
 * Captured with `chrony-ts capture --redact` from chronyd 4.3 with `local
 * stratum 3` and no sources, serving NTP on loopback to the other captures,
 * on Debian 12
 * (all on loopback, `chronyd -x`). Loopback addresses are kept by redaction.
 * The file is the capture as written, without `$schema`.
 */
export const CAPTURE = {
  "serverVersion": "4.3",
  "tracking": {
    "referenceId": 2139029761,
    "referenceIp": null,
    "stratum": 3,
    "leapStatus": 0,
    "refTime": {
      "sec": "1795676093",
      "nsec": 842359856
    },
    "offset": 0,
    "lastOffset": 0,
    "rmsOffset": 0,
    "frequency": 0,
    "residualFreq": 0,
    "skew": 0,
    "rootDelay": 0,
    "rootDispersion": 0,
    "updateInterval": 0
  },
  "sources": [],
  "rtc": null,
  "smoothing": null,
  "activity": {
    "onlineSources": 0,
    "offlineSources": 0,
    "burstOnlineReturnSources": 0,
    "burstOfflineReturnSources": 0,
    "unresolvedSources": 0
  },
  "serverstats": {
    "receivedNtpRequests": 666,
    "acceptedNtsKeConnections": 0,
    "receivedCommandRequests": 8,
    "droppedNtpRequests": 0,
    "droppedNtsKeConnections": 0,
    "droppedCommandRequests": 0,
    "droppedClientLogRecords": 0,
    "receivedAuthenticatedNtpRequests": 0,
    "receivedInterleavedNtpRequests": 0,
    "heldNtpTimestamps": 0,
    "ntpTimestampSpan": 0,
    "servedDaemonRxTimestamps": 0,
    "servedDaemonTxTimestamps": 0,
    "servedKernelRxTimestamps": 0,
    "servedKernelTxTimestamps": 0,
    "servedHardwareRxTimestamps": 0,
    "servedHardwareTxTimestamps": 0
  }
} as const;
