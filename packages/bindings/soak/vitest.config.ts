import { defineConfig } from "vitest/config";

/** `pnpm --filter @chrony/bindings soak`: the failure-mode soak against a real chronyd; not part of `pnpm test`. */
export default defineConfig({
  test: {
    include: ["soak/**/*.soak.ts"],
    testTimeout: 120_000,
    hookTimeout: 60_000,
  },
});
