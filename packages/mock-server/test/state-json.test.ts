/** State files in the JSON form of scenarios and captures: 64-bit values as decimal strings, `$schema` first. */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it, onTestFinished } from "vitest";
import { loadStateFile } from "../src/index.js";

describe("loadStateFile", () => {
  it("reads 64-bit counters and exact times written as decimal strings, as chrony-ts capture writes them", () => {
    const dir = mkdtempSync(join(tmpdir(), "state-json-"));
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    const file = join(dir, "capture.json");
    writeFileSync(
      file,
      JSON.stringify({
        $schema: "https://github.com/chrony-ts/chrony-ts/blob/main/packages/scenarios/json/chrony-state.schema.json",
        serverVersion: "4.4",
        tracking: { refTime: { sec: "1795676971", nsec: 496081827 } },
        serverstats: { receivedNtpRequests: "18446744073709551615" },
      }),
    );
    const { state } = loadStateFile(file);
    expect(state.tracking?.refTime).toEqual({ sec: 1795676971n, nsec: 496081827 });
    expect(state.serverstats?.receivedNtpRequests).toBe(18446744073709551615n);
  });
});
