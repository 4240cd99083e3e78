import { defineConfig } from "vitest/config";

/** `pnpm --filter @chrony/bindings soak`: the failure-mode soak and the speed comparison against a real chronyd; not part of `pnpm test`. */
export default defineConfig({
  test: {
    include: ["soak/**/*.soak.ts"],
    // One file at a time: the speed comparison must not share the machine with the failure scenarios.
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 60_000,
  },
});
