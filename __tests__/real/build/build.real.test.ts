import { spawn, spawnSync } from "child_process";
import { createHash } from "crypto";
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, realpathSync, rmSync, statSync, symlinkSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import * as path from "path";
import { APP_SOURCES, copyProject, ROOT } from "../../helpers/helpers";

/**
 * A synth of the staging stacks of `copy` into `copy/out`, with a `-r` probe if given: its exit,
 * what it wrote on stderr and, if it succeeded, gcp-staging's JSON.
 */
function stagingSynth(copy: string, out: string, { probe, env = {} }: { probe?: string; env?: NodeJS.ProcessEnv } = {}) {
  const run = spawnSync("node", [...(probe ? ["-r", probe] : []), "scripts/run.js"], { cwd: copy, encoding: "utf8", env: { ...process.env, ...env, CDKTF_OUTDIR: path.join(copy, out), REDIS_NET_ENVIRONMENTS: "staging" } });
  return { status: run.status, stderr: run.stderr, stack: run.status === 0 ? readFileSync(path.join(copy, out, "stacks", "gcp-staging", "cdk.tf.json"), "utf8") : undefined };
}

// The synth path compiles without type-checking for speed; it must still never run a stale build.
test("synth rebuilds after any source change and not otherwise", () => {
  const copy = copyProject([...APP_SOURCES, "scripts"]);

  const synth = () => {
    const run = spawnSync("node", ["-e", 'console.log(require("./scripts/build").build())'], { cwd: copy, encoding: "utf8" });
    expect(run.stderr).toBe("");
    spawnSync("node", ["scripts/run.js"], { cwd: copy, env: { ...process.env, CDKTF_OUTDIR: path.join(copy, "out"), REDIS_NET_ENVIRONMENTS: "staging" } });
    const stack = JSON.parse(readFileSync(path.join(copy, "out", "stacks", "gcp-staging", "cdk.tf.json"), "utf8"));
    return { rebuilt: run.stdout.trim() === "true", routingMode: stack.resource.google_compute_network.vpc.routing_mode };
  };

  expect(synth()).toEqual({ rebuilt: true, routingMode: "REGIONAL" });
  expect(synth()).toEqual({ rebuilt: false, routingMode: "REGIONAL" });
  const network = path.join(copy, "constructs", "gcp", "network.ts");
  writeFileSync(network, readFileSync(network, "utf8").replace('routingMode: "REGIONAL"', 'routingMode: "GLOBAL"'));
  expect(synth()).toEqual({ rebuilt: true, routingMode: "GLOBAL" });
  // The same size and the modification time set back to the nanosecond (touch -r): the change time
  // still moves, so it rebuilds.
  const before = statSync(network, { bigint: true });
  const reference = path.join(copy, "network.ts.times");
  spawnSync("touch", ["-r", network, reference]);
  writeFileSync(network, readFileSync(network, "utf8").replace('routingMode: "GLOBAL"', 'routingMode: "global"'));
  spawnSync("touch", ["-r", reference, network]);
  const after = statSync(network, { bigint: true });
  expect([after.size, after.mtimeNs]).toEqual([before.size, before.mtimeNs]);
  expect(synth()).toEqual({ rebuilt: true, routingMode: "global" });
  expect(synth()).toEqual({ rebuilt: false, routingMode: "global" });
}, 30_000);

test("synths started together after a source change both run the new build, and leave a working one", async () => {
  const copy = copyProject([...APP_SOURCES, "scripts"]);
  const network = path.join(copy, "constructs", "gcp", "network.ts");
  writeFileSync(network, readFileSync(network, "utf8").replace('routingMode: "REGIONAL"', 'routingMode: "GLOBAL"'));
  const synth = (out: string) =>
    new Promise<number | null>((resolve) => {
      const child = spawn("node", ["scripts/run.js"], { cwd: copy, stdio: "ignore", env: { ...process.env, CDKTF_OUTDIR: path.join(copy, out), REDIS_NET_ENVIRONMENTS: "staging" } });
      child.on("exit", resolve);
    });
  for (let round = 0; round < 3; round++) {
    writeFileSync(network, readFileSync(network, "utf8").replace(/\/\/ round \d+\n|$/, `// round ${round}\n`));
    expect(await Promise.all([synth(`a${round}`), synth(`b${round}`), synth(`c${round}`)])).toEqual([0, 0, 0]);
    for (const out of ["a", "b", "c"]) {
      const stack = JSON.parse(readFileSync(path.join(copy, `${out}${round}`, "stacks", "gcp-staging", "cdk.tf.json"), "utf8"));
      expect(stack.resource.google_compute_network.vpc.routing_mode).toBe("GLOBAL");
    }
  }
  const run = spawnSync("node", ["-e", 'console.log(require("./scripts/build").build())'], { cwd: copy, encoding: "utf8" });
  expect(run.stdout.trim()).toBe("false"); // the stamp is right: dist is current and complete
}, 60_000);

// What a synth started beside others can meet: a build another run was compiling, listed in .build
// and renamed or removed before this run looks at it (a synth under load in CI died of it).
test("a build that vanishes while a synth prunes old builds does not stop the synth", () => {
  const copy = copyProject([...APP_SOURCES, "scripts"]);
  const network = path.join(copy, "constructs", "gcp", "network.ts");
  writeFileSync(network, `${readFileSync(network, "utf8")}// changed\n`);
  const probe = path.join(copy, "probe.js");
  writeFileSync(
    probe,
    `const fs = require("fs"), path = require("path"), list = fs.readdirSync;
fs.readdirSync = (dir, ...rest) => (path.basename(String(dir)) === ".build" && !rest.length ? [...list(dir), "0123.partial-1"] : list(dir, ...rest));`,
  );
  const run = stagingSynth(copy, "out", { probe });
  expect([run.status, run.stderr]).toEqual([0, ""]);
  expect(JSON.parse(run.stack!).resource.google_compute_network.vpc.routing_mode).toBe("REGIONAL");
});

test("a synth keeps its compiled code and the configurations it validated in its build; it reads a configuration validated before without loading the schema, and validates a changed one again", () => {
  const copy = copyProject([...APP_SOURCES, "scripts"]);
  // Which of the schema's modules the synth loaded, from the process itself.
  const probe = path.join(copy, "probe.js");
  writeFileSync(probe, 'process.on("exit", () => process.stderr.write(`schema loaded: ${Object.keys(require.cache).some((m) => m.includes("/node_modules/zod/"))}\\n`));');
  const synth = (out: string) => {
    const run = stagingSynth(copy, out, { probe });
    expect(run.status).toBe(0);
    return { schemaLoaded: /schema loaded: true/.test(run.stderr), stack: run.stack! };
  };
  const first = synth("a");
  expect(first.schemaLoaded).toBe(true);
  // The compiled code it keeps is in its build too (pruned with it), not in the shared temporary folder.
  const build = realpathSync(path.join(copy, "dist"));
  expect(readdirSync(path.join(build, ".v8-compile-cache"))).toEqual(expect.arrayContaining([expect.stringMatching(/run\.js\.BLOB$/)]));
  const shared = path.join(tmpdir(), `v8-compile-cache-${process.getuid!()}`, process.arch, process.versions.v8);
  expect((existsSync(shared) ? readdirSync(shared) : []).filter((file) => file.includes(path.basename(copy)))).toEqual([]);
  expect(synth("b")).toEqual({ schemaLoaded: false, stack: first.stack });
  const config = path.join(copy, "config", "environments.json");
  writeFileSync(config, readFileSync(config, "utf8").replace('"minInstances": 2', '"minInstances": 3'));
  const changed = synth("c");
  expect(changed.schemaLoaded).toBe(true);
  expect(JSON.parse(changed.stack).resource.google_vpc_access_connector.connector.min_instances).toBe(3);
}, 60_000);

test("a synth keeps the code of every function it ran, once: the next synth reads it and writes nothing; a tool keeps its own, apart", () => {
  const copy = copyProject([...APP_SOURCES, "scripts"]);
  const synth = (out: string) => expect(stagingSynth(copy, out).status).toBe(0);
  synth("a");
  const cache = path.join(realpathSync(path.join(copy, "dist")), ".v8-compile-cache");
  const [map] = readdirSync(cache).filter((file) => file.endsWith("run.js.MAP"));
  const blob = path.join(cache, map.replace(/MAP$/, "BLOB"));
  const entries: Record<string, [string, number, number]> = JSON.parse(readFileSync(path.join(cache, map), "utf8"));
  // The stacks' module as kept, against what V8 compiles on loading it (the top level, not the
  // functions the synth calls), measured by a process of its own.
  const [module, [, start, end]] = Object.entries(entries).find(([file]) => file.endsWith(`${path.sep}stacks${path.sep}gcp-stack.js`))!;
  const onLoading = spawnSync("node", ["-e", 'const vm = require("vm"); const file = process.argv[1]; console.log(new vm.Script(require("module").wrap(require("fs").readFileSync(file, "utf8")), { filename: file, produceCachedData: true }).cachedData.length)', module], { encoding: "utf8" });
  expect(end - start).toBeGreaterThan(2 * Number(onLoading.stdout));

  // Its digest, not its 3 MB: jest compares a buffer byte by byte.
  const keptNow = () => ({ sha256: createHash("sha256").update(readFileSync(blob)).digest("hex"), mtime: statSync(blob).mtimeMs });
  const kept = keptNow();
  synth("b");
  expect(keptNow()).toEqual(kept);
  // A tool keeps its own beside the app's, which it leaves as it was.
  const stacks = () => expect(spawnSync("node", ["scripts/run.js", "stacks"], { cwd: copy, encoding: "utf8" }).stdout).toContain('"gcp-staging"');
  stacks();
  const tool = readdirSync(cache).find((file) => file.endsWith("run.js-stacks.BLOB"))!;
  const toolKept = statSync(path.join(cache, tool)).mtimeMs;
  stacks();
  expect(statSync(path.join(cache, tool)).mtimeMs).toBe(toolKept);
  expect(keptNow()).toEqual(kept);
  expect(readFileSync(path.join(copy, "b", "stacks", "gcp-staging", "cdk.tf.json"), "utf8")).toBe(readFileSync(path.join(copy, "a", "stacks", "gcp-staging", "cdk.tf.json"), "utf8"));
}, 60_000);

test("a synth keeps where each require led and the next one goes there without looking: again when a file is gone or the installed packages change", () => {
  const copy = copyProject([...APP_SOURCES, "scripts"]);
  // Its own node_modules: the real packages, linked, beside a lock file of its own to rewrite.
  const modules = path.join(copy, "node_modules");
  rmSync(modules);
  mkdirSync(modules);
  for (const entry of readdirSync(path.join(ROOT, "node_modules")).filter((name) => name !== ".package-lock.json")) symlinkSync(path.join(ROOT, "node_modules", entry), path.join(modules, entry));
  const lock = path.join(modules, ".package-lock.json");
  copyFileSync(path.join(ROOT, "node_modules", ".package-lock.json"), lock);
  const synth = (out: string) => stagingSynth(copy, out);
  const first = synth("a");
  expect(first.status).toBe(0);
  const build = realpathSync(path.join(copy, "dist"));
  const kept = path.join(build, ".resolutions.json");
  const keptNow = () => ({ text: readFileSync(kept, "utf8"), mtime: statSync(kept).mtimeMs });
  const after = keptNow();
  const { stamp, found } = JSON.parse(after.text);
  const cdktf = `${build}\0cdktf`; // main.js's require("cdktf")
  expect(found[cdktf]).toBe(require.resolve("cdktf"));
  expect(synth("b")).toEqual({ ...first, stderr: "" });
  expect(keptNow()).toEqual(after);

  // A kept answer is used as it stands: one leading to a module that throws fails the synth.
  const decoy = path.join(copy, "decoy.js");
  writeFileSync(decoy, 'throw new Error("the decoy was loaded");');
  const plant = (file: string) => writeFileSync(kept, JSON.stringify({ stamp, found: { ...found, [cdktf]: file } }));
  plant(decoy);
  expect(synth("c").stderr).toContain("the decoy was loaded");
  // One whose file is gone is looked up again, and kept.
  plant(path.join(copy, "gone.js"));
  expect(synth("d")).toEqual({ ...first, stderr: "" });
  expect(JSON.parse(readFileSync(kept, "utf8")).found[cdktf]).toBe(require.resolve("cdktf"));
  // npm rewrites the lock file on every install: then every request is looked up again.
  plant(decoy);
  writeFileSync(lock, readFileSync(lock));
  expect(synth("e")).toEqual({ ...first, stderr: "" });
  const renewed = JSON.parse(readFileSync(kept, "utf8"));
  expect(renewed.stamp).not.toBe(stamp);
  expect(renewed.found[cdktf]).toBe(require.resolve("cdktf"));
}, 60_000);

test("a synth leaves cdktf's token creation stacks empty unless REDIS_NET_CREATION_STACKS=1 keeps them, and writes the same stacks either way", () => {
  const copy = copyProject([...APP_SOURCES, "scripts"]);
  // The creation stack of a token made after the synth, by the cdktf the app loaded.
  const probe = path.join(copy, "probe.js");
  writeFileSync(probe, 'process.on("exit", () => { const { Lazy } = require(require.resolve("cdktf", { paths: [process.cwd()] })); process.stderr.write(`creation stack: ${Lazy.anyValue({ produce: () => 1 }).creationStack.length} frames\\n`); });');
  const synth = (out: string, env: NodeJS.ProcessEnv = {}) => {
    const run = stagingSynth(copy, out, { probe, env });
    expect(run.status).toBe(0);
    return { frames: Number(/creation stack: (\d+) frames/.exec(run.stderr)?.[1]), stack: run.stack! };
  };
  const without = synth("a");
  expect(without.frames).toBe(0);
  const kept = synth("b", { REDIS_NET_CREATION_STACKS: "1" });
  expect(kept.frames).toBeGreaterThan(0);
  expect(kept.stack).toBe(without.stack);
}, 60_000);

test("a synth does not load archiver, which cdktf loads for zip assets it builds in a child process; the stand-in it gets loads the real module on first use", () => {
  const copy = copyProject([...APP_SOURCES, "scripts"]);
  // After the synth: archiver's files loaded, then the module cdktf holds called as cdktf's asset code calls it.
  const probe = path.join(copy, "probe.js");
  writeFileSync(probe, [
    'process.on("exit", () => {',
    '  const loaded = () => Object.keys(require.cache).filter((m) => m.includes("/archiver/lib/")).length;',
    '  const file = require.resolve("archiver", { paths: [require("path").dirname(require.resolve("cdktf/lib/private/fs", { paths: [process.cwd()] }))] });',
    '  const before = loaded();',
    '  const archive = require.cache[file].exports("zip", { zlib: { level: 9 } });',
    '  process.stderr.write(`archiver files: ${before} before, ${loaded()} after; ${typeof archive.directory} directory, ${typeof archive.finalize} finalize\\n`);',
    "});",
  ].join("\n"));
  const run = stagingSynth(copy, "out", { probe });
  expect(run.status).toBe(0);
  expect(run.stderr).toMatch(/archiver files: 0 before, [1-9]\d* after; function directory, function finalize/);
}, 60_000);
