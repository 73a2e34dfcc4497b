// The order of a mutant's test files under StrykerJS, where the first failure ends the run
// (environment.js): the snapshot tests first, then the smaller files before the larger. The
// snapshot tests compare every stack's whole output after one synth, so they kill most mutants
// that change it; a mutant they miss (an error message, a refused value) is mostly killed by a
// small focused file, and the large files, the slowest, run only for what survives that.
const Sequencer = require("@jest/test-sequencer").default;

const FIRST = /[\\/]snapshots\.test\.ts$/;

module.exports = class SnapshotsThenSmallest extends Sequencer {
  sort(tests) {
    const size = (test) => test.context.hasteFS.getSize(test.path) ?? 0;
    const rank = (test) => (FIRST.test(test.path) ? 0 : 1);
    return [...tests].sort((a, b) => rank(a) - rank(b) || size(a) - size(b));
  }
};
