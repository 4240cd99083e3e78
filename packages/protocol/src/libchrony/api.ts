/**
 * libchrony's C API (`chrony.h`) in TypeScript over a
 * {@link DatagramTransport}: what `@chrony/bindings` drives to talk to a
 * real chronyd without the C library, and what `@chrony/mock-session`
 * wraps around its simulated one.
 */
import {
  ChronyErr,
  ChronyFieldContent,
  ChronyFieldType,
  FIELD_TYPE_OF_WIRE,
  REPORT_NAMES,
  errorString,
  type ChronyLib,
  type ChronySessionHandle,
  type LibChronyFunction,
  type SessionOut,
} from "@chrony/fields";
import { randomFillSync } from "node:crypto";
import { LIBCHRONY_SOCKET_PATH } from "../endpoint.js";
import type { DatagramTransport } from "../transport.js";
import { ClientSession, type DatagramSocket } from "./client.js";
import {
  fieldIndex,
  getFieldConstantName,
  getFieldFloat,
  getFieldInteger,
  getFieldString,
  getFieldTimespec,
  getFieldUinteger,
  resolveFieldContent,
  resolveFieldName,
  resolveWireType,
} from "./message.js";

/**
 * The C functions that act on a live session, as functions of its
 * {@link ClientSession} (`chrony_deinit_session()` is left to whoever owns
 * the handles).
 */
export const SESSION_FUNCTIONS = {
  chrony_get_fd: (c: ClientSession) => c.fd,
  chrony_needs_response: (c: ClientSession) => c.needsResponse,
  chrony_process_response: (c: ClientSession) => c.processResponse(),
  chrony_request_report_number_records: (c: ClientSession, name: string) => c.requestReportNumberRecords(name),
  chrony_get_report_number_records: (c: ClientSession) => c.numberRecords,
  chrony_request_record: (c: ClientSession, name: string, record: number) => c.requestRecord(name, record),
  chrony_get_record_number_fields: (c: ClientSession) => c.responseMsg.numFields,
  chrony_get_field_name: (c: ClientSession, field: number) => resolveFieldName(c.responseMsg, field),
  chrony_get_field_index: (c: ClientSession, name: string) => fieldIndex(c.responseMsg, name),
  chrony_get_field_type: (c: ClientSession, field: number) => {
    const wire = resolveWireType(c.responseMsg, field);
    return wire === null ? ChronyFieldType.NONE : ChronyFieldType[FIELD_TYPE_OF_WIRE[wire]];
  },
  chrony_get_field_content: (c: ClientSession, field: number) => ChronyFieldContent[resolveFieldContent(c.responseMsg, field)],
  chrony_get_field_uinteger: (c: ClientSession, field: number) => getFieldUinteger(c.responseMsg, field),
  chrony_get_field_integer: (c: ClientSession, field: number) => getFieldInteger(c.responseMsg, field),
  chrony_get_field_float: (c: ClientSession, field: number) => getFieldFloat(c.responseMsg, field),
  chrony_get_field_timespec: (c: ClientSession, field: number) => getFieldTimespec(c.responseMsg, field),
  chrony_get_field_string: (c: ClientSession, field: number) => getFieldString(c.responseMsg, field),
  chrony_get_field_constant_name: (c: ClientSession, field: number, value: number | bigint) => getFieldConstantName(c.responseMsg, field, value),
} satisfies Partial<Record<LibChronyFunction, (client: ClientSession, a: never, b: never) => unknown>>;

/** A function of {@link SESSION_FUNCTIONS}. */
export type SessionFunction = keyof typeof SESSION_FUNCTIONS;

/** Random request sequence numbers, as libchrony reads them from /dev/urandom, drawn in batches. */
export function randomSequences(): () => number {
  const batch = new Uint32Array(256);
  let next = batch.length;
  return () => {
    if (next === batch.length) {
      randomFillSync(batch);
      next = 0;
    }
    return batch[next++]!;
  };
}

/** The opaque session pointer handed out by {@link createLibChrony}. */
class SessionPointer implements ChronySessionHandle {
  client: ClientSession | null;
  constructor(client: ClientSession) {
    this.client = client;
  }
}

/** Options of {@link createLibChrony}. */
export interface LibChronyOptions {
  /** Where request sequence numbers come from (default: random, as libchrony). */
  readonly nextSequence?: () => number;
  /** Address opened for `chrony_open_socket(null)` or `""`, in order (default: libchrony's). */
  readonly defaultAddresses?: readonly string[];
}

/**
 * libchrony 0.2's whole C API over a transport. `waitReadable` and
 * `lastErrno` come from the transport, so the caller never blocks: call
 * `chrony_process_response()` once `waitReadable()` resolved `true`.
 */
export function createLibChrony(transport: DatagramTransport, options: LibChronyOptions = {}): ChronyLib {
  const nextSequence = options.nextSequence ?? randomSequences();
  const defaults = options.defaultAddresses ?? [LIBCHRONY_SOCKET_PATH, "127.0.0.1:323", "[::1]:323"];
  let errno = 0;

  const socketOf = (fd: number): DatagramSocket => ({
    send(datagram) {
      const error = transport.send(fd, datagram);
      if (error !== 0) errno = error;
      return error === 0;
    },
    receive(buffer) {
      const length = transport.receive(fd, buffer);
      if (length >= 0) return length;
      errno = -length;
      return -1;
    },
  });

  const open = (address: string): number => {
    const fd = transport.open(address);
    if (fd >= 0) return fd;
    errno = -fd;
    return -1;
  };

  const client = (s: ChronySessionHandle, fn: string): ClientSession => {
    const live = s instanceof SessionPointer ? s.client : null;
    // In C this would be undefined behaviour; here it is a clear error instead.
    if (!live) throw new TypeError(`${fn}: not a live session of this library`);
    return live;
  };

  const host = {
    chrony_open_socket(address: string | null): number {
      if (address !== null && address !== "") return open(address);
      let fd = -1;
      for (const candidate of defaults) if ((fd = open(candidate)) >= 0) break;
      return fd;
    },
    chrony_close_socket: (fd: number) => transport.close(fd),
    chrony_get_error_string: (e: number) => errorString(e),
    chrony_init_session(out: SessionOut, fd: number): number {
      out[0] = new SessionPointer(new ClientSession(fd, socketOf(fd), nextSequence));
      return ChronyErr.OK;
    },
    chrony_deinit_session(s: ChronySessionHandle): void {
      if (s instanceof SessionPointer) s.client = null;
    },
    chrony_get_number_supported_reports: () => REPORT_NAMES.length,
    chrony_get_report_name: (report: number) => REPORT_NAMES[report] ?? null,
    waitReadable: (fd: number, timeoutMs: number) => transport.waitReadable(fd, timeoutMs),
    lastErrno: () => errno,
  };
  const session = (Object.entries(SESSION_FUNCTIONS) as [SessionFunction, (c: ClientSession, a?: unknown, b?: unknown) => unknown][]).map(
    ([fn, impl]) => [fn, (s: ChronySessionHandle, a?: unknown, b?: unknown) => impl(client(s, fn), a, b)] as const,
  );
  // Made in one go: V8 turns an object that gets this many properties one by one into a hash table,
  // and every call through it would pay a lookup.
  return Object.fromEntries([...Object.entries(host), ...session]) as unknown as ChronyLib;
}
