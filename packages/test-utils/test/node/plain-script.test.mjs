// No test runner at all: what a mocha, ava, … test does with these helpers is
// plain async code; this file runs them with node:assert only and is picked up
// by `node --test` just as a script. (jest: see test/jest/.)
import assert from "node:assert/strict";
import { ChronyConnection } from "@chrony/bindings";
import { makeSource, setupChronyMock } from "@chrony/test-utils";

// beforeAll
const chrony = setupChronyMock("multi-source");
chrony.listen();
try {
  // test 1 — code under test opens its own connection
  const reachable = await chrony.run(async () => {
    const connection = await ChronyConnection.open();
    try {
      return (await connection.getSources()).filter((s) => s.isReachable()).length;
    } finally {
      await connection.close();
    }
  });
  assert.equal(reachable, 4);

  // test 2 — override, then reset (afterEach)
  chrony.use({ sources: [] });
  const connection = await ChronyConnection.open();
  assert.equal((await connection.getSources()).length, 0);
  await connection.close();
  chrony.resetHandlers();

  // a factory
  assert.equal(makeSource({ reachability: 0 }).isReachable(), false);
} finally {
  // afterAll
  chrony.close();
}
assert.equal(globalThis[Symbol.for("@chrony/bindings/lib-override")], undefined);
console.log("plain script: ok");
