/**
 * The fake chronyd against real ones: every request datagram recorded from
 * real chronyc and chronyd (and every probe of our own sent to the same
 * chronyd), one fixture pair per chronyd version in
 * `@chrony/protocol`'s `test/fixtures`, fed to the pure handler serving a
 * state of that version. The fake must answer like the real one: a reply
 * exactly when chronyd replied, of the same length, with the same header
 * (reply code, status, command and sequence echo); a status-only reply byte
 * for byte. Field values differ (the fake serves its own state), so record
 * data is not compared.
 */
import { describe, expect, it } from "vitest";
import { PROTOCOL, SourceState } from "@chrony/fields";
import { normalizeState, validateConfig, type ChronyStateConfig } from "@chrony/mock-session";
import { EXTRA_CODES, HEADER } from "@chrony/protocol";
import { handleRequest } from "../src/index.js";
import { chronycVersion, fromHex, readRecording, recordingFiles, versionNumber } from "../../protocol/test/recordings.js";

/** A state like the recordings' lab: synchronised to 127.0.0.1, with 127.0.0.2 never heard from, time smoothing on, no RTC. */
function labState(serverVersion: string): ChronyStateConfig {
  return {
    serverVersion,
    sources: [
      { address: "127.0.0.1", stratum: 3, poll: -4 },
      { address: "127.0.0.2", state: SourceState.NONSELECTABLE, stratum: 0, poll: 0, reachability: 0 },
    ],
    smoothing: {},
    rtc: null,
  };
}

const RECORDINGS = recordingFiles().map((file) => ({
  file,
  recording: readRecording(file),
})).sort((a, b) => versionNumber(a.recording.chronyd) - versionNumber(b.recording.chronyd) || a.file.localeCompare(b.file));

it("finds the recordings of every chronyd version", () => {
  expect(RECORDINGS.length).toBeGreaterThanOrEqual(12);
  expect([...new Set(RECORDINGS.map((r) => r.recording.chronyd))]).toEqual(["4.0", "4.2", "4.3", "4.4", "4.6", "4.8"]);
});

for (const { file, recording } of RECORDINGS) {
  const chronyc = chronycVersion(recording);
  const udp = recording.transport === "udp";

  describe(`chronyd ${recording.chronyd} (chronyc ${chronyc}), ${udp ? "UDP" : "Unix socket"}`, () => {
    it(`the state accepts serverVersion "${recording.chronyd}"`, () => {
      const config = labState(recording.chronyd);
      expect(() => validateConfig(config)).not.toThrow();
      expect(normalizeState(config).version).toBe(versionNumber(recording.chronyd));
    });

    const state = normalizeState(labState(recording.chronyd));
    const datagrams = [
      ...recording.exchanges.map((e, i) => ({ name: `#${i} ${e.invocation}: ${e.command}`, ...e })),
      ...(recording.probes ?? []).map((p) => ({ name: `probe ${p.probe}`, ...p })),
    ];

    it.each(datagrams.map((d) => [d.name, d] as const))(`%s (${file}): answered as chronyd answered`, (_, d) => {
      const outcome = handleRequest(state, fromHex(d.request), { udpRestrictions: udp });
      if (d.reply === null) {
        expect(outcome.kind).toBe("drop");
        return;
      }
      const real = fromHex(d.reply);
      expect(outcome.kind).toBe("reply");
      if (outcome.kind !== "reply") return;
      const fake = outcome.reply;
      const status = new DataView(real.buffer).getUint16(HEADER.replyStatus);
      expect(outcome.status).toBe(status);
      expect(fake.length).toBe(real.length);
      // The whole header: version, packet type, command echo, reply code, status, sequence echo, zero padding.
      expect(Buffer.from(fake.subarray(0, PROTOCOL.replyHeaderLength)).toString("hex")).toBe(Buffer.from(real.subarray(0, PROTOCOL.replyHeaderLength)).toString("hex"));
      // A status-only reply is nothing but its header.
      if (real.length === PROTOCOL.replyHeaderLength) expect(fake).toEqual(real);
      // Replies that carry nothing of the served state are identical too: no manual samples; a source's name is its configured address.
      const command = new DataView(real.buffer).getUint16(HEADER.command);
      if (command === EXTRA_CODES.REQ_MANUAL_LIST || command === EXTRA_CODES.REQ_NTP_SOURCE_NAME) expect(fake).toEqual(real);
    });
  });
}
