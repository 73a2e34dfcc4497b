/**
 * Two tiers, a folder each, by layer inside (`npx jest <file>` runs any file, in its tier):
 *   fast  `npm test`            __tests__/fast/<layer>/*.test.ts: in-process tests only, no child processes
 *   real  `npm run test:real`   __tests__/real/<layer>/*.real.test.ts: any test that starts a process: single runs
 *                               of the project's own scripts (synth, `npm run stacks`, plan.sh, terraform.sh),
 *                               terraform or OpenTofu, the cdktf CLI, redis-server, checkov or the storage servers,
 *                               builds and synths in several processes (concurrent synths, a synth per
 *                               commit), and tests of the synth process itself (its output, signals, folders)
 * `.ci/run` runs both. Tests compile with swc (no type-check: `npm run typecheck` does that).
 * `npm test` starts jest (and so its workers) with a 32 MB young generation: synthesizing stacks
 * makes many short-lived objects, and fewer scavenges made the fast tier about 8 % faster.
 * helpers/before-cdktf.ts runs before each test file loads cdktf: no token creation stacks, and
 * archiver and semver loaded on first use (docs/speed.md).
 */
const tier = (displayName, testMatch) => ({
  displayName,
  testEnvironment: "node",
  roots: ["<rootDir>/__tests__"],
  testMatch,
  transform: { "^.+\\.ts$": ["@swc/jest", {}] },
  setupFiles: ["<rootDir>/__tests__/helpers/before-cdktf.ts"],
  setupFilesAfterEnv: ["<rootDir>/__tests__/helpers/setup.ts"],
});

module.exports = {
  // The real tier waits on child processes (synth, terraform): two workers overlap them on 2 cores.
  maxWorkers: 2,
  projects: [tier("fast", ["<rootDir>/__tests__/fast/**/*.test.ts"]), tier("real", ["<rootDir>/__tests__/real/**/*.real.test.ts"])],
};
