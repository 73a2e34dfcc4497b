// npm run bench [-- --runs N]: synth wall time and peak memory, measured side by side in one run.
//  - the README's synth command (`npm run synth`), `cdktf synth` with the same fast app,
//  - the stock cdktf way for the same app: `cdktf synth` running `ts-node main.ts` (type-checked)
//    with `import * as google from "@cdktf/provider-google"` (the prebuilt package, a dev
//    dependency for this comparison only) instead of deep imports of the generated bindings,
//  - scaling: 1, 10 and 100 generated environments (2 stacks each), and warm `npm test`.
// Prints medians and checks them against the budgets; noisy machines make single runs unreliable,
// so compare the ratio column, which is measured under the same load.
const { execFileSync, spawnSync } = require("child_process");
const fs = require("fs");
const os = require("os");
const path = require("path");

const root = path.join(__dirname, "..");
const runs = Number(process.argv[process.argv.indexOf("--runs") + 1]) || 5;
const work = fs.mkdtempSync(path.join(os.tmpdir(), "redis-net-bench-"));
const env = { ...process.env, CHECKPOINT_DISABLE: "1" };
if (env.TF_CLI_CONFIG_FILE && !fs.existsSync(env.TF_CLI_CONFIG_FILE)) delete env.TF_CLI_CONFIG_FILE;

/** Runs a shell command under GNU time; returns wall seconds and peak RSS in MB. */
function measure(command, cwd = root, extraEnv = {}) {
  const result = spawnSync("/usr/bin/time", ["-f", "%e %M", "sh", "-c", `${command} >/dev/null`], { cwd, env: { ...env, ...extraEnv }, encoding: "utf8" });
  const last = result.stderr.trim().split("\n").pop();
  if (result.status !== 0) throw new Error(`${command} failed:\n${result.stderr}`);
  const [wall, kb] = last.split(" ").map(Number);
  return { wall, mb: kb / 1024 };
}

function median(samples) {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

function repeat(command, cwd, extraEnv, times = runs) {
  measure(command, cwd, extraEnv); // warm-up: caches, compiled code
  const samples = Array.from({ length: times }, () => measure(command, cwd, extraEnv));
  return { wall: median(samples.map((s) => s.wall)), mb: Math.max(...samples.map((s) => s.mb)) };
}

/** A copy of the app written the stock way: package-index imports, run by ts-node with type-check. */
function stockApp() {
  const dir = path.join(work, "stock");
  for (const entry of [...require("./build").appSources, "tsconfig.json"]) fs.cpSync(path.join(root, entry), path.join(dir, entry), { recursive: true });
  for (const entry of ["node_modules", ".gen"]) fs.symlinkSync(path.join(root, entry), path.join(dir, entry));
  const camel = (name) => name.replace(/-(\w)/g, (_, c) => c.toUpperCase());
  const rewrite = (file) => {
    let source = fs.readFileSync(file, "utf8");
    const namespaces = new Map();
    const renames = [];
    source = source.replace(/^import \{ ([\w, ]+) \} from "((?:\.\.\/)*\.gen\/providers\/\w+)\/([\w-]+)";\n/gm, (_, names, pkg, mod) => {
      const alias = pkg.split("/").pop();
      namespaces.set(alias, alias === "google" ? "@cdktf/provider-google" : pkg);
      for (const name of names.split(", ")) renames.push([name, `${alias}.${camel(mod)}.${name}`]);
      return "";
    });
    for (const [name, qualified] of renames) source = source.replace(new RegExp(`(?<![\\w.])${name}\\b`, "g"), qualified);
    const imports = [...namespaces].map(([alias, pkg]) => `import * as ${alias} from "${pkg}";`).join("\n");
    fs.writeFileSync(file, `${imports}\n${source}`);
  };
  const walk = (d) => fs.readdirSync(d, { withFileTypes: true }).forEach((e) => (e.isDirectory() ? walk(path.join(d, e.name)) : e.name.endsWith(".ts") && rewrite(path.join(d, e.name))));
  ["constructs", "stacks"].forEach((d) => walk(path.join(dir, d)));
  fs.writeFileSync(path.join(dir, "cdktf.json"), JSON.stringify({ language: "typescript", app: "npx ts-node main.ts", codeMakerOutput: ".gen" }));
  fs.appendFileSync(path.join(dir, "main.ts"), "\nmain();\n");
  fs.writeFileSync(path.join(dir, "main.ts"), fs.readFileSync(path.join(dir, "main.ts"), "utf8").replace("if (require.main === module) main();", ""));
  return dir;
}

/** A configuration with n environments, each a copy of staging on both clouds. */
function generatedConfig(n) {
  const shipped = JSON.parse(fs.readFileSync(path.join(root, "config", "environments.json"), "utf8"));
  const environments = {};
  // Staging without its adoption of the live staging resources, which only staging may adopt.
  const { adopt: _adopt, ...gcp } = shipped.environments.staging.gcp;
  for (let i = 1; i <= n; i++) environments[`env-${String(i).padStart(3, "0")}`] = { ...shipped.environments.staging, gcp };
  const file = path.join(work, `environments-${n}.json`);
  fs.writeFileSync(file, JSON.stringify({ environments }));
  return file;
}

/**
 * The comparison is only fair if both ways synthesize the same Terraform, but for the google pin:
 * the prebuilt package pins 6.50.0, the generated bindings 8.0.0.
 */
function assertSameStacks(a, b) {
  const strip = (value) => JSON.stringify(value, (key, inner) => (key === "//" ? undefined : key === "required_providers" ? { ...inner, google: undefined } : inner));
  for (const stack of fs.readdirSync(path.join(a, "stacks"))) {
    const read = (dir) => strip(JSON.parse(fs.readFileSync(path.join(dir, "stacks", stack, "cdk.tf.json"), "utf8")));
    if (read(a) !== read(b)) throw new Error(`the stock app synthesized ${stack} differently`);
  }
}

const rows = [];
function report(name, result, budget) {
  const verdict = budget ? (budget(result) ? "meets" : "MISSES") + " " + budget.text : "";
  rows.push([name, `${result.wall.toFixed(2)} s`, `${result.mb.toFixed(0)} MB`, verdict]);
}
const within = (seconds, mb) => Object.assign((r) => r.wall <= seconds && (mb === undefined || r.mb <= mb), { text: `≤ ${seconds} s${mb ? ` and ≤ ${mb} MB` : ""}` });

execFileSync("node", ["scripts/build.js"], { cwd: root, env });
const out = (name) => ({ CDKTF_OUTDIR: path.join(work, `out-${name}`) });
const readme = repeat("npm run --silent synth", root, out("readme"));
report("npm run synth (README)", readme, within(0.5, 150));
const cli = repeat("node_modules/.bin/cdktf synth", root);
report("cdktf synth", cli, within(2.5));
const stockDir = stockApp();
const stock = repeat("node_modules/.bin/cdktf synth", stockDir, {}, Math.min(runs, 3));
report("cdktf synth, stock (ts-node, package index)", stock);
assertSameStacks(path.join(root, "cdktf.out"), path.join(stockDir, "cdktf.out"));
const ratio = stock.wall / cli.wall;
rows.push(["stock / cdktf synth", `${ratio.toFixed(1)}×`, `${(stock.mb / cli.mb).toFixed(1)}×`, `${ratio >= 10 ? "meets" : "MISSES"} ≥ 10×`]);
const ratioReadme = stock.wall / readme.wall;
rows.push(["stock / npm run synth", `${ratioReadme.toFixed(1)}×`, `${(stock.mb / readme.mb).toFixed(1)}×`, `${ratioReadme >= 10 ? "meets" : "MISSES"} ≥ 10×`]);
for (const n of [1, 10, 100]) {
  const scaled = repeat("node scripts/synth.js", root, { REDIS_NET_CONFIG: generatedConfig(n), ...out(`scale-${n}`) }, n === 100 ? 3 : runs);
  report(`${n} environment${n > 1 ? "s" : ""} (${2 * n} stacks), node scripts/synth.js`, scaled, n === 100 ? within(5) : undefined);
}
report("npm test (warm)", repeat("npm test --silent", root, {}, 1), within(20));

const widths = [0, 1, 2, 3].map((i) => Math.max(...rows.map((r) => r[i].length), 4));
console.log(`median of ${runs} runs (stock: ${Math.min(runs, 3)}), peak RSS is the maximum over runs\n`);
for (const row of rows) console.log(row.map((cell, i) => cell.padEnd(widths[i])).join("  "));
fs.rmSync(work, { recursive: true, force: true });
