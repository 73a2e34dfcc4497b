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
