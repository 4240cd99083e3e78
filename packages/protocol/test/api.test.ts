/** libchrony's C API over a transport: what it asks of the transport and how it reports failures. */
import { ChronyErr, PROTOCOL, REPORTS, type SessionOut } from "@chrony/fields";
import { describe, expect, it } from "vitest";
import { Errno, HEADER, createLibChrony, encodeReply, parseRequestHeader, type DatagramTransport } from "../src/index.js";

/** A transport whose sockets answer every request with `reply(request)` (or stay silent for `null`). */
function scripted(reply: (request: Uint8Array) => Uint8Array | null, opens: (address: string) => number = () => 0) {
  const inbox: Uint8Array[] = [];
  const sent: Uint8Array[] = [];
  const transport: DatagramTransport & { sent: Uint8Array[]; inbox: Uint8Array[]; opened: string[] } = {
    sent,
    inbox,
    opened: [],
    open(address) {
      transport.opened.push(address);
      return opens(address);
    },
    send(_handle, datagram) {
      sent.push(datagram.slice());
      const answer = reply(datagram);
      if (answer) inbox.push(answer);
      return 0;
    },
    receive(_handle, buffer) {
      const next = inbox.shift();
      if (!next) return -Errno.EAGAIN;
      buffer.set(next);
      return next.length;
    },
    waitReadable: async () => inbox.length > 0,
    close: () => undefined,
  };
  return transport;
}

const trackingReply = (request: Uint8Array) =>
  encodeReply(parseRequestHeader(request)!, { kind: "record", response: REPORTS.tracking.responses[0], values: { stratum: 3 } });

function session(lib: ReturnType<typeof createLibChrony>) {
  const out: SessionOut = [null];
  expect(lib.chrony_init_session(out, lib.chrony_open_socket("127.0.0.1"))).toBe(ChronyErr.OK);
  return out[0]!;
}

describe("createLibChrony", () => {
  it("reads a record through the transport, the request padded to the reply's length", () => {
    const transport = scripted(trackingReply);
    const lib = createLibChrony(transport);
    const s = session(lib);
    expect(lib.chrony_request_record(s, "tracking", 0)).toBe(ChronyErr.OK);
    expect(lib.chrony_needs_response(s)).toBe(true);
    expect(lib.chrony_process_response(s)).toBe(ChronyErr.OK);
    expect(lib.chrony_get_field_uinteger(s, lib.chrony_get_field_index(s, "stratum"))).toBe(3);
    expect(transport.sent[0]!.length).toBe(PROTOCOL.replyHeaderLength + 76);
  });

  it("draws a fresh random sequence number for every request", () => {
    const transport = scripted(trackingReply);
    const lib = createLibChrony(transport);
    const s = session(lib);
    for (let i = 0; i < 20; i++) {
      lib.chrony_request_record(s, "tracking", 0);
      lib.chrony_process_response(s);
    }
    const sequences = new Set(transport.sent.map((d) => new DataView(d.buffer).getUint32(HEADER.requestSequence)));
    expect(sequences.size).toBe(20);
  });

  it("ignores a reply to another request and keeps waiting", () => {
    const transport = scripted((request) => {
      const reply = trackingReply(request);
      new DataView(reply.buffer).setUint32(HEADER.replySequence, 12345);
      return reply;
    });
    const lib = createLibChrony(transport);
    const s = session(lib);
    lib.chrony_request_record(s, "tracking", 0);
    expect(lib.chrony_process_response(s)).toBe(ChronyErr.OK);
    expect(lib.chrony_needs_response(s)).toBe(true);
  });

  it("passes the transport's errno on: open, send and receive failures", () => {
    const refused = scripted(() => null, () => -Errno.ENOENT);
    const lib = createLibChrony(refused);
    expect(lib.chrony_open_socket("/run/chrony/chronyd.sock")).toBe(-1);
    expect(lib.lastErrno!()).toBe(Errno.ENOENT);

    const silent = scripted(() => null);
    const quiet = createLibChrony(silent);
    const s = session(quiet);
    quiet.chrony_request_record(s, "tracking", 0);
    expect(quiet.chrony_process_response(s)).toBe(ChronyErr.RECV_FAILED);
    expect(quiet.lastErrno!()).toBe(Errno.EAGAIN);

    const full: DatagramTransport = { ...silent, send: () => Errno.EAGAIN };
    const blocked = createLibChrony(full);
    const b = session(blocked);
    expect(blocked.chrony_request_record(b, "tracking", 0)).toBe(ChronyErr.SEND_FAILED);
    expect(blocked.lastErrno!()).toBe(Errno.EAGAIN);
  });

  it("tries libchrony's default addresses in order for a null address", () => {
    const transport = scripted(() => null, (address) => (address.startsWith("/") ? -Errno.ENOENT : 7));
    const lib = createLibChrony(transport);
    expect(lib.chrony_open_socket(null)).toBe(7);
    expect(transport.opened).toEqual(["/var/run/chrony/chronyd.sock", "127.0.0.1:323"]);
  });

  it("reads a timespec's seconds as libchrony's signed 64-bit time_t: a number while exact, else a bigint", () => {
    const cases: [bigint, number | bigint][] = [
      [0n, 0],
      [1_700_000_000n, 1_700_000_000],
      [2n ** 53n - 1n, Number.MAX_SAFE_INTEGER],
      [2n ** 53n, 2n ** 53n],
      [2n ** 63n - 1n, 2n ** 63n - 1n],
      // The sign bit set: negative seconds, as a time_t holds them.
      [2n ** 64n - 5n, -5],
      [2n ** 63n, -(2n ** 63n)],
    ];
    for (const [onWire, expected] of cases) {
      const lib = createLibChrony(
        scripted((request) =>
          encodeReply(parseRequestHeader(request)!, {
            kind: "record",
            response: REPORTS.tracking.responses[0],
            values: { "reference time": { seconds: onWire, nanoseconds: 999_999_999 } },
          }),
        ),
      );
      const s = session(lib);
      lib.chrony_request_record(s, "tracking", 0);
      expect(lib.chrony_process_response(s)).toBe(ChronyErr.OK);
      expect(lib.chrony_get_field_timespec(s, lib.chrony_get_field_index(s, "reference time")), String(onWire)).toEqual({
        tv_sec: expected,
        tv_nsec: 999_999_999,
      });
    }
  });

  it("refuses a session after chrony_deinit_session() with a TypeError, not a crash", () => {
    const lib = createLibChrony(scripted(trackingReply));
    const s = session(lib);
    lib.chrony_deinit_session(s);
    expect(() => lib.chrony_needs_response(s)).toThrow(TypeError);
  });
});
