// npm run mutate:score: the score of an incremental file, which interrupted runs leave behind.
const { summarize } = require("../../../scripts/mutate/score");

const at = (line: number) => ({ start: { line, column: 1 }, end: { line, column: 2 } });
const mutant = (status: string, line = 1, replacement = "false") => ({ status, location: at(line), mutatorName: "BooleanLiteral", replacement });

test("scores each folder as killed and timed out over those plus survived and untested; compile errors are not scored", () => {
  const { rows, gaps } = summarize({
    files: {
      "constructs/a.ts": { source: "const a = true;\nconst b = 1;", mutants: [mutant("Killed"), mutant("Timeout"), mutant("Survived", 2), mutant("CompileError")] },
      "constructs/gcp/b.ts": { source: "x", mutants: [mutant("Killed"), mutant("NoCoverage")] },
      "main.ts": { source: "y", mutants: [mutant("CompileError"), mutant("Ignored"), mutant("RuntimeError")] },
    },
  });
  expect(rows).toEqual([
    ["folder", "killed", "survived", "no coverage", "compile error", "other", "score"],
    ["constructs/", 3, 1, 1, 1, 0, "60.0 %"],
    ["main.ts", 0, 0, 0, 1, 2, "-"],
    ["all", 3, 1, 1, 2, 2, "60.0 %"],
  ]);
  expect(gaps).toEqual([
    'Survived   constructs/a.ts:2 BooleanLiteral -> "false"\n           const b = 1;',
    'NoCoverage constructs/gcp/b.ts:1 BooleanLiteral -> "false"\n           x',
  ]);
});

test("refuses what is not an incremental report", () => {
  expect(() => summarize({})).toThrow("files is missing; expected a StrykerJS incremental report");
  expect(() => summarize(null)).toThrow("files is missing");
});

describe("npm run mutate's jest set-up", () => {
  const config = "../../../scripts/mutate/jest.config";
  const previous = process.env.REDIS_NET_MUTATE_TESTS;
  afterEach(() => {
    if (previous === undefined) delete process.env.REDIS_NET_MUTATE_TESTS;
    else process.env.REDIS_NET_MUTATE_TESTS = previous;
  });

  test("runs the whole fast tier, or with --tests <layer> that layer's folder alone", () => {
    delete process.env.REDIS_NET_MUTATE_TESTS;
    jest.isolateModules(() => expect(require(config).testMatch).toEqual(["<rootDir>/__tests__/fast/**/*.test.ts"]));
    process.env.REDIS_NET_MUTATE_TESTS = "config";
    jest.isolateModules(() => expect(require(config).testMatch).toEqual(["<rootDir>/__tests__/fast/config/**/*.test.ts"]));
  });

  test("orders a mutant's files: the snapshots, then the configuration tests, then the rest from the smallest", () => {
    const Sequencer = require("../../../scripts/mutate/sequencer");
    const file = (name: string, size: number) => ({ path: `/p/__tests__/fast/${name}`, context: { hasteFS: { getSize: () => size } } });
    const tests = [file("stacks/gcp-stack.test.ts", 50), file("config/rule-patterns.test.ts", 90), file("tools/drift.test.ts", 10), file("stacks/snapshots.test.ts", 70), file("config/limits.test.ts", 40)];
    const order = new Sequencer({ contexts: [], globalConfig: {} }).sort(tests).map((test: { path: string }) => test.path.replace("/p/__tests__/fast/", ""));
    expect(order).toEqual(["stacks/snapshots.test.ts", "config/limits.test.ts", "config/rule-patterns.test.ts", "tools/drift.test.ts", "stacks/gcp-stack.test.ts"]);
  });
});
