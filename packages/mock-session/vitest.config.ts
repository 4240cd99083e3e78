import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    benchmark: { include: ["test/**/*.bench.ts"] },
    // The call-log test measures the heap after global.gc().
    execArgv: ["--expose-gc"],
  },
});
