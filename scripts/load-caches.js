// @ts-check
// How scripts/run.js loads the app and the tools faster (docs/speed.md): what a run keeps for the
// next, each in the build it belongs to (so pruned with it), and stand-ins for modules loaded but
// not used, which the tests' setup gives cdktf too.
const fs = require("fs");
const Module = require("module");
const path = require("path");

/**
 * v8-compile-cache, with one change: it stores a module's code as V8 compiled it on loading, the top
 * level only (V8 compiles a function on its first call), so every synth compiled again each function
 * it ran: cdktf's resolver, the bindings' attribute mappers, the constructs. A module compiled
 * without a usable stored copy is stored as it stands when the process exits instead, with every
 * function the run compiled (docs/speed.md). Later runs find it and change nothing.
 * @param {string} dir where the cache lives
 * @param {string} name whose code it is: the launcher (the app) or the launcher and a tool
 */
function cacheCompiledCode(dir, name) {
  const vm = require("vm");
  // Its own install reads the directory from the environment and registers its exit handler first;
  // the classes it exports (as __TEST__) let this one run before the store is saved.
  process.env.DISABLE_V8_COMPILE_CACHE = "1";
  // @ts-expect-error: untyped
  const { FileSystemBlobStore, NativeCompileCache } = require("v8-compile-cache").__TEST__;
  delete process.env.DISABLE_V8_COMPILE_CACHE;
  // Named as v8-compile-cache names it, for the main module's path.
  const store = new FileSystemBlobStore(dir, path.join(__dirname, name));
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
  process.once("exit", (code) => {
    cache.uninstall();
    // Like the rest of a run that failed (refused input), nothing of it is kept.
    if (code !== 0) return;
    for (const [filename, script] of compiled) {
      const key = store._invalidationKeys[filename];
      if (key) store.set(filename, key, script.createCachedData());
    }
    if (store.isDirty()) store.save();
  });
}

/**
 * Where each `require` of the process led, kept between runs: resolving a request walks folders and
 * reads package.json files, about a tenth of a synth. The answers stand while the build (whose
 * folder holds them), the installed packages (npm rewrites node_modules/.package-lock.json on every
 * install), Node's version and its module lookup settings are those they were found with. Without
 * that lock file nothing is kept; an answer whose file is gone is looked up again. A run that fails
 * keeps nothing.
 * @param {string} file where the answers are kept
 * @param {string} modules the project's node_modules folder
 */
function cacheResolutions(file, modules) {
  const lock = fs.statSync(path.join(modules, ".package-lock.json"), { bigint: true, throwIfNoEntry: false });
  if (!lock) return;
  const lookup = [process.env.NODE_PATH, process.env.NODE_PRESERVE_SYMLINKS, ...process.execArgv.filter((arg) => arg.includes("symlinks"))];
  const stamp = JSON.stringify([process.version, ...lookup, `${lock.ino}:${lock.size}:${lock.mtimeNs}:${lock.ctimeNs}`]);
  /** @type {Record<string, string>} */
  let found = {};
  try {
    const kept = JSON.parse(fs.readFileSync(file, "utf8"));
    if (kept.stamp === stamp) found = kept.found;
  } catch {
    // None kept yet (or not readable): every request is resolved.
  }
  let added = false;
  /** @type {any} */
  const loader = Module;
  const resolve = loader._resolveFilename;
  // (request, parent, isMain, options): a lookup with options (require.resolve's paths) is not kept.
  loader._resolveFilename = function (/** @type {string} */ request, /** @type {Module | undefined} */ parent, /** @type {unknown[]} */ ...rest) {
    if (rest[1] || !parent?.path || Module.isBuiltin(request)) return resolve.call(this, request, parent, ...rest);
    const key = `${parent.path}\0${request}`;
    const kept = found[key];
    if (kept !== undefined && fs.existsSync(kept)) return kept;
    found[key] = resolve.call(this, request, parent, ...rest);
    added = true;
    return found[key];
  };
  process.once("exit", (code) => {
    if (!added || code !== 0) return;
    // Written whole under a name of its own, then renamed: a concurrent run reads the old or the new.
    const scratch = `${file}.${process.pid}`;
    try {
      fs.writeFileSync(scratch, JSON.stringify({ stamp, found }));
      fs.renameSync(scratch, file);
    } catch {
      // A build that cannot be written (a read-only checkout) keeps nothing; the run is not affected.
      fs.rmSync(scratch, { force: true });
    }
  });
}

/**
 * A stand-in for a module that loads the real one on its first use: called, or a property read.
 * @param {() => any} load loads the real module
 */
function onFirstUse(load) {
  /** @type {any} */
  let real;
  return new Proxy(function standIn() {}, {
    apply: (_, self, args) => Reflect.apply((real ??= load()), self, args),
    get: (_, key) => Reflect.get((real ??= load()), key),
  });
}

module.exports = { cacheCompiledCode, cacheResolutions, onFirstUse };
