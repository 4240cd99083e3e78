import { defineConfig } from "vitest/config";

// Tests of the workspace's own tooling (scripts/*.mjs), run by `pnpm test:scripts`.
export default defineConfig({
  test: {
    root: import.meta.dirname,
    include: ["test/**/*.test.ts"],
  },
});
