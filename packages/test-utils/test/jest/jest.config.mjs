// jest in native ESM mode over the built package: no transform, .mjs tests only.
export default {
  rootDir: ".",
  testMatch: ["<rootDir>/*.test.mjs"],
  transform: {},
  testEnvironment: "node",
};
