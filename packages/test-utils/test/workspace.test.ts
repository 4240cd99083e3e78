// Workspace smoke test (owned by the monorepo tooling): the package and its
// @chrony/* dependencies load through their built `exports` (dist/).
import { describe, expect, it } from "vitest";
import * as dep0 from "@chrony/bindings";
import * as dep1 from "@chrony/mock-session";
import * as dep2 from "@chrony/scenarios";
import * as self from "../src/index.js";

describe("@chrony/test-utils workspace wiring", () => {
  it("loads its own entry point", () => {
    expect(typeof self.setupChronyMock).not.toBe("undefined");
  });
  it("resolves @chrony/bindings through its built exports", () => {
    expect(Object.keys(dep0).length).toBeGreaterThan(0);
  });
  it("resolves @chrony/mock-session through its built exports", () => {
    expect(Object.keys(dep1).length).toBeGreaterThan(0);
  });
  it("resolves @chrony/scenarios through its built exports", () => {
    expect(Object.keys(dep2).length).toBeGreaterThan(0);
  });
});
