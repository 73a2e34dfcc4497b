// The fast tier as one flat jest config for StrykerJS: its jest runner wraps the test environment
// to learn which tests cover each mutant, which it cannot do through jest's `projects`.
// environment.js and filter.js run, for each mutant, only the test files that ran its code,
// sequencer.js the snapshot tests first and then the smaller files, and environment.js stops at
// the first failure. preload.js loads what the app loads lazily, so that it is every test's.
const path = require("path");
const { projects, ...shared } = require("../../jest.config");
const { displayName, ...fast } = projects.find((project) => project.displayName === "fast");
// `npm run mutate -- --tests <layer>`: that layer's test files alone (scripts/mutate.sh checks the name).
const layer = process.env.REDIS_NET_MUTATE_TESTS;
module.exports = {
  ...shared,
  ...fast,
  rootDir: path.join(__dirname, "..", ".."),
  testEnvironment: path.join(__dirname, "environment.js"),
  // After the environment's "setup" event (environment.js), as a test file's own imports are.
  setupFilesAfterEnv: [...fast.setupFilesAfterEnv, path.join(__dirname, "preload.js")],
  filter: path.join(__dirname, "filter.js"),
  testSequencer: path.join(__dirname, "sequencer.js"),
  ...(layer ? { testMatch: [`<rootDir>/__tests__/fast/${layer}/**/*.test.ts`] } : {}),
};
