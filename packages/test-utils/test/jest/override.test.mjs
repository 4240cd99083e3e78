// The helpers under jest (ESM mode: `node --experimental-vm-modules`, no transform),
// against the built package. Run by `pnpm test` via `jest -c test/jest/jest.config.mjs`.
import { afterAll, afterEach, beforeAll, describe, expect, test } from "@jest/globals";
import { ChronyConnection, ChronyDataError, ChronyTimeoutError } from "@chrony/bindings";
import { faults, makeTracking, openMockConnection, setupChronyMock } from "@chrony/test-utils";

/** Code under test: opens its own connection (plain JS on Node 20: no `await using`). */
async function leapStatus() {
  const connection = await ChronyConnection.open({ timeoutMs: 20, retries: 0 });
  try {
    return (await connection.getTracking()).leapStatus;
  } finally {
    await connection.close();
  }
}

describe("setupChronyMock under jest", () => {
  const chrony = setupChronyMock("ntp-synced");
  beforeAll(() => chrony.listen());
  afterEach(() => {
    chrony.resetHandlers();
  });
  afterAll(() => chrony.close());

  test("initial state", async () => {
    expect(await leapStatus()).toBe(0);
  });

  test("use() for one test", async () => {
    chrony.use({ tracking: { leapStatus: 2 } });
    expect(await leapStatus()).toBe(2);
  });

  test("reset after it", async () => {
    expect(await leapStatus()).toBe(0);
  });

  test("a fault", async () => {
    chrony.use(faults.noReply());
    await expect(leapStatus()).rejects.toBeInstanceOf(ChronyTimeoutError);
  });

  test.concurrent.each([[1], [2], [3]])("concurrent scope, leap %i", (leap) =>
    chrony.run(async () => {
      chrony.use({ tracking: { leapStatus: leap } });
      await new Promise((resolve) => setTimeout(resolve, (4 - leap) * 5));
      expect(await leapStatus()).toBe(leap);
    }),
  );
});

test("openMockConnection + factories", async () => {
  const chrony = await openMockConnection("gps-refclock");
  try {
    expect((await chrony.getTracking()).referenceIdName).toBe("GPS");
  } finally {
    await chrony[Symbol.asyncDispose]();
  }
  expect(() => makeTracking({ stratum: 42 })).toThrow(ChronyDataError);
});

test("the hook is gone after close()", () => {
  expect(globalThis[Symbol.for("@chrony/bindings/lib-override")]).toBeUndefined();
});
