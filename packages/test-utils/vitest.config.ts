import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    // test/node/*.test.mjs run under node:test (`node --test test/node/`), not vitest.
    include: ["test/**/*.test.ts"],
    benchmark: { include: ["test/**/*.bench.ts"] },
  },
});
