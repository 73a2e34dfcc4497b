import { spawnSync } from "child_process";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "fs";
import path from "path";
import { ROOT, tempDir } from "../../helpers/helpers";

// What a new user gets wrong in the environment and in the tools' arguments, through a run of
// scripts/run.js: each is refused with the variable or option and the rule, and nothing is written.
// The configuration file's mistakes: __tests__/fast/config/config-input.test.ts.
let dir: string;
beforeAll(() => (dir = tempDir("input-")));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("the environment variables synth reads", () => {
  const synth = (env: Record<string, string>) =>
    spawnSync("node", ["scripts/run.js"], { cwd: ROOT, env: { ...process.env, CDKTF_OUTDIR: path.join(dir, "out"), ...env }, encoding: "utf8" });

  test.each([
    ["REDIS_NET_ENVIRONMENTS", "REDIS_NET_ENVIRONMENTS is set but empty: unset it, or set it to environment names separated by commas, e.g. staging,production"],
    ["REDIS_NET_CONFIG", "REDIS_NET_CONFIG is set but empty: unset it, or set it to a configuration file such as config/environments.json"],
    ["CDKTF_OUTDIR", "CDKTF_OUTDIR is set but empty: unset it, or set it to a directory such as cdktf.out"],
  ])("%s set but empty is an error, and nothing is written", (name, message) => {
    const out = path.join(dir, `untouched-${name}`);
    mkdirSync(out);
    writeFileSync(path.join(out, "manifest.json"), "previous");
    const run = synth({ CDKTF_OUTDIR: out, [name]: "" });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain(message);
    expect(readFileSync(path.join(out, "manifest.json"), "utf8")).toBe("previous");
  });

  test("an empty name in REDIS_NET_ENVIRONMENTS is an error", () => {
    expect(synth({ REDIS_NET_ENVIRONMENTS: "staging,," }).stderr).toContain('REDIS_NET_ENVIRONMENTS "staging,,": has an empty name');
  });
});

describe("the tools' own arguments", () => {
  test("verify --stack without a name says so", () => {
    const run = spawnSync("node", ["scripts/run.js", "verify", "--fast", "--stack"], { cwd: ROOT, encoding: "utf8" });
    expect(run.status).not.toBe(0);
    expect(run.stderr.trim()).toBe("verify: Option '--stack <value>' argument missing; usage: npm run verify [-- --fast | --equivalence-only] [--stack <name>]...");
  });

  test("diff --base with a ref git does not know says so once, without the command behind it", () => {
    const run = spawnSync("node", ["scripts/run.js", "synth-diff", "--base", "no-such-ref"], { cwd: ROOT, encoding: "utf8" });
    expect(run.status).toBe(2);
    expect(run.stderr.trim()).toBe("diff failed: --base no-such-ref: not a commit in this repository (git rev-parse --verify found none)");
  });
});
