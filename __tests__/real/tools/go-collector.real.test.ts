import { spawnSync } from "child_process";
import { readFileSync, writeFileSync } from "fs";
import path from "path";
import { APP_SOURCES, copyProject, providerMirror, ROOT, tempDir } from "../../helpers/helpers";

// The Go programs the tools start (terraform, OpenTofu, their providers) collect garbage at
// GOGC=400 (scripts/run.js), or at the caller's GOGC: also where a tool hands terraform nothing
// else of its environment (rehearse, verify). A terraform first on PATH records what it was given.
const maybe = providerMirror() ? test : test.skip;

function gogcSeenBy(tool: string[], cwd: string, given: string | undefined): string[] {
  const bin = tempDir("terraform-");
  const seen = path.join(bin, "seen");
  writeFileSync(seen, "");
  writeFileSync(path.join(bin, "terraform"), `#!/bin/sh\necho "GOGC=$GOGC" >> '${seen}'\nexit 1\n`, { mode: 0o755 });
  const { GOGC: _caller, ...env } = process.env;
  const run = spawnSync(process.execPath, [path.join(cwd, "scripts", "run.js"), ...tool], {
    cwd, env: { ...env, ...(given ? { GOGC: given } : {}), PATH: `${bin}:${process.env.PATH}` }, encoding: "utf8", timeout: 300_000,
  });
  // The recording terraform fails its first command: the tool stops there, as it would on any failure.
  expect(run.status).not.toBe(0);
  return readFileSync(seen, "utf8").split("\n").filter(Boolean);
}

describe.each([[undefined, "400"], ["150", "150"]])("with GOGC %s in the caller's environment", (given, expected) => {
  maybe(`npm run rehearse's terraform runs with GOGC=${expected}`, () => {
    const seen = gogcSeenBy(["rehearse", "gcp-staging"], ROOT, given);
    expect(seen.length).toBeGreaterThan(0);
    expect(new Set(seen)).toEqual(new Set([`GOGC=${expected}`]));
  }, 300_000);

  maybe(`npm run verify's terraform runs with GOGC=${expected}`, () => {
    const copy = copyProject([...APP_SOURCES, "scripts", "reference"]);
    const seen = gogcSeenBy(["verify", "--equivalence-only", "--stack", "gcp-staging"], copy, given);
    expect(seen.length).toBeGreaterThan(0);
    expect(new Set(seen)).toEqual(new Set([`GOGC=${expected}`]));
  }, 300_000);
});
