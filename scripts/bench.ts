// npm run bench [-- --runs N] [-- --only synth]: synth wall time and peak memory, measured side by side in one run.
//  - the synth (`node scripts/run.js`) against the floor, loading cdktf (`node -e "require('cdktf')"`),
//    in alternating pairs: the median ratio must be at most 1.5× (exit 1 above it), `--only synth` runs only this,
//  - the README's synth command (`npm run synth`), `cdktf synth` with the same fast app,
//  - the stock cdktf way for the same app: `cdktf synth` running `ts-node main.ts` (type-checked)
//    with each provider imported through its package index (`import * as google from
//    "../.gen/providers/google"`) instead of deep imports of one file per resource type,
//  - scaling: 1, 10 and 100 generated environments (2 stacks each), and warm `npm test`.
// Prints medians and checks them against the budgets; noisy machines make single runs unreliable,
// so compare the ratio column, which is measured under the same load.
import { execFileSync, spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { count, parseOptions } from "./args";
import { ROOT } from "./root";

interface Measured {
  /** Wall seconds. */
  readonly wall: number;
  /** Peak resident memory, MB. */
  readonly mb: number;
}

type Budget = ((result: Measured) => boolean) & { text: string };

const env: NodeJS.ProcessEnv = { ...process.env, CHECKPOINT_DISABLE: "1" };
if (env.TF_CLI_CONFIG_FILE && !fs.existsSync(env.TF_CLI_CONFIG_FILE)) delete env.TF_CLI_CONFIG_FILE;

/** Runs a shell command under GNU time; returns wall seconds and peak RSS in MB. */
function measure(command: string, cwd = ROOT, extraEnv: NodeJS.ProcessEnv = {}): Measured {
  const result = spawnSync("/usr/bin/time", ["-f", "%e %M", "sh", "-c", `${command} >/dev/null`], { cwd, env: { ...env, ...extraEnv }, encoding: "utf8" });
  const last = result.stderr.trim().split("\n").pop()!;
  if (result.status !== 0) throw new Error(`${command} failed:\n${result.stderr}`);
  const [wall, kb] = last.split(" ").map(Number);
  return { wall, mb: kb / 1024 };
}

function median(samples: number[]): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

/** Samples as one figure: the median wall time and the highest peak memory. */
function summary(samples: Measured[]): Measured {
  return { wall: median(samples.map((s) => s.wall)), mb: Math.max(...samples.map((s) => s.mb)) };
}

function repeat(command: string, cwd: string, extraEnv: NodeJS.ProcessEnv, times: number): Measured {
  measure(command, cwd, extraEnv); // warm-up: caches, compiled code
  return summary(Array.from({ length: times }, () => measure(command, cwd, extraEnv)));
}

/**
 * A copy of the app written the stock way: each provider imported through its package index (what
 * `cdktf get` writes and its docs import), run by ts-node with type-check. The prebuilt
 * @cdktf/provider-google (google 6.50.0, the last cdktf published) lacks attributes the app sets,
 * so the stock copy uses the same generated bindings, through their index.
 */
function stockApp(work: string): string {
  const dir = path.join(work, "stock");
  // The build script names the app's sources; it runs before any build, so it is plain JavaScript.
  const { appSources }: typeof import("./build") = require(path.join(ROOT, "scripts", "build.js"));
  for (const entry of [...appSources, "tsconfig.json"]) fs.cpSync(path.join(ROOT, entry), path.join(dir, entry), { recursive: true });
  for (const entry of ["node_modules", ".gen"]) fs.symlinkSync(path.join(ROOT, entry), path.join(dir, entry));
  const camel = (name: string) => name.replace(/-(\w)/g, (_, c: string) => c.toUpperCase());
  const rewrite = (file: string) => {
    let source = fs.readFileSync(file, "utf8");
    const namespaces = new Map<string, string>();
    const renames: [string, string][] = [];
    source = source.replace(/^import \{ ([\w, ]+) \} from "((?:\.\.\/)*\.gen\/providers\/\w+)\/([\w-]+)";\n/gm, (_, names: string, pkg: string, mod: string) => {
      const alias = pkg.split("/").pop()!;
      namespaces.set(alias, pkg);
      for (const name of names.split(", ")) renames.push([name, `${alias}.${camel(mod)}.${name}`]);
      return "";
    });
    for (const [name, qualified] of renames) source = source.replace(new RegExp(`(?<![\\w.])${name}\\b`, "g"), qualified);
    const imports = [...namespaces].map(([alias, pkg]) => `import * as ${alias} from "${pkg}";`).join("\n");
    fs.writeFileSync(file, `${imports}\n${source}`);
  };
  const walk = (d: string): void => fs.readdirSync(d, { withFileTypes: true }).forEach((e) => (e.isDirectory() ? walk(path.join(d, e.name)) : e.name.endsWith(".ts") && rewrite(path.join(d, e.name))));
  ["constructs", "stacks"].forEach((d) => walk(path.join(dir, d)));
  fs.writeFileSync(path.join(dir, "cdktf.json"), JSON.stringify({ language: "typescript", app: "npx ts-node main.ts", codeMakerOutput: ".gen" }));
  fs.appendFileSync(path.join(dir, "main.ts"), "\nmain();\n");
  return dir;
}

/** A configuration with n environments, each a copy of staging on both clouds. */
function generatedConfig(work: string, n: number): string {
  const shipped = JSON.parse(fs.readFileSync(path.join(ROOT, "config", "environments.json"), "utf8"));
  const environments: Record<string, unknown> = {};
  // Staging without its adoption of the live staging resources, which only staging may adopt.
  const { adopt: _adopt, ...gcp } = shipped.environments.staging.gcp;
  for (let i = 1; i <= n; i++) environments[`env-${String(i).padStart(3, "0")}`] = { ...shipped.environments.staging, gcp };
  const file = path.join(work, `environments-${n}.json`);
  fs.writeFileSync(file, JSON.stringify({ environments }));
  return file;
}

/** The comparison is only fair if both ways synthesize the same Terraform. */
function assertSameStacks(a: string, b: string): void {
  const strip = (value: unknown) => JSON.stringify(value, (key, inner) => (key === "//" ? undefined : inner));
  for (const stack of fs.readdirSync(path.join(a, "stacks"))) {
    const read = (dir: string) => strip(JSON.parse(fs.readFileSync(path.join(dir, "stacks", stack, "cdk.tf.json"), "utf8")));
    if (read(a) !== read(b)) throw new Error(`the stock app synthesized ${stack} differently`);
  }
}

const within = (seconds: number, mb?: number): Budget =>
  Object.assign((r: Measured) => r.wall <= seconds && (mb === undefined || r.mb <= mb), { text: `≤ ${seconds} s${mb ? ` and ≤ ${mb} MB` : ""}` });

/** The synth may cost at most this many times loading cdktf alone. */
const FLOOR_RATIO = 1.5;
/** Peak memory of the synth before the speed work (120-124 MB measured on a762492): no higher than that. */
const SYNTH_MB = 125;

/**
 * The synth against loading cdktf, in alternating pairs so both see the same load: the median of
 * the pairs' ratios, and each command's median wall time and peak memory.
 */
function againstFloor(runs: number, work: string): { rows: string[][]; meets: boolean } {
  const floorCommand = `node -e "require('cdktf')"`;
  const synthEnv = { CDKTF_OUTDIR: path.join(work, "out-floor") };
  measure(floorCommand);
  measure("node scripts/run.js", ROOT, synthEnv);
  const pairs = Array.from({ length: Math.max(runs, 10) }, () => [measure(floorCommand), measure("node scripts/run.js", ROOT, synthEnv)]);
  const floor = summary(pairs.map(([f]) => f));
  const synth = summary(pairs.map(([, s]) => s));
  const ratio = median(pairs.map(([f, s]) => s.wall / f.wall));
  const fast = ratio <= FLOOR_RATIO;
  const lean = synth.mb <= SYNTH_MB;
  const verdict = (ok: boolean) => (ok ? "meets" : "MISSES");
  return {
    meets: fast && lean,
    rows: [
      [`node -e "require('cdktf')" (the floor)`, `${floor.wall.toFixed(3)} s`, `${floor.mb.toFixed(0)} MB`, ""],
      ["node scripts/run.js (the synth)", `${synth.wall.toFixed(3)} s`, `${synth.mb.toFixed(0)} MB`, `${verdict(lean)} ≤ ${SYNTH_MB} MB`],
      ["synth / floor (median of pairs)", `${ratio.toFixed(2)}×`, `${(synth.mb / floor.mb).toFixed(1)}×`, `${verdict(fast)} ≤ ${FLOOR_RATIO}×`],
    ],
  };
}

export function main(argv: string[]): number {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), "redis-net-bench-"));
  try {
    const usage = "npm run bench [-- --runs N] [-- --only synth]";
    const { values } = parseOptions({ args: argv, options: { runs: { type: "string" }, only: { type: "string" } } }, usage);
    if (values.only !== undefined && values.only !== "synth") throw new Error(`--only ${values.only}: must be synth; usage: ${usage}`);
    const runs = count("runs", values.runs, 5);
    execFileSync("node", ["scripts/build.js"], { cwd: ROOT, env });
    const floor = againstFloor(runs, work);
    const rows = values.only ? format(floor.rows, runs) : bench(runs, work, floor.rows);
    for (const row of rows) console.log(row);
    return floor.meets ? 0 : 1;
  } catch (error) {
    console.error(`bench: ${(error as Error).message}`);
    return 1;
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

/** The report's lines. */
function bench(runs: number, work: string, floorRows: string[][]): string[] {
  const rows: string[][] = [...floorRows];
  const report = (name: string, result: Measured, budget?: Budget) => {
    const verdict = budget ? (budget(result) ? "meets" : "MISSES") + " " + budget.text : "";
    rows.push([name, `${result.wall.toFixed(2)} s`, `${result.mb.toFixed(0)} MB`, verdict]);
  };
  const out = (name: string) => ({ CDKTF_OUTDIR: path.join(work, `out-${name}`) });
  const readme = repeat("npm run --silent synth", ROOT, out("readme"), runs);
  report("npm run synth (README)", readme, within(0.5, 150));
  const cli = repeat("node_modules/.bin/cdktf synth", ROOT, {}, runs);
  report("cdktf synth", cli, within(2.5));
  const stockDir = stockApp(work);
  const stock = repeat("node_modules/.bin/cdktf synth", stockDir, {}, Math.min(runs, 3));
  report("cdktf synth, stock (ts-node, package index)", stock);
  assertSameStacks(path.join(ROOT, "cdktf.out"), path.join(stockDir, "cdktf.out"));
  const ratio = stock.wall / cli.wall;
  rows.push(["stock / cdktf synth", `${ratio.toFixed(1)}×`, `${(stock.mb / cli.mb).toFixed(1)}×`, `${ratio >= 10 ? "meets" : "MISSES"} ≥ 10×`]);
  const ratioReadme = stock.wall / readme.wall;
  rows.push(["stock / npm run synth", `${ratioReadme.toFixed(1)}×`, `${(stock.mb / readme.mb).toFixed(1)}×`, `${ratioReadme >= 10 ? "meets" : "MISSES"} ≥ 10×`]);
  for (const n of [1, 10, 100]) {
    const scaled = repeat("node scripts/run.js", ROOT, { REDIS_NET_CONFIG: generatedConfig(work, n), ...out(`scale-${n}`) }, n === 100 ? 3 : runs);
    report(`${n} environment${n > 1 ? "s" : ""} (${2 * n} stacks), node scripts/run.js`, scaled, n === 100 ? within(5) : undefined);
  }
  report("npm test (warm)", repeat("npm test --silent", ROOT, {}, 1), within(20));

  return format(rows, runs);
}

function format(rows: string[][], runs: number): string[] {
  const widths = [0, 1, 2, 3].map((i) => Math.max(...rows.map((r) => r[i].length), 4));
  return [
    `median of ${runs} runs (the floor pairs: ${Math.max(runs, 10)}; stock: ${Math.min(runs, 3)}), peak RSS is the maximum over runs\n`,
    ...rows.map((row) => row.map((cell, i) => cell.padEnd(widths[i])).join("  ")),
  ];
}
