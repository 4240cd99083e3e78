// The testing hook: ChronyConnection.open() without `lib` asks a provider
// registered on globalThis[Symbol.for("@chrony/bindings/lib-override")].
import { afterEach, describe, expect, it } from "vitest";
import { ChronyConnection, ChronyLibraryError, LIB_OVERRIDE_SYMBOL, type ChronyConnectionOptions, type ChronyLibOverride } from "../src/index.js";
import { labServer } from "./fixtures.js";

const slot = globalThis as { [LIB_OVERRIDE_SYMBOL]?: ChronyLibOverride };

afterEach(() => {
  delete slot[LIB_OVERRIDE_SYMBOL];
});

describe("lib override hook", () => {
  it("is the well-known global symbol", () => {
    expect(LIB_OVERRIDE_SYMBOL).toBe(Symbol.for("@chrony/bindings/lib-override"));
  });

  it("gives open() without `lib` the provider's lib, and passes it the options", async () => {
    const lib = labServer();
    const seen: ChronyConnectionOptions[] = [];
    slot[LIB_OVERRIDE_SYMBOL] = (options) => {
      seen.push(options);
      return lib;
    };
    await using connection = await ChronyConnection.open({ address: "127.0.0.1", timeoutMs: 500 });
    expect((await connection.getTracking()).stratum).toBe(4);
    expect(seen).toEqual([{ address: "127.0.0.1", timeoutMs: 500 }]);
  });

  it("is not asked when `lib` is given", async () => {
    let asked = 0;
    slot[LIB_OVERRIDE_SYMBOL] = () => {
      asked++;
      return undefined;
    };
    await using connection = await ChronyConnection.open({ lib: labServer(), address: "127.0.0.1" });
    await connection.getTracking();
    expect(asked).toBe(0);
  });

  it("falls through to the native library when the provider returns undefined, or after removal", async () => {
    let asked = 0;
    slot[LIB_OVERRIDE_SYMBOL] = () => {
      asked++;
      return undefined;
    };
    const missing = { address: "127.0.0.1", libraryPath: "/nonexistent/libchrony.so" };
    const saved = process.env.LIBCHRONY_PATH;
    process.env.LIBCHRONY_PATH = "/nonexistent/libchrony.so";
    try {
      await expect(ChronyConnection.open(missing)).rejects.toBeInstanceOf(ChronyLibraryError);
      expect(asked).toBe(1);
      delete slot[LIB_OVERRIDE_SYMBOL];
      await expect(ChronyConnection.open(missing)).rejects.toBeInstanceOf(ChronyLibraryError);
      expect(asked).toBe(1);
    } finally {
      if (saved === undefined) delete process.env.LIBCHRONY_PATH;
      else process.env.LIBCHRONY_PATH = saved;
    }
  });

  it("ignores a non-function value on the symbol", async () => {
    (globalThis as Record<symbol, unknown>)[LIB_OVERRIDE_SYMBOL] = { not: "a function" };
    const saved = process.env.LIBCHRONY_PATH;
    process.env.LIBCHRONY_PATH = "/nonexistent/libchrony.so";
    try {
      await expect(ChronyConnection.open({ address: "127.0.0.1", backend: "libchrony" })).rejects.toBeInstanceOf(ChronyLibraryError);
    } finally {
      if (saved === undefined) delete process.env.LIBCHRONY_PATH;
      else process.env.LIBCHRONY_PATH = saved;
    }
  });
});
