import { spawn, spawnSync } from "child_process";
import { existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, realpathSync, symlinkSync, utimesSync, writeFileSync } from "fs";
import path from "path";
import { APP_SOURCES, canUnshare, copyProject, localStateConfigFile, ROOT, snapshot, tempDir } from "../../helpers/helpers";

// The synthesized output as users and `cdktf deploy` live with it (output/publish.ts).
function synth(outdir: string, stateDir: string, extra: Record<string, string> = {}) {
  return spawnSync("node", ["scripts/run.js"], { cwd: ROOT, encoding: "utf8", env: { ...process.env, CDKTF_OUTDIR: outdir, REDIS_NET_STATE_DIR: stateDir, REDIS_NET_ENVIRONMENTS: "staging", ...extra } });
}

test("the output is a link to a complete generation, and a re-synth keeps what deploys left in it", () => {
  const dir = tempDir("output-");
  const outdir = path.join(dir, "cdktf.out");
  expect(synth(outdir, path.join(dir, "state")).status).toBe(0);
  expect(lstatSync(outdir).isSymbolicLink()).toBe(true);
  const stack = path.join(outdir, "stacks", "gcp-staging");
  mkdirSync(path.join(stack, ".terraform", "providers"), { recursive: true });
  writeFileSync(path.join(stack, ".terraform", "providers", "marker"), "init");
  writeFileSync(path.join(stack, ".terraform.lock.hcl"), "lock");
  const first = realpathSync(outdir);
  expect(synth(outdir, path.join(dir, "state")).status).toBe(0);
  expect(realpathSync(outdir)).not.toBe(first);
  expect(readFileSync(path.join(stack, ".terraform", "providers", "marker"), "utf8")).toBe("init");
  expect(readFileSync(path.join(stack, ".terraform.lock.hcl"), "utf8")).toBe("lock");
  expect(JSON.parse(readFileSync(path.join(stack, "cdk.tf.json"), "utf8")).resource).toBeDefined();
});

test("local state lives outside the output: cleaning the output cannot delete it", () => {
  const dir = tempDir("state-");
  const outdir = path.join(dir, "cdktf.out");
  const stateDir = path.join(dir, "terraform-state");
  expect(synth(outdir, stateDir, { REDIS_NET_CONFIG: localStateConfigFile() }).status).toBe(0);
  const stack = path.join(outdir, "stacks", "scaleway-staging");
  const statePath = JSON.parse(readFileSync(path.join(stack, "cdk.tf.json"), "utf8")).terraform.backend.local.path;
  // Terraform resolves the relative path from the stack directory it runs in (its real path).
  expect(path.resolve(realpathSync(stack), statePath)).toBe(path.join(stateDir, "scaleway-staging.tfstate"));
  expect(path.isAbsolute(statePath)).toBe(false);
});

test("an output from before generations becomes a link, and its local state moves to the state directory", () => {
  const dir = tempDir("legacy-");
  const outdir = path.join(dir, "cdktf.out");
  const legacyStack = path.join(outdir, "stacks", "gcp-staging");
  mkdirSync(path.join(legacyStack, ".terraform"), { recursive: true });
  // What the older synth wrote beside its stacks, by which it is recognised.
  writeFileSync(path.join(outdir, "manifest.json"), JSON.stringify({ version: "0.21.0", stacks: { "gcp-staging": { synthesizedStackPath: "stacks/gcp-staging/cdk.tf.json" } } }));
  writeFileSync(path.join(legacyStack, "terraform.gcp-staging.tfstate"), '{"serial": 7}');
  const run = synth(outdir, path.join(dir, "state"));
  expect(run.status).toBe(0);
  expect(run.stderr).toContain("run terraform init -reconfigure");
  expect(lstatSync(outdir).isSymbolicLink()).toBe(true);
  expect(readFileSync(path.join(dir, "state", "gcp-staging.tfstate"), "utf8")).toBe('{"serial": 7}');
  expect(existsSync(path.join(legacyStack, ".terraform"))).toBe(true);
});

test("an output path that is a file, or under one, is named as given and nothing is written", () => {
  const dir = tempDir("file-");
  const file = path.join(dir, "a-file");
  writeFileSync(file, "keep");
  for (const [outdir, message] of [
    [file, `output directory ${file}: is a file; choose another output directory`],
    [path.join(file, "out"), `output directory ${path.join(file, "out")}: cannot be created: ${file} is a file, not a directory`],
    [path.join(file, "out", "deeper"), `output directory ${path.join(file, "out", "deeper")}: cannot be created: ${file} is a file, not a directory`],
  ]) {
    const run = synth(outdir, path.join(dir, "state"));
    expect(run.status).toBe(1);
    expect(run.stderr.trim()).toBe(message);
  }
  expect(readFileSync(file, "utf8")).toBe("keep");
  expect(readdirSync(dir)).toEqual(["a-file"]);
});

test("npm run synth:hcl into a file names the path the user gave", () => {
  const dir = tempDir("hcl-");
  writeFileSync(path.join(dir, "taken"), "");
  const run = spawnSync("node", [path.join(ROOT, "scripts", "run.js"), "synth-hcl", "taken"], { cwd: dir, encoding: "utf8", env: { ...process.env, REDIS_NET_CONFIG: path.join(ROOT, "config", "environments.json") } });
  expect(run.status).toBe(1);
  expect(run.stderr.trim()).toBe("output directory taken: is a file; choose another output directory");
});

test("Ctrl-C during synth leaves the previous output and no partial generation", async () => {
  const dir = tempDir("sigint-");
  const outdir = path.join(dir, "cdktf.out");
  const child = spawn("node", ["scripts/run.js"], { cwd: ROOT, env: { ...process.env, CDKTF_OUTDIR: outdir, REDIS_NET_STATE_DIR: path.join(dir, "state") } });
  const exit = new Promise<[number | null, string | null]>((resolve) => child.on("exit", (code, signal) => resolve([code, signal])));
  // Once synth has made its generation directory (its handler is installed before), interrupt it.
  while (!existsSync(`${outdir}.gen`)) await new Promise((r) => setTimeout(r, 5));
  child.kill("SIGINT");
  const [code, signal] = await exit;
  if (code === 130) {
    expect(existsSync(outdir)).toBe(false);
    expect(readdirSync(`${outdir}.gen`)).toEqual([".redis-net-generations"]);
  } else {
    // Only a signal that came after publishing (this machine stalled the test) may let it finish:
    // then the output is complete. Never killed by the signal with a partial generation.
    expect(code === 0 || signal === "SIGINT").toBe(true);
    expect(existsSync(path.join(outdir, "manifest.json"))).toBe(true);
  }
});

test("local state stays in the project's terraform-state/ whatever the working directory", () => {
  const dir = tempDir("cwd-");
  const outdir = path.join(dir, "cdktf.out");
  const { REDIS_NET_STATE_DIR, ...env } = process.env;
  const run = spawnSync("node", [path.join(ROOT, "scripts", "run.js")], { cwd: dir, encoding: "utf8", env: { ...env, CDKTF_OUTDIR: outdir, REDIS_NET_ENVIRONMENTS: "staging", REDIS_NET_CONFIG: localStateConfigFile() } });
  expect(run.stderr).toBe("");
  const stackDir = path.join(outdir, "stacks", "gcp-staging");
  const { path: statePath } = JSON.parse(readFileSync(path.join(stackDir, "cdk.tf.json"), "utf8")).terraform.backend.local;
  expect(path.resolve(realpathSync(stackDir), statePath)).toBe(path.join(ROOT, "terraform-state", "gcp-staging.tfstate"));
});

// Concurrent synths and kill -9 at random moments: `npm run stress:output` (50 rounds in .ci/run).

test("carrying into a new generation leaves the current one whole: a synth killed before the switch loses nothing", () => {
  const { newGeneration, publish } = require("../../../output/publish") as typeof import("../../../output/publish");
  const dir = tempDir("carry-");
  const outdir = path.join(dir, "cdktf.out");
  const first = newGeneration(outdir);
  mkdirSync(path.join(first, "stacks", "gcp-staging", ".terraform"), { recursive: true });
  writeFileSync(path.join(first, "stacks", "gcp-staging", ".terraform", "kept"), "1");
  publish(first, outdir);
  const second = newGeneration(outdir);
  publish(second, outdir);
  expect(readFileSync(path.join(outdir, "stacks", "gcp-staging", ".terraform", "kept"), "utf8")).toBe("1");
  // The first generation still holds it: had the synth been killed between carrying and switching,
  // the output (still the first generation) would have lost nothing.
  expect(readFileSync(path.join(first, "stacks", "gcp-staging", ".terraform", "kept"), "utf8")).toBe("1");
});

// Only what synth made is replaced or pruned (output/publish.ts): anything else given as the
// output is refused before anything is written, and stays as it was.
describe("an output directory synth did not make is refused, and left untouched", () => {
  const TEN_MINUTES_AGO = new Date(Date.now() - 11 * 60 * 1000);

  test("npm run synth:hcl -- . in a checkout (it used to move the checkout aside, and the prune deleted it)", () => {
    const copy = copyProject([...APP_SOURCES, "scripts", "cdktf.json", "package.json", "tsconfig.json"]);
    expect(spawnSync("node", ["scripts/build.js"], { cwd: copy }).status).toBe(0);
    utimesSync(copy, TEN_MINUTES_AGO, TEN_MINUTES_AGO);
    const before = snapshot(copy);
    for (const [cwd, given, message] of [
      [copy, ".", "is the project's directory"],
      [path.join(copy, "stacks"), ".", "is the directory you are in"],
      [path.join(copy, "stacks"), "..", "is the project's directory"],
      [path.join(copy, "stacks"), "../..", `holds the project's directory (${copy})`],
    ]) {
      const run = spawnSync("npm", ["run", "--silent", "synth:hcl", "--", given], { cwd, encoding: "utf8" });
      expect([run.status, run.stdout, run.stderr]).toEqual([1, "", expect.stringContaining(`output directory ${given}: ${message}`)]);
    }
    expect(snapshot(copy)).toEqual(before);
    expect(existsSync(`${copy}.gen`)).toBe(false);
  }, 120_000);

  test("CDKTF_OUTDIR naming a directory of someone's files (it used to become a link, the files moved aside and pruned)", () => {
    const dir = tempDir("somewhere-");
    const outdir = path.join(dir, "somewhere");
    mkdirSync(path.join(outdir, "notes"), { recursive: true });
    writeFileSync(path.join(outdir, "notes", "todo.txt"), "mine");
    utimesSync(outdir, TEN_MINUTES_AGO, TEN_MINUTES_AGO);
    const before = snapshot(dir);
    const run = synth(outdir, path.join(dir, "state"));
    expect([run.status, run.stderr.trim()]).toEqual([1, `output directory ${outdir}: holds files synth did not write (notes) and no synth manifest; give an empty or new directory, or an earlier output of synth`]);
    expect(snapshot(dir)).toEqual(before);
  });

  test("a link synth did not make, and a <outdir>.gen holding someone's files, are refused", () => {
    const dir = tempDir("foreign-");
    const elsewhere = path.join(dir, "elsewhere");
    mkdirSync(elsewhere);
    symlinkSync(elsewhere, path.join(dir, "link"));
    mkdirSync(path.join(dir, "out.gen"));
    writeFileSync(path.join(dir, "out.gen", "keep.txt"), "mine");
    const before = snapshot(dir);
    expect(synth(path.join(dir, "link"), path.join(dir, "state")).stderr.trim()).toBe(`output directory ${path.join(dir, "link")}: is a link to ${elsewhere}, which synth did not make; remove the link or choose another output directory`);
    expect(synth(path.join(dir, "out"), path.join(dir, "state")).stderr.trim()).toBe(`output directory ${path.join(dir, "out")}: ${path.join(dir, "out.gen")}, where synth keeps its generations, holds files synth did not write (keep.txt); move them or choose another output directory`);
    expect(snapshot(dir)).toEqual(before);
  });

  test("an empty directory becomes the output; the prune removes stale generations and nothing else", () => {
    const dir = tempDir("empty-");
    const outdir = path.join(dir, "cdktf.out");
    mkdirSync(outdir);
    expect(synth(outdir, path.join(dir, "state")).status).toBe(0);
    expect(lstatSync(outdir).isSymbolicLink()).toBe(true);
    const generations = `${outdir}.gen`;
    for (const entry of ["notes.txt", "g-Stale1"]) {
      writeFileSync(path.join(generations, entry), "");
      utimesSync(path.join(generations, entry), TEN_MINUTES_AGO, TEN_MINUTES_AGO);
    }
    const current = realpathSync(outdir);
    expect(synth(outdir, path.join(dir, "state")).status).toBe(0);
    // The generation just replaced is not stale yet: a run may still be reading it.
    expect(readdirSync(generations).sort()).toEqual([".redis-net-generations", path.basename(current), path.basename(realpathSync(outdir)), "notes.txt"].sort());
  });
});

// A bind remount: a plain `remount,ro` hands back the tmpfs's recorded uid=, which a non-root
// user's namespace (GitHub's runner) does not map, and the kernel refuses it.
(canUnshare("--mount") ? test : test.skip)("npm run synth:hcl into a directory on a read-only filesystem says so", () => {
  const dir = tempDir("ro-");
  const script = `mount -t tmpfs tmpfs "$1" && mkdir "$1/out" && mount -o remount,bind,ro "$1" && exec node "$2" synth-hcl "$1/out"`;
  const run = spawnSync("unshare", ["--map-root-user", "--mount", "sh", "-c", script, "sh", dir, path.join(ROOT, "scripts", "run.js")], { encoding: "utf8" });
  expect([run.status, run.stderr.trim()]).toEqual([1, `output directory ${dir}/out: ${dir} is on a read-only filesystem, so synth cannot write there; choose a directory on a writable filesystem`]);
});
