import { spawnSync } from "child_process";
import { writeFileSync } from "fs";
import path from "path";
import { ROOT, tempDir } from "../../helpers/helpers";

// scripts/no-skips.sh, which .ci/run and the pull-request jobs run each tier through: a skipped
// test fails the run, and the summary is printed whether the tier passed or not.

/** Runs no-skips.sh over a jest run of the given test files, written into a scratch project. */
function noSkips(tests: Record<string, string>, tier = "real") {
  const dir = tempDir("no-skips-");
  for (const [name, body] of Object.entries(tests)) writeFileSync(path.join(dir, `${name}.test.js`), body);
  const jest = path.join(ROOT, "node_modules", "jest", "bin", "jest.js");
  const run = spawnSync("bash", [path.join(ROOT, "scripts", "no-skips.sh"), tier, process.execPath, jest, "--config", "{}", "--rootDir", dir], { encoding: "utf8", timeout: 60_000 });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

const node = `on Node ${process.versions.node}`;

test("a tier whose tests all pass passes, with its summary", () => {
  const run = noSkips({ a: 'test("passes", () => expect(1).toBe(1));' });
  expect([run.status, run.stdout.trim()]).toEqual([0, `jest real ${node}: 1 passed, 0 failed, 0 skipped`]);
});

test("a skipped test fails the tier, and says why", () => {
  const run = noSkips({ a: 'test("passes", () => expect(1).toBe(1));\ntest.skip("left out", () => undefined);' });
  expect([run.status, run.stdout.trim()]).toEqual([1, `jest real ${node}: 1 passed, 0 failed, 1 skipped`]);
  expect(run.stderr).toContain("real tier: 1 tests skipped; every tool they need is installed here, so none may skip");
});

test("a failing tier fails with jest's own exit, after its summary", () => {
  const run = noSkips({ a: 'test("fails", () => expect(1).toBe(2));' }, "fast");
  expect([run.status, run.stdout.trim()]).toEqual([1, `jest fast ${node}: 0 passed, 1 failed, 0 skipped`]);
});

test("a tier it does not know is refused before anything runs", () => {
  const run = spawnSync("bash", [path.join(ROOT, "scripts", "no-skips.sh"), "slow", "false"], { encoding: "utf8" });
  expect([run.status, run.stderr.trim()]).toEqual([2, "usage: scripts/no-skips.sh fast|real <command ...> (the tier was 'slow')"]);
});
