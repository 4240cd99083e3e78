/**
 * A small scripted ChronyLib in TypeScript for the connection tests. Field
 * layouts come from @chrony/fields; values are given per report by field
 * name. It behaves like libchrony where the tests need it: counted vs
 * uncounted reports, INT16 read without sign extension, reference-clock
 * sources, empty ntpdata/authdata records, per-record error codes.
 */
import {
  ChronyErr,
  ChronyFieldContent,
  ChronyFieldType,
  CONSTANT_SETS,
  errorString,
  REPORTS,
  SourceMode,
  type ChronyLib,
  type ChronySessionHandle,
  type FieldDef,
  type ReportName,
  type SessionOut,
} from "@chrony/fields";

export type FakeValue = number | bigint | string | null | { sec: number | bigint; nsec: number };
export type FakeRecord = Readonly<Record<string, FakeValue>>;
/** A record, or a `chrony_err` its request ends with, or `"empty"` (0 fields: refclock ntpdata/authdata). */
export type FakeEntry = FakeRecord | { error: number } | "empty";
export interface FakeReport {
  /** Response variant (index into REPORTS[name].responses); default: the newest. */
  variant?: number;
  entries: FakeEntry[];
}

interface FakeSession extends ChronySessionHandle {
  id: number;
  fd: number;
  pending: boolean;
  status: number;
  report: ReportName | null;
  count: number;
  record: FakeRecord | null;
  fields: readonly FieldDef[];
}

export class FakeLib implements ChronyLib {
  readonly reports: Partial<Record<ReportName, FakeReport>>;
  /** Every request sent, as `report#index` (`report#count` for counts). */
  readonly sent: string[] = [];
  /** Addresses passed to chrony_open_socket, in order. */
  readonly opened: string[] = [];
  readonly openFds = new Set<number>();
  readonly liveSessions = new Set<number>();
  /** errno for addresses that fail to open. */
  readonly openErrno = new Map<string, number>();
  /** How many upcoming waitReadable calls resolve false (a silent server). */
  silentResponses = 0;
  /** `chrony_err` codes the next process_response calls return (e.g. RECV_FAILED after a restart). */
  readonly processFailures: number[] = [];
  private nextFd = 100;
  private nextSession = 1;
  private errno = 0;

  constructor(reports: Partial<Record<ReportName, FakeReport>>) {
    this.reports = reports;
  }

  /** Whether a reply is reported readable at once, without a promise, as the real transports do when it is there. */
  readyAtOnce = false;

  waitReadable = (_fd: number, _timeoutMs: number): boolean | Promise<boolean> => {
    if (this.readyAtOnce && this.silentResponses === 0) return true;
    return new Promise<boolean>((resolve) =>
      setImmediate(() => {
        const silent = this.silentResponses > 0;
        if (silent) this.silentResponses--;
        resolve(!silent);
      }),
    );
  };

  lastErrno = (): number => this.errno;

  chrony_open_socket(address: string | null): number {
    this.opened.push(address ?? "");
    const errno = this.openErrno.get(address ?? "");
    if (errno !== undefined) {
      this.errno = errno;
      return -1;
    }
    const fd = this.nextFd++;
    this.openFds.add(fd);
    return fd;
  }
  chrony_close_socket(fd: number): void {
    this.openFds.delete(fd);
  }
  chrony_get_error_string(e: number): string {
    return errorString(e);
  }
  chrony_init_session(out: SessionOut, fd: number): number {
    const session: FakeSession = { id: this.nextSession++, fd, pending: false, status: 0, report: null, count: 0, record: null, fields: [] };
    this.liveSessions.add(session.id);
    out[0] = session;
    return ChronyErr.OK;
  }
  chrony_deinit_session(s: ChronySessionHandle): void {
    this.liveSessions.delete(this.session(s).id);
  }
  chrony_get_fd(s: ChronySessionHandle): number {
    return this.session(s).fd;
  }
  chrony_needs_response(s: ChronySessionHandle): boolean {
    return this.session(s).pending;
  }
  chrony_process_response(s: ChronySessionHandle): number {
    const session = this.session(s);
    if (!session.pending) return ChronyErr.UNEXPECTED_CALL;
    const failure = this.processFailures.shift();
    if (failure !== undefined) return failure;
    session.pending = false;
    return session.status;
  }
  chrony_get_number_supported_reports(): number {
    return Object.keys(REPORTS).length;
  }
  chrony_get_report_name(report: number): string | null {
    return Object.values(REPORTS).find((r) => r.index === report)?.name ?? null;
  }
  chrony_request_report_number_records(s: ChronySessionHandle, name: string): number {
    const session = this.session(s);
    if (!(name in REPORTS)) return ChronyErr.UNKNOWN_REPORT;
    const report = name as ReportName;
    session.report = report;
    session.record = null;
    session.fields = [];
    session.count = this.reports[report]?.entries.length ?? 0;
    if (!REPORTS[report].countRequest) {
      session.count = 1;
      return ChronyErr.OK;
    }
    return this.send(session, `${report}#count`, ChronyErr.OK);
  }
  chrony_get_report_number_records(s: ChronySessionHandle): number {
    return this.session(s).count;
  }
  chrony_request_record(s: ChronySessionHandle, name: string, index: number): number {
    const session = this.session(s);
    if (!(name in REPORTS)) return ChronyErr.UNKNOWN_REPORT;
    const report = name as ReportName;
    const definition = this.reports[report];
    const entry = definition?.entries[index];
    session.record = null;
    session.fields = [];
    if (entry === undefined) return this.send(session, `${report}#${index}`, definition ? ChronyErr.UNEXPECTED_STATUS : ChronyErr.DISABLED);
    if (entry === "empty") return ChronyErr.OK; // like libchrony for a reference clock: nothing sent
    if ("error" in entry) return this.send(session, `${report}#${index}`, entry.error as number);
    const responses = REPORTS[report].responses;
    session.fields = responses[definition!.variant ?? responses.length - 1]!.fields;
    session.record = entry;
    return this.send(session, `${report}#${index}`, ChronyErr.OK);
  }
  chrony_get_record_number_fields(s: ChronySessionHandle): number {
    const session = this.session(s);
    return session.pending ? 0 : session.fields.length;
  }
  chrony_get_field_name(s: ChronySessionHandle, field: number): string | null {
    return this.field(s, field)?.name ?? null;
  }
  chrony_get_field_index(s: ChronySessionHandle, name: string): number {
    const session = this.session(s);
    return session.fields.findIndex((_, index) => this.field(s, index)?.name === name);
  }
  chrony_get_field_type(s: ChronySessionHandle, field: number): number {
    const def = this.field(s, field);
    return def ? ChronyFieldType[def.type] : ChronyFieldType.NONE;
  }
  chrony_get_field_content(s: ChronySessionHandle, field: number): number {
    const def = this.field(s, field);
    return def ? ChronyFieldContent[def.content] : ChronyFieldContent.NONE;
  }
  chrony_get_field_uinteger(s: ChronySessionHandle, field: number): number | bigint {
    const value = this.value(s, field, "UINTEGER");
    return typeof value === "number" || typeof value === "bigint" ? value : 0;
  }
  chrony_get_field_integer(s: ChronySessionHandle, field: number): number | bigint {
    const value = this.value(s, field, "INTEGER");
    if (typeof value !== "number") return 0;
    // libchrony's ntohs() into int64_t: INT16 loses its sign.
    return this.field(s, field)?.wire === "int16" ? value & 0xffff : value;
  }
  chrony_get_field_float(s: ChronySessionHandle, field: number): number {
    const value = this.value(s, field, "FLOAT");
    return typeof value === "number" ? value : Number.NaN;
  }
  chrony_get_field_timespec(s: ChronySessionHandle, field: number) {
    const value = this.value(s, field, "TIMESPEC");
    return value !== null && typeof value === "object" ? { tv_sec: value.sec, tv_nsec: value.nsec } : { tv_sec: 0, tv_nsec: 0 };
  }
  chrony_get_field_string(s: ChronySessionHandle, field: number): string | null {
    const value = this.value(s, field, "STRING");
    return typeof value === "string" ? value : null;
  }
  chrony_get_field_constant_name(s: ChronySessionHandle, field: number, value: number | bigint): string | null {
    const def = this.field(s, field);
    return def?.constants ? CONSTANT_SETS[def.constants].nameOf(value) : null;
  }

  private send(session: FakeSession, request: string, status: number): number {
    this.sent.push(request);
    session.pending = true;
    session.status = status;
    return ChronyErr.OK;
  }

  private session(s: ChronySessionHandle): FakeSession {
    return s as FakeSession;
  }

  /** The field as the current record presents it (the sources address turns into a reference ID for reference clocks). */
  private field(s: ChronySessionHandle, index: number): { name: string; type: FieldDef["type"] | "UINTEGER"; content: FieldDef["content"]; wire: string; constants: FieldDef["constants"] } | undefined {
    const session = this.session(s);
    const def = session.pending ? undefined : session.fields[index];
    if (!def) return undefined;
    if (def.referenceClockForm && session.record?.mode === SourceMode.REFERENCE_CLOCK) return { ...def.referenceClockForm, constants: null };
    return def;
  }

  private value(s: ChronySessionHandle, index: number, type: string): FakeValue {
    const def = this.field(s, index);
    if (!def || def.type !== type) return null;
    return this.session(s).record?.[def.name] ?? null;
  }
}
