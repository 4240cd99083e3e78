import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    benchmark: { include: ["test/**/*.bench.ts"] },
    // Compiles test/native/fake-libchrony.c once for the koffi, leak and bench suites.
    globalSetup: ["test/native/build-fake-libchrony.ts"],
    // The leak test measures the heap after global.gc().
    execArgv: ["--expose-gc"],
    testTimeout: 30_000,
  },
});
