/** Tests compile with swc (no type-check: `npm run typecheck` does that). */
module.exports = {
  testEnvironment: "node",
  // Many suites wait on child processes (synth, terraform): two workers overlap them on 2 cores.
  maxWorkers: 2,
  roots: ["<rootDir>/__tests__"],
  testMatch: ["**/*.test.ts"],
  transform: { "^.+\\.ts$": ["@swc/jest", {}] },
  setupFilesAfterEnv: ["<rootDir>/__tests__/setup.ts"],
};
