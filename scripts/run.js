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
if (tool === undefined) {
  // Compiled cdktf/provider code kept between runs of the app, in the build it belongs to (pruned
  // with it): one file per main module that keeps every file it ever compiled, so in the shared
  // temporary folder it grew with each build. Only the app's: the tools' modules would swell it.
  cacheCompiledCode(path.join(fs.realpathSync(dist), ".v8-compile-cache"));
  // npm run cdktn's copy has CDK Terrain in place of cdktf, which reads its own switch.
  const onCdktf = fs.existsSync(path.join(__dirname, "..", "node_modules", "cdktf"));
  withoutCreationStacks(onCdktf);
  if (onCdktf) deferArchiver();
  /** @type {typeof import("../main")} */
  const app = require(path.join(dist, "main.js"));
  app.main();
} else {
  const file = path.join(dist, "scripts", `${tool}.js`);
  if (!fs.existsSync(file)) {
    console.error(`run: no tool scripts/${tool}.ts`);
    process.exit(2);
  }
  /** @type {{ main(argv: string[]): number | Promise<number> }} */
  const { main } = require(file);
  // The exit code is the tool's answer; nothing it leaves running (a wasm runtime, a socket) may hold it up.
  Promise.resolve(main(args)).then((code) => process.exit(code));
}

/**
 * v8-compile-cache, with one change: it stores a module's code as V8 compiled it on loading, the top
 * level only (V8 compiles a function on its first call), so every synth compiled again each function
 * it ran: cdktf's resolver, the bindings' attribute mappers, the constructs. A module compiled
 * without a usable stored copy is stored as it stands when the process exits instead, with every
 * function the run compiled (docs/speed.md). Later runs find it and change nothing.
 * @param {string} dir where the cache lives
 */
function cacheCompiledCode(dir) {
  const vm = require("vm");
  // Its own install reads the directory from the environment and registers its exit handler first;
  // the classes it exports (as __TEST__) let this one run before the store is saved.
  process.env.DISABLE_V8_COMPILE_CACHE = "1";
  // @ts-expect-error: untyped
  const { FileSystemBlobStore, NativeCompileCache } = require("v8-compile-cache").__TEST__;
  delete process.env.DISABLE_V8_COMPILE_CACHE;
  const store = new FileSystemBlobStore(dir, __filename);
  const cache = new NativeCompileCache();
  cache.setCacheStore(store);
  /** @type {[string, import("vm").Script][]} modules compiled from source in this run */
  const compiled = [];
  const moduleCompile = cache._moduleCompile;
  cache._moduleCompile = function (/** @type {string} */ filename, /** @type {string} */ content) {
    const Script = vm.Script;
    /** @type {any} */ (vm).Script = function (/** @type {string} */ code, /** @type {import("vm").ScriptOptions} */ options) {
      // Node produces a new copy whenever asked, even from a stored one it accepted, which the store
      // then wrote again on every run: only code compiled from source is stored.
      const script = new Script(code, options.cachedData ? { ...options, produceCachedData: false } : options);
      if (!options.cachedData || script.cachedDataRejected) compiled.push([filename, script]);
      return script;
    };
    try {
      return moduleCompile.call(this, filename, content);
    } finally {
      vm.Script = Script;
    }
  };
  cache.install();
  process.once("exit", () => {
    for (const [filename, script] of compiled) {
      const key = store._invalidationKeys[filename];
      if (key) store.set(filename, key, script.createCachedData());
    }
    if (store.isDirty()) store.save();
    cache.uninstall();
  });
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
  /** @type {any} */
  let real;
  const load = () => {
    if (!real) {
      delete require.cache[file];
      real = require(file);
    }
    return real;
  };
  const standIn = new Module(file);
  standIn.filename = file;
  standIn.loaded = true;
  standIn.exports = new Proxy(function archiver() {}, {
    apply: (_, self, args) => Reflect.apply(load(), self, args),
    get: (_, key) => Reflect.get(load(), key),
  });
  require.cache[file] = standIn;
}
