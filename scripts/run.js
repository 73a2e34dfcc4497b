// @ts-check
// The one way into the compiled code, and the only file that knows where it is: rebuilds it when a
// source changed (build.js), then runs the app (`node scripts/run.js`: npm run synth, cdktf.json's
// app) or one of the tools in scripts/ (`node scripts/run.js verify --fast`: npm run verify).
const [tool, ...args] = process.argv.slice(2);
require("./build").build();
const fs = require("fs");
const Module = require("module");
const path = require("path");

const dist = path.join(__dirname, "..", "dist");
if (tool !== undefined && !/^[a-z][a-z0-9-]*$/.test(tool)) {
  console.error(`run: tool ${JSON.stringify(tool)}: must be the name of a script in scripts/ (lowercase letters, digits and hyphens), such as verify`);
  process.exit(2);
}
// terraform, OpenTofu, their providers and scw start, build their schemas and exit within seconds:
// collecting garbage at 400 % heap growth (Go's default is 100 %) costs them less CPU (0.8x for a
// validate of gcp-staging, 0.91x for a whole rehearsal) for about 20 MB more. The caller's GOGC is kept.
process.env.GOGC ??= "400";
const file = tool === undefined ? path.join(dist, "main.js") : path.join(dist, "scripts", `${tool}.js`);
if (!fs.existsSync(file)) {
  console.error(`run: no tool scripts/${tool}.ts`);
  process.exit(2);
}
// What a run keeps to load faster next time (load-caches.js) lives in the build it belongs to,
// pruned with it: in the shared temporary folder, the compile cache kept every build ever compiled.
// The app and each tool keep their own compiled code: one's modules would swell what another reads.
const build = fs.realpathSync(dist);
const modules = path.join(__dirname, "..", "node_modules");
const { cacheCompiledCode, cacheResolutions, onFirstUse } = require("./load-caches");
cacheResolutions(path.join(build, ".resolutions.json"), modules);
cacheCompiledCode(path.join(build, ".v8-compile-cache"), tool === undefined ? "run.js" : `run.js-${tool}`);
// npm run cdktn's copy has CDK Terrain in place of cdktf, which reads its own switch.
const onCdktf = fs.existsSync(path.join(modules, "cdktf"));
withoutCreationStacks(onCdktf);
if (onCdktf) deferArchiver();
if (tool === undefined) {
  /** @type {typeof import("../main")} */
  const app = require(file);
  app.main();
} else {
  /** @type {{ main(argv: string[]): number | Promise<number> }} */
  const { main } = require(file);
  // The exit code is the tool's answer; nothing it leaves running (a wasm runtime, a socket) may hold it up.
  Promise.resolve(main(args)).then((code) => process.exit(code));
}

/**
 * cdktf records a full stack trace for every token it makes, read only by its own errors about a
 * token it cannot resolve: a tenth of the synth's time and about 18 MB (docs/speed.md). CDK Terrain
 * made that optional (CDKTN_DISABLE_CREATION_STACK=1, set here for `npm run cdktn`'s copy);
 * cdktf 0.21 has no switch, so its capture is replaced with the same empty one. The output is
 * byte-identical. REDIS_NET_CREATION_STACKS=1 keeps the traces, to debug such an error.
 * @param {boolean} onCdktf whether the app runs on cdktf (not CDK Terrain)
 */
function withoutCreationStacks(onCdktf) {
  if (process.env.REDIS_NET_CREATION_STACKS === "1") return;
  process.env.CDKTN_DISABLE_CREATION_STACK = "1";
  if (onCdktf) require("cdktf/lib/tokens/private/stack-trace").captureStackTrace = () => [];
}

/**
 * Loading cdktf loads `archiver` (about 0.05 s, a third of loading cdktf) for zip assets, which
 * cdktf builds in a child process (`node lib/private/fs.js`) that loads archiver itself: the app's
 * process never calls it. cdktf gets a stand-in that loads the real module on first use.
 */
function deferArchiver() {
  const file = require.resolve("archiver", { paths: [path.dirname(require.resolve("cdktf/lib/private/fs"))] });
  const standIn = new Module(file);
  standIn.filename = file;
  standIn.loaded = true;
  standIn.exports = onFirstUse(() => {
    delete require.cache[file];
    return require(file);
  });
  require.cache[file] = standIn;
}
