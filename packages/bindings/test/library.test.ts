import { describe, expect, it, vi } from "vitest";
import { ChronyError, ChronyLibraryError, libraryCandidates, libraryDirectories } from "../src/index.js";

describe("finding libchrony", () => {
  it("tries LIBCHRONY_PATH alone, else libraryPath, else sonames then directories", () => {
    expect(libraryCandidates("/opt/x.so", { LIBCHRONY_PATH: "/env/libchrony.so" })).toEqual(["/env/libchrony.so"]);
    expect(libraryCandidates("/opt/x.so", {})).toEqual(["/opt/x.so"]);
    const defaults = libraryCandidates(undefined, {});
    expect(defaults.slice(0, 3)).toEqual(["libchrony.so.0", "libchrony.so", "/usr/lib64/libchrony.so.0"]);
    expect(defaults.at(-1)).toBe("/usr/local/lib64/libchrony.so");
    expect(libraryDirectories("x64")).toContain("/usr/lib/x86_64-linux-gnu");
    expect(libraryDirectories("arm64")).toContain("/usr/lib/aarch64-linux-gnu");
  });

  it("imports without libchrony; open() with the libchrony backend then rejects with ChronyLibraryError listing each path and the install hint", async () => {
    vi.stubEnv("LIBCHRONY_PATH", "/nonexistent/libchrony.so.0");
    vi.resetModules();
    const bindings = await import("../src/index.js");
    const error = await bindings.ChronyConnection.open({ address: "127.0.0.1", backend: "libchrony" }).catch((e: unknown) => e);
    vi.unstubAllEnvs();
    expect(error).toBeInstanceOf(bindings.ChronyLibraryError);
    const { attempts, message } = error as ChronyLibraryError;
    expect(attempts.map((attempt) => attempt.path)).toEqual(["/nonexistent/libchrony.so.0"]);
    expect(attempts[0]!.reason).not.toBe("");
    expect(message).toContain("/nonexistent/libchrony.so.0");
    expect(message).toContain("dnf install libchrony");
    expect(message).toContain("https://github.com/mlichvar/libchrony");
  });

  it("exports ChronyLibraryError as a ChronyError named after its class, with its attempts frozen", () => {
    const error = new ChronyLibraryError("x", [{ path: "/p", reason: "r" }]);
    expect(error).toBeInstanceOf(ChronyError);
    expect(error.name).toBe("ChronyLibraryError");
    expect(Object.isFrozen(error.attempts[0])).toBe(true);
  });
});
