// jest's `filter` under StrykerJS: for a mutant, only the test files that ran its code in the dry
// run (environment.js records them); Stryker's own test filter then picks the tests inside them.
// Without it jest loads and collects every test file for every mutant, a minute each here.
const { existsSync, readdirSync, readFileSync } = require("fs");
const path = require("path");
const { COVERAGE_DIR, KILLED } = require("./environment");

module.exports = async (testPaths) => {
  delete process.env[KILLED]; // a new run of the test files: nothing has failed yet
  const mutant = process.env.__STRYKER_ACTIVE_MUTANT__;
  if (!mutant || !existsSync(COVERAGE_DIR)) return { filtered: testPaths.map((test) => ({ test })) };
  const covering = new Set();
  for (const file of readdirSync(COVERAGE_DIR)) {
    const { testPath, mutants } = JSON.parse(readFileSync(path.join(COVERAGE_DIR, file), "utf8"));
    if (mutants.includes(mutant)) covering.add(testPath);
  }
  return { filtered: testPaths.filter((test) => covering.has(test)).map((test) => ({ test })) };
};
