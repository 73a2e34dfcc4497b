// The order of a mutant's test files under StrykerJS: the snapshot tests first. They compare every
// stack's whole output after one synth, so they kill most mutants that change it, and
// environment.js then skips the files still to come. The rest keep jest's order.
const Sequencer = require("@jest/test-sequencer").default;

const FIRST = /[\\/]snapshots\.test\.ts$/;

module.exports = class SnapshotsFirst extends Sequencer {
  sort(tests) {
    const sorted = super.sort(tests);
    return [...sorted.filter((test) => FIRST.test(test.path)), ...sorted.filter((test) => !FIRST.test(test.path))];
  }
};
