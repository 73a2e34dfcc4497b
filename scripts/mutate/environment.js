// The fast tier's test environment under StrykerJS, which wraps it to learn which tests run each
// mutant. Stryker counts whatever runs outside a test (a test file's top level, its describe blocks,
// its beforeAll hooks: where the stacks are synthesized once for the whole file) as "static" and
// then runs every test of every file for that mutant, about a minute each here. Jest loads every
// module again for each test file, so that code belongs to the file's own tests: this environment
// hands it to them, and records which mutants each file ran, for filter.js to run only those files.
// It also bails: once a test has failed for a mutant, the mutant is killed, so the test files still
// to come skip their hooks and tests (Stryker cannot ask jest to bail, jest/issues/11766).
const { TestEnvironment } = require("jest-environment-node");
const { mkdirSync, writeFileSync } = require("fs");
const { createHash } = require("crypto");
const path = require("path");

/** Where the dry run leaves, per test file, the mutants it ran (inside Stryker's sandbox). */
const COVERAGE_DIR = path.join(process.cwd(), ".mutate-coverage");

/** The mutant a test has already failed for, in this run of the test files (they run in one process). */
const KILLED = "REDIS_NET_MUTANT_KILLED";

/** A test's name as Stryker's jest runner names it: its describe blocks' names, then its own. */
function fullName(test) {
  const names = [];
  for (let block = test.parent; block && block.parent; block = block.parent) names.unshift(block.name);
  return [...names, test.name].join(" ").trim();
}

class MutateEnvironment extends TestEnvironment {
  constructor(config, context) {
    super(config, context);
    this.testPath = context.testPath;
    this.tests = new Set();
  }

  /**
   * Stryker's shared coverage, during the dry run only (mutant runs set the active mutant instead).
   * Created here if no instrumented code has run yet, as the instrumented code would create it, so
   * that the first test file's own share is counted too.
   */
  coverage() {
    const stryker = this.global.__stryker__;
    if (process.env.__STRYKER_ACTIVE_MUTANT__ || !stryker) return undefined;
    stryker.mutantCoverage ??= { static: {}, perTest: {} };
    return stryker.mutantCoverage;
  }

  async handleTestEvent(event, state) {
    const mutant = process.env.__STRYKER_ACTIVE_MUTANT__;
    if (mutant) {
      if (event.name === "run_start" && process.env[KILLED] === mutant) state.rootDescribeBlock.mode = "skip";
      if (event.name === "test_done" && event.test.errors.length) process.env[KILLED] = mutant;
      return;
    }
    const coverage = this.coverage();
    if (!coverage) return;
    if (event.name === "setup") this.staticBefore = { ...coverage.static };
    if (event.name === "test_start") this.tests.add(fullName(event.test));
  }

  async teardown() {
    const coverage = this.coverage();
    if (coverage && this.staticBefore) {
      const ran = new Set();
      for (const [id, count] of Object.entries(coverage.static)) {
        const added = count - (this.staticBefore[id] ?? 0);
        if (added <= 0 || !this.tests.size) continue;
        ran.add(id);
        for (const test of this.tests) {
          // In place: copying the whole map per mutant and test made the dry run quadratic (161 s).
          const hits = (coverage.perTest[test] ??= {});
          hits[id] = (hits[id] ?? 0) + added;
        }
        if (count - added > 0) coverage.static[id] = count - added;
        else delete coverage.static[id];
      }
      for (const test of this.tests) for (const id of Object.keys(coverage.perTest[test] ?? {})) ran.add(id);
      mkdirSync(COVERAGE_DIR, { recursive: true });
      const name = createHash("sha256").update(this.testPath).digest("hex").slice(0, 16);
      writeFileSync(path.join(COVERAGE_DIR, `${name}.json`), JSON.stringify({ testPath: this.testPath, mutants: [...ran] }));
    }
    await super.teardown();
  }
}

module.exports = MutateEnvironment;
module.exports.COVERAGE_DIR = COVERAGE_DIR;
module.exports.KILLED = KILLED;
