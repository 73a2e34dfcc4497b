// The order of a mutant's test files under StrykerJS, where the first failure ends the run
// (environment.js): the snapshot tests first, then the configuration layer's, then the smaller
// files before the larger. The snapshot tests compare every stack's whole output after one synth,
// so they kill most mutants that change it. A mutant they miss is mostly a refused value or its
// message: in limits/ or config/, which load with every test file, so every file covers it, and
// the configuration tests (the rules at their edges, in-process and quick) are the ones that
// catch it. The files after a failure skip their tests but are still loaded, so this saves their
// tests' time, not their loading (docs/proof.md); the large files, the slowest, come last.
const Sequencer = require("@jest/test-sequencer").default;

const RANKS = [/[\\/]snapshots\.test\.ts$/, /[\\/]__tests__[\\/]fast[\\/]config[\\/]/];

module.exports = class SnapshotsConfigThenSmallest extends Sequencer {
  sort(tests) {
    const size = (test) => test.context.hasteFS.getSize(test.path) ?? 0;
    const rank = (test) => {
      const index = RANKS.findIndex((pattern) => pattern.test(test.path));
      return index < 0 ? RANKS.length : index;
    };
    return [...tests].sort((a, b) => rank(a) - rank(b) || size(a) - size(b));
  }
};
