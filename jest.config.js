/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>/test"],
  testMatch: ["**/*.test.ts", "**/*.test.tsx"],
  transform: {
    "^.+\\.tsx?$": ["ts-jest", { tsconfig: "tsconfig.test.json" }],
  },
  // @raycast/api ships types and a CLI only; commands are rendered against a faithful double.
  moduleNameMapper: {
    "^@raycast/api$": "<rootDir>/test/raycast/api-double.tsx",
  },
  testTimeout: 60000,
  setupFilesAfterEnv: ["<rootDir>/test/setup/testing-library.ts"],
  // A folder per run for what suites build once and share (test/helpers/once-per-run.ts).
  globalSetup: "<rootDir>/test/setup/global-setup.ts",
  globalTeardown: "<rootDir>/test/setup/global-teardown.ts",
};
