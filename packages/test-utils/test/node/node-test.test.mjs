// The same helpers under node:test — no vitest loaded. Run by `pnpm test`
// (`node --test test/node/`) against the built package (dist/), by name.
// Plain JavaScript on Node 20 has no `await using`: close in `finally`, or use withMockChrony.
import assert from "node:assert/strict";
import { after, afterEach, before, describe, it } from "node:test";
import { ChronyConnection, ChronyDataError, ChronyTimeoutError } from "@chrony/bindings";
import {
  ChronyMockLeakError,
  faults,
  makeTracking,
  openMockConnection,
  SCENARIOS,
  setupChronyMock,
  withMockChrony,
} from "@chrony/test-utils";

const INSERT_SECOND = 1;

/** Code under test that opens its own connection. */
async function leapPending() {
  const connection = await ChronyConnection.open({ timeoutMs: 20, retries: 0 });
  try {
    return (await connection.getTracking()).isLeapPending();
  } finally {
    await connection.close();
  }
}

describe("setupChronyMock under node:test", () => {
  const chrony = setupChronyMock(SCENARIOS["ntp-synced"].config);
  before(() => chrony.listen());
  afterEach(() => chrony.resetHandlers());
  after(() => chrony.close());

  it("serves the initial state", async () => {
    assert.equal(await leapPending(), false);
  });

  it("use() overrides for one test", async () => {
    chrony.use({ tracking: { leapStatus: INSERT_SECOND } });
    assert.equal(await leapPending(), true);
  });

  it("and resetHandlers() undid it", async () => {
    assert.equal(await leapPending(), false);
  });

  it("faults", async () => {
    chrony.use(faults.noReply());
    await assert.rejects(leapPending(), ChronyTimeoutError);
  });

  it("concurrent subtests each in their own run() scope", async (t) => {
    const states = [0, 1, 2];
    await Promise.all(
      states.map((leap, i) =>
        t.test(`leap ${leap}`, () =>
          chrony.run(async () => {
            chrony.use({ tracking: { leapStatus: leap } });
            await new Promise((r) => setTimeout(r, (3 - i) * 5));
            const connection = await ChronyConnection.open();
            assert.equal((await connection.getTracking()).leapStatus, leap);
            await connection.close();
          }),
        ),
      ),
    );
  });

  it("a throwing body leaves nothing open", async () => {
    let session;
    await assert.rejects(
      chrony.run(async (s) => {
        session = s;
        await ChronyConnection.open();
        throw new Error("boom");
      }),
      /boom/,
    );
    assert.deepEqual(session.openHandles, { sockets: 0, sessions: 0 });
  });

  it("a leak fails the run", async () => {
    await assert.rejects(chrony.run(() => ChronyConnection.open()), ChronyMockLeakError);
  });
});

describe("connections and factories under node:test", () => {
  it("openMockConnection with await using", async () => {
    const chrony = await openMockConnection("gps-refclock");
    try {
      assert.equal((await chrony.getTracking()).referenceIdName, "GPS");
    } finally {
      await chrony[Symbol.asyncDispose](); // closes, then checks the mock has no open handles
    }
  });

  it("withMockChrony", async () => {
    const stratum = await withMockChrony("stratum-max", async (conn) => (await conn.getTracking()).stratum);
    assert.equal(stratum, 15);
  });

  it("makeTracking", () => {
    assert.equal(makeTracking({ leapStatus: INSERT_SECOND }).isLeapPending(), true);
    assert.throws(() => makeTracking({ stratum: 99 }), (e) => e instanceof ChronyDataError && e.field === "stratum");
  });

  it("the global hook is gone after close()", () => {
    const m = setupChronyMock();
    m.listen();
    m.close();
    assert.equal(globalThis[Symbol.for("@chrony/bindings/lib-override")], undefined);
  });
});
