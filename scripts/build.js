// @ts-check
// Compiles the app and its tools (scripts/**/*.ts) with swc (type-checking is `npm run typecheck`,
// kept off the synth path), and only when a source changed since the last build: dist/.source-hash
// records the hash of every compiled source, so a stale build is never run. Reading every source
// is most of a no-op check, so dist/.source-stat records the sources' stat signature the hash was
// last confirmed for: while no file was written since (a write always moves its ctime), it stands.
//
// Safe under concurrent runs: each build is compiled into its own directory, moved complete to
// .build/<hash>, and dist is a symlink switched to it by one rename. A run that loaded dist/main.js
// keeps resolving its modules inside that build (node follows the link once), so it never mixes two.
const crypto = require("crypto");
const fs = require("fs");
const path = require("path");

const root = path.join(__dirname, "..");
const dist = path.join(root, "dist");
const builds = path.join(root, ".build");
const stampFile = path.join(dist, ".source-hash");
const statFile = path.join(dist, ".source-stat");
/** The app's own sources; with the tools and the generated bindings, everything the build compiles. */
const appSources = ["main.ts", "config", "constructs", "input", "limits", "naming", "output", "policy", "stacks"];
const roots = [...appSources, "scripts", ".gen"];

/** @returns {string[]} every .ts file (not .d.ts) under `roots`, relative to the project, sorted */
function sources() {
  /** @type {string[]} */
  const found = [];
  // A listing gives its entries' types, so only the roots and symbolic links are stat'ed here.
  /** @param {fs.Dirent} a @param {fs.Dirent} b */
  const byName = (a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
  /** @param {string} rel @param {fs.Dirent | fs.Stats | undefined} kind undefined: absent, or a dangling link */
  const walk = (rel, kind) => {
    if (!kind) return;
    if (!kind.isDirectory()) return void (rel.endsWith(".ts") && !rel.endsWith(".d.ts") && found.push(rel));
    for (const entry of fs.readdirSync(path.join(root, rel), { withFileTypes: true }).sort(byName)) {
      const child = path.join(rel, entry.name);
      walk(child, entry.isSymbolicLink() ? fs.statSync(path.join(root, child), { throwIfNoEntry: false }) : entry);
    }
  };
  for (const rel of roots) walk(rel, fs.statSync(path.join(root, rel), { throwIfNoEntry: false }));
  return found;
}

/** @param {string[]} files */
function hashOf(files) {
  const hash = crypto.createHash("sha256").update(require("@swc/core/package.json").version);
  for (const file of files) hash.update(`\0${file}\0`).update(fs.readFileSync(path.join(root, file)));
  return hash.digest("hex");
}

/**
 * The sources' names, inodes, sizes and change times: equal only while no source was written, moved
 * or replaced (ctime cannot be set back), so it stands in for reading them.
 * @param {string[]} files
 */
function statSignature(files) {
  const hash = crypto.createHash("sha256").update(require("@swc/core/package.json").version);
  for (const file of files) {
    const stat = fs.statSync(path.join(root, file), { bigint: true });
    hash.update(`\0${file}\0${stat.ino}:${stat.size}:${stat.mtimeNs}:${stat.ctimeNs}`);
  }
  return hash.digest("hex");
}

/** @param {string} file */
function contentOf(file) {
  return fs.existsSync(file) ? fs.readFileSync(file, "utf8") : undefined;
}

/**
 * Records that dist/ matches the sources as `signature` found them. Taken before their contents
 * were hashed, so a write in between leaves a signature no later state has.
 * @param {string} signature
 */
function confirm(signature) {
  const scratch = `${statFile}.${process.pid}`;
  fs.writeFileSync(scratch, signature);
  fs.renameSync(scratch, statFile);
}

/**
 * Rebuilds dist/ when it does not match the sources.
 * @returns {boolean} whether it rebuilt
 */
function build() {
  if (!fs.existsSync(path.join(root, ".gen"))) throw new Error(".gen/ is missing: run npm run get (npm ci runs it)");
  const files = sources();
  const signature = statSignature(files);
  if (contentOf(statFile) === signature) return false;
  const hash = hashOf(files);
  if (contentOf(stampFile) === hash) {
    confirm(signature);
    return false;
  }

  const target = path.join(builds, hash);
  if (!fs.existsSync(target)) compileInto(target, files, hash);
  // A new link renamed over the old one: dist is never missing, never half-written.
  const link = `${dist}.link-${process.pid}`;
  fs.rmSync(link, { force: true });
  fs.symlinkSync(path.relative(root, target), link);
  if (fs.existsSync(dist) && !fs.lstatSync(dist).isSymbolicLink()) fs.rmSync(dist, { recursive: true, force: true }); // a pre-link dist/
  fs.renameSync(link, dist);
  confirm(signature);
  prune(hash);
  return true;
}

/**
 * @param {string} target
 * @param {string[]} files
 * @param {string} hash
 */
function compileInto(target, files, hash) {
  const swc = require("@swc/core");
  const scratch = `${target}.partial-${process.pid}`;
  fs.rmSync(scratch, { recursive: true, force: true });
  for (const file of files) {
    const { code } = swc.transformSync(fs.readFileSync(path.join(root, file), "utf8"), {
      filename: file,
      jsc: { parser: { syntax: "typescript" }, target: "es2022" },
      module: { type: "commonjs" },
    });
    const out = path.join(scratch, file.replace(/\.ts$/, ".js"));
    fs.mkdirSync(path.dirname(out), { recursive: true });
    fs.writeFileSync(out, code);
  }
  fs.writeFileSync(path.join(scratch, ".source-hash"), hash);
  try {
    fs.renameSync(scratch, target);
  } catch (error) {
    // Another run finished the same build first: its copy is identical.
    fs.rmSync(scratch, { recursive: true, force: true });
    if (!fs.existsSync(target)) throw error;
  }
}

/**
 * Removes builds other than `current` that no run can still be loading: older than an hour.
 * @param {string} current
 */
function prune(current) {
  const hourAgo = Date.now() - 3600_000;
  for (const entry of fs.readdirSync(builds)) {
    const abs = path.join(builds, entry);
    // A run beside this one may rename or remove its own build in progress between the two calls.
    const stat = fs.statSync(abs, { throwIfNoEntry: false });
    if (entry !== current && stat && stat.mtimeMs < hourAgo) fs.rmSync(abs, { recursive: true, force: true });
  }
}

module.exports = { build, appSources };

if (require.main === module) console.log(build() ? "built dist/" : "dist/ is up to date");
