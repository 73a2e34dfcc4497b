// Compiles the app to dist/ with swc (type-checking is `npm run typecheck`, kept off the synth
// path), and only when a source changed since the last build: dist/.source-hash records the hash
// of every compiled source, so a stale build is never run.
const crypto = require("crypto");
const fs = require("fs");
const path = require("path");

const root = path.join(__dirname, "..");
const dist = path.join(root, "dist");
const stampFile = path.join(dist, ".source-hash");
const roots = ["main.ts", "config", "constructs", "policy", "stacks", ".gen"];

function sources() {
  const found = [];
  const walk = (rel) => {
    const abs = path.join(root, rel);
    if (!fs.existsSync(abs)) return;
    if (fs.statSync(abs).isDirectory()) return fs.readdirSync(abs).sort().forEach((entry) => walk(path.join(rel, entry)));
    if (rel.endsWith(".ts") && !rel.endsWith(".d.ts")) found.push(rel);
  };
  roots.forEach(walk);
  return found;
}

function hashOf(files) {
  const hash = crypto.createHash("sha256").update(require("@swc/core/package.json").version);
  for (const file of files) hash.update(`\0${file}\0`).update(fs.readFileSync(path.join(root, file)));
  return hash.digest("hex");
}

/** Rebuilds dist/ when it does not match the sources; returns whether it rebuilt. */
function build() {
  if (!fs.existsSync(path.join(root, ".gen"))) throw new Error(".gen/ is missing: run npm run get (npm ci runs it)");
  const files = sources();
  const hash = hashOf(files);
  if (fs.existsSync(stampFile) && fs.readFileSync(stampFile, "utf8") === hash) return false;

  const swc = require("@swc/core");
  fs.rmSync(dist, { recursive: true, force: true });
  for (const file of files) {
    const { code } = swc.transformSync(fs.readFileSync(path.join(root, file), "utf8"), {
      filename: file,
      jsc: { parser: { syntax: "typescript" }, target: "es2022" },
      module: { type: "commonjs" },
    });
    const out = path.join(dist, file.replace(/\.ts$/, ".js"));
    fs.mkdirSync(path.dirname(out), { recursive: true });
    fs.writeFileSync(out, code);
  }
  fs.writeFileSync(stampFile, hash);
  return true;
}

module.exports = { build };

if (require.main === module) console.log(build() ? "built dist/" : "dist/ is up to date");
