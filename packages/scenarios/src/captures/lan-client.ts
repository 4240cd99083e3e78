/**
 * Captured with `chrony-ts capture --redact` from chronyd 4.3 polling a
 * `local stratum 3` chronyd on 127.0.0.1 every 1/16 s (selected), and
 * 127.0.0.2 (the same server, answered once), on Debian 12
 * (all on loopback, `chronyd -x`). Loopback addresses are kept by redaction.
 * The file is the capture as written, without `$schema`.
 */
export const CAPTURE = {
  "serverVersion": "4.3",
  "tracking": {
    "referenceId": 2130706433,
    "referenceIp": "127.0.0.1",
    "stratum": 4,
    "leapStatus": 0,
    "refTime": {
      "sec": "1795676109",
      "nsec": 294994713
    },
    "offset": -0.000001284411382584949,
    "lastOffset": -1.3600421233661564e-8,
    "rmsOffset": 2.049569225448522e-8,
    "frequency": -0.00768929161131382,
    "residualFreq": -0.002633958589285612,
    "skew": 0.10841777175664902,
    "rootDelay": 0.000008543000149074942,
    "rootDispersion": 8.859381068759831e-7,
    "updateInterval": 0.06326588988304138
  },
  "sources": [
    {
      "address": "127.0.0.1",
      "mode": 0,
      "poll": -4,
      "stratum": 3,
      "state": 0,
      "flags": 0,
      "reachability": 255,
      "lastSampleAgo": 0,
      "origLatestMeas": 0.0000015790000134074944,
      "latestMeas": 0.0000015925995739962673,
      "latestMeasErr": 0.000006086313078412786,
      "referenceId": 2130706433,
      "sourcestats": {
        "samples": 64,
        "runs": 26,
        "span": 4,
        "stdDev": 2.776851033559069e-7,
        "residFreq": -0.002633958589285612,
        "skew": 0.10388049483299255,
        "offset": -2.7137686542388906e-10,
        "offsetErr": 0.000004434775291883852
      },
      "selectdata": {
        "state": 42,
        "authenticated": false,
        "leapStatus": 0,
        "configuredOptions": 0,
        "effectiveOptions": 0,
        "lastSampleAgo": 0,
        "score": 1,
        "lowLimit": -0.0000037933473322482314,
        "highLimit": 0.000004920763331028866
      },
      "ntpdata": {
        "localAddress": "127.0.0.1",
        "remotePort": 12123,
        "leapStatus": 0,
        "version": 4,
        "mode": 4,
        "stratum": 3,
        "poll": -4,
        "precision": -25,
        "rootDelay": 0,
        "rootDispersion": 0,
        "referenceId": 2139029761,
        "refTime": {
          "sec": "1795676093",
          "nsec": 842359855
        },
        "offset": -0.000007297000138350995,
        "peerDelay": 0.00002228700031992048,
        "peerDispersion": 5.900162136640574e-8,
        "responseTime": 0.0018962440080940723,
        "jitterAsymmetry": 0.3931187093257904,
        "flags": 1021,
        "transmitTimestamping": 75,
        "receiveTimestamping": 75,
        "transmittedMessages": 228,
        "receivedMessages": 228,
        "receivedValidMessages": 228,
        "receivedGoodMessages": 198,
        "kernelTransmitTimestamps": 0,
        "kernelReceiveTimestamps": 0,
        "hardwareTransmitTimestamps": 0,
        "hardwareReceiveTimestamps": 0
      },
      "authdata": {
        "mode": 0,
        "keyType": 0,
        "keyId": 0,
        "keyLength": 0,
        "keyEstablishmentAttempts": 0,
        "lastKeyEstablishmentAgo": 4294967295,
        "cookies": 0,
        "cookieLength": 0,
        "nak": false
      }
    },
    {
      "address": "127.0.0.2",
      "mode": 0,
      "poll": 4,
      "stratum": 3,
      "state": 1,
      "flags": 0,
      "reachability": 1,
      "lastSampleAgo": 14,
      "origLatestMeas": 0.000004175999947619857,
      "latestMeas": 0.0000026252969291817863,
      "latestMeasErr": 0.000006942734216863755,
      "referenceId": 2130706434,
      "sourcestats": {
        "samples": 1,
        "runs": 0,
        "span": 0,
        "stdDev": 4,
        "residFreq": -0.745988667011261,
        "skew": 2000,
        "offset": -0.000008188078027160373,
        "offsetErr": 4.028997421264648
      },
      "selectdata": {
        "state": 77,
        "authenticated": false,
        "leapStatus": 0,
        "configuredOptions": 0,
        "effectiveOptions": 0,
        "lastSampleAgo": 14,
        "score": 1,
        "lowLimit": -0.028798963874578476,
        "highLimit": 0.028782714158296585
      },
      "ntpdata": {
        "localAddress": "127.0.0.1",
        "remotePort": 12123,
        "leapStatus": 0,
        "version": 4,
        "mode": 4,
        "stratum": 3,
        "poll": 4,
        "precision": -25,
        "rootDelay": 0,
        "rootDispersion": 0,
        "referenceId": 2139029761,
        "refTime": {
          "sec": "1795676093",
          "nsec": 842359855
        },
        "offset": -0.000004175999947619857,
        "peerDelay": 0.000013328999557415955,
        "peerDispersion": 2.7823432446894003e-7,
        "responseTime": 0.0000963869970291853,
        "jitterAsymmetry": 0,
        "flags": 1023,
        "transmitTimestamping": 75,
        "receiveTimestamping": 75,
        "transmittedMessages": 1,
        "receivedMessages": 1,
        "receivedValidMessages": 1,
        "receivedGoodMessages": 1,
        "kernelTransmitTimestamps": 0,
        "kernelReceiveTimestamps": 0,
        "hardwareTransmitTimestamps": 0,
        "hardwareReceiveTimestamps": 0
      },
      "authdata": {
        "mode": 0,
        "keyType": 0,
        "keyId": 0,
        "keyLength": 0,
        "keyEstablishmentAttempts": 0,
        "lastKeyEstablishmentAgo": 4294967295,
        "cookies": 0,
        "cookieLength": 0,
        "nak": false
      }
    }
  ],
  "rtc": null,
  "smoothing": null,
  "activity": {
    "onlineSources": 2,
    "offlineSources": 0,
    "burstOnlineReturnSources": 0,
    "burstOfflineReturnSources": 0,
    "unresolvedSources": 0
  },
  "serverstats": {
    "receivedNtpRequests": 0,
    "acceptedNtsKeConnections": 0,
    "receivedCommandRequests": 22,
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
