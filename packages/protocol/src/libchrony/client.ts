/**
 * libchrony 0.2's client.c session state machine in TypeScript: the same
 * states, the same follow-up request for address-argument reports, the same
 * answers to calls out of order.
 */
import { ChronyErr, PROTOCOL, REPORTS, isReportName, type ReportDef, type ResponseDef } from "@chrony/fields";
import { readAddress } from "../wire/address.js";
import { fieldOffset } from "../wire/layout.js";
import {
  Message,
  formatRequest,
  getFieldString,
  getFieldUinteger,
  isReportFields,
  isResponseValid,
  processResponse,
  type RequestArgument,
} from "./message.js";

/** The datagram socket a session talks through. */
export interface DatagramSocket {
  /** Sends a datagram; `false` when sending fails. */
  send(datagram: Uint8Array): boolean;
  /** Receives the next datagram into `buffer`; its length, or -1 when receiving fails. */
  receive(buffer: Uint8Array): number;
}

const enum State {
  Idle,
  RequestSent,
  ResponseReceived,
  ResponseAccepted,
}

const SOURCESTATS = REPORTS.sourcestats as ReportDef;
/** libchrony copies the address from the sourcestats reply's second field (client.c `get_field_position(…, 1)`). */
const SOURCESTATS_ADDRESS_POSITION = PROTOCOL.replyHeaderLength + fieldOffset(SOURCESTATS.responses[0]!.fields, 1);

/** One libchrony session (client.c `struct chrony_session_t`). */
export class ClientSession {
  private state = State.Idle;
  private countRequested = false;
  private requestedRecord = 0;
  private expectedResponses: readonly ResponseDef[] = [];
  private readonly requestMsg = new Message();
  readonly responseMsg = new Message();
  private numRecords = 0;
  private followReport: string | null = null;

  constructor(
    readonly fd: number,
    private readonly socket: DatagramSocket,
    private readonly nextSequence: () => number,
  ) {}

  get needsResponse(): boolean {
    return this.state === State.RequestSent;
  }

  get numberRecords(): number {
    return this.numRecords;
  }

  processResponse(): ChronyErr {
    if (this.state !== State.RequestSent) return ChronyErr.UNEXPECTED_CALL;
    const response = this.responseMsg;
    response.clear();
    const len = this.socket.receive(response.bytes);
    if (len < 0) return ChronyErr.RECV_FAILED;
    response.len = len;
    // A reply to an earlier request (or noise) is dropped; the session keeps waiting.
    if (!isResponseValid(this.requestMsg, response)) return ChronyErr.OK;

    this.state = State.ResponseReceived;
    const error = processResponse(response, this.expectedResponses);
    if (error !== ChronyErr.OK) return error;
    this.state = State.ResponseAccepted;

    if (this.countRequested) this.numRecords = Number(getFieldUinteger(response, 0));
    if (this.followReport !== null) return this.requestRecord(this.followReport, this.requestedRecord);
    return ChronyErr.OK;
  }

  requestReportNumberRecords(reportName: string): ChronyErr {
    if (!isReportName(reportName)) return ChronyErr.UNKNOWN_REPORT;
    const report = REPORTS[reportName] as ReportDef;
    if (!report.countRequest) {
      this.numRecords = 1;
      return ChronyErr.OK;
    }
    const error = this.send(report.countRequest.request, null, [report.countRequest.response]);
    if (error !== ChronyErr.OK) return error;
    this.expectedResponses = [report.countRequest.response];
    this.countRequested = true;
    this.numRecords = 0;
    return ChronyErr.OK;
  }

  requestRecord(reportName: string, record: number): ChronyErr {
    this.followReport = null;
    let name = reportName;
    for (;;) {
      if (!isReportName(name)) return ChronyErr.UNKNOWN_REPORT;
      const report = REPORTS[name] as ReportDef;
      let argument: RequestArgument | null = null;
      switch (report.recordRequest.argument) {
        case "address": {
          // The address comes from the sourcestats record of the same index, fetched first if needed.
          const response = this.responseMsg;
          if (this.state !== State.ResponseAccepted || !isReportFields(SOURCESTATS, response.fields) || this.requestedRecord !== record) {
            this.followReport = name;
            name = SOURCESTATS.name;
            continue;
          }
          // An unspecified address is a reference clock: no record, and nothing is sent.
          if (getFieldString(response, 1) === null) {
            response.numFields = 0;
            return ChronyErr.OK;
          }
          argument = { address: readAddress(response.view, SOURCESTATS_ADDRESS_POSITION) };
          break;
        }
        case "index":
          argument = { index: record };
          break;
        case "none":
          if (record !== 0) return ChronyErr.INVALID_ARGUMENT;
      }
      const error = this.send(report.recordRequest, argument, report.responses);
      if (error !== ChronyErr.OK) return error;
      this.expectedResponses = report.responses;
      this.countRequested = false;
      this.requestedRecord = record;
      return ChronyErr.OK;
    }
  }

  private send(request: ReportDef["recordRequest"], argument: RequestArgument | null, expected: readonly ResponseDef[]): ChronyErr {
    formatRequest(this.requestMsg, this.nextSequence(), request, argument, expected);
    if (!this.socket.send(this.requestMsg.datagram)) {
      this.state = State.Idle;
      return ChronyErr.SEND_FAILED;
    }
    this.state = State.RequestSent;
    return ChronyErr.OK;
  }
}
