/** Tests compile with swc (no type-check: `npm run typecheck` does that). */
module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>/__tests__"],
  testMatch: ["**/*.test.ts"],
  transform: { "^.+\\.ts$": ["@swc/jest", {}] },
  setupFilesAfterEnv: ["<rootDir>/__tests__/setup.ts"],
};
