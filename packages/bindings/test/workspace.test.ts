// Workspace smoke test (owned by the monorepo tooling): the package and its
// @chrony/* dependencies load through their built `exports` (dist/).
import { describe, expect, it } from "vitest";
import * as dep0 from "@chrony/fields";
import * as self from "../src/index.js";

describe("@chrony/bindings workspace wiring", () => {
  it("loads its own entry point", () => {
    expect(typeof self.ChronyConnection).not.toBe("undefined");
  });
  it("resolves @chrony/fields through its built exports", () => {
    expect(Object.keys(dep0).length).toBeGreaterThan(0);
  });
});
