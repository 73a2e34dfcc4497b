// `npm run cdktn [-- --keep]`: proves the way off cdktf (archived upstream in December 2025) onto its
// community fork CDK Terrain. In a temporary copy of the app, imports of cdktf become cdktn, the
// bindings are regenerated with `cdktn get` from the committed schemas (providers/schema), and
// `cdktn synth` (its CLI needs Node >= 22.19: scripts/node.sh 22) writes every stack; the output
// must equal cdktf's, file by file and key by key, apart from the version string in the metadata.
// cdktn, its CLI and constructs are installed from the npm registry into a cache outside the repo,
// by version. Exit 0: identical apart from the versions; 1: differences, listed, or a step failed.
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { parseOptions } from "./args";
import { ROOT } from "./root";

const CDKTN = "0.24.0";
/** cdktn 0.24 takes constructs >= 10.6 < 10.8. */
const CONSTRUCTS = "10.6.0";
/** What the app's build and synth need besides cdktn, taken from this checkout. */
const APP_MODULES = ["zod", "v8-compile-cache", "@swc"];
/**
 * cdktn validates write-only attributes (the Scaleway password_wo) against the targets declared in
 * the App's context; undeclared, it assumes Terraform >= 1.5.7 and refuses them. The stacks require
 * 1.11 already. (cdktf.json's `targetVersions` reaches only apps the cdktn CLI starts.)
 */
const APP_CONTEXT = "context: { [LOCAL_STATE_DIR]: localStateDir }";
const WITH_TARGETS = 'context: { [LOCAL_STATE_DIR]: localStateDir, targetVersions: { terraform: ">=1.11.0", opentofu: ">=1.11.0" } }';

function run(command: string, args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): string {
  return execFileSync(command, args, { cwd: options.cwd ?? ROOT, env: options.env ?? process.env, encoding: "utf8", maxBuffer: 64 << 20, stdio: ["ignore", "pipe", "inherit"] });
}

/** Where cdktn is installed (once per version), with Node 22 first on the returned PATH. */
function installCdktn(): { modules: string; env: NodeJS.ProcessEnv } {
  const nodeBin = run("bash", [path.join(ROOT, "scripts", "node.sh"), "22"]).trim();
  const env = { ...process.env, PATH: `${nodeBin}:${process.env.PATH}` };
  const dir = path.join(process.env.REDIS_NET_CACHE ?? path.join(os.homedir(), ".cache", "redis-net"), `cdktn-${CDKTN}`);
  if (!fs.existsSync(path.join(dir, "node_modules", ".bin", "cdktn"))) {
    console.error(`installing cdktn ${CDKTN}, cdktn-cli ${CDKTN} and constructs ${CONSTRUCTS} from the npm registry into ${dir}`);
    fs.rmSync(dir, { recursive: true, force: true });
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, "package.json"), "{}\n");
    run("npm", ["install", "--no-save", "--no-audit", "--no-fund", "--loglevel=error", `cdktn@${CDKTN}`, `cdktn-cli@${CDKTN}`, `constructs@${CONSTRUCTS}`], { cwd: dir, env });
  }
  return { modules: path.join(dir, "node_modules"), env };
}

/**
 * The app in `app/`, on cdktn: its sources with cdktn imports, the installed modules, and the
 * committed schemas under the names cdktn's schema cache looks for.
 */
function cdktnCopy(work: string, modules: string, env: NodeJS.ProcessEnv): { app: string; cdktn: string; env: NodeJS.ProcessEnv } {
  const app = path.join(work, "app");
  // The build script names the app's sources; it runs before any build, so it is plain JavaScript.
  const { appSources }: typeof import("./build") = require(path.join(ROOT, "scripts", "build.js"));
  // With the launcher and the build: cdktf.json's app, which cdktn synth runs.
  for (const entry of [...appSources, "scripts/build.js", "scripts/run.js", "scripts/load-caches.js", "cdktf.json", "package.json"]) fs.cpSync(path.join(ROOT, entry), path.join(app, entry), { recursive: true });
  for (const file of tsFiles(app)) fs.writeFileSync(file, fs.readFileSync(file, "utf8").replaceAll('from "cdktf"', 'from "cdktn"'));
  const main = fs.readFileSync(path.join(app, "main.ts"), "utf8");
  if (!main.includes(APP_CONTEXT)) throw new Error(`main.ts no longer creates its App with ${APP_CONTEXT}: update scripts/cdktn.ts and docs/cdktf.md's steps`);
  fs.writeFileSync(path.join(app, "main.ts"), main.replace(APP_CONTEXT, WITH_TARGETS));

  fs.mkdirSync(path.join(app, "node_modules"));
  for (const entry of fs.readdirSync(modules)) if (!APP_MODULES.includes(entry)) fs.symlinkSync(path.join(modules, entry), path.join(app, "node_modules", entry));
  for (const entry of APP_MODULES) fs.symlinkSync(path.join(ROOT, "node_modules", entry), path.join(app, "node_modules", entry));

  // No provider is installed: an empty CLI config keeps a missing ~/.terraformrc from warning.
  const quiet = { ...env, TF_CLI_CONFIG_FILE: "/dev/null", CHECKPOINT_DISABLE: "1" };
  // cdktn's schema cache names an entry <provider>@<version>@<cli>-<major>.<minor>, after the CLI
  // that would fetch the schema; asked of cdktn itself, under Node 22.
  const schemaModule = JSON.stringify(path.join(modules, "@cdktn", "provider-schema", "build", "provider-schema"));
  const ask = `require(${schemaModule}).getFetchingCliVersion().then((cli) => console.log(JSON.stringify(cli)))`;
  const cli = JSON.parse(run("node", ["-e", ask], { cwd: app, env: quiet }));
  const suffix = `${cli.name}-${String(cli.version).split(".").slice(0, 2).join(".")}`;
  const schemas = path.join(work, "schema-cache");
  fs.mkdirSync(schemas);
  for (const file of fs.readdirSync(path.join(ROOT, "providers", "schema"))) {
    fs.copyFileSync(path.join(ROOT, "providers", "schema", file), path.join(schemas, file.replace(/\.json$/, `@${suffix}.json`)));
  }
  const cdktn = path.join(app, "node_modules", ".bin", "cdktn");
  run(cdktn, ["get", "--force", "--experimental-provider-schema-cache-path", schemas], { cwd: app, env: quiet });
  return { app, cdktn, env: quiet };
}

function tsFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return e.name === "node_modules" ? [] : tsFiles(full);
    return e.name.endsWith(".ts") ? [full] : [];
  });
}

/** The JSON files under dir, relative. */
function jsonFiles(dir: string): string[] {
  const real = fs.realpathSync(dir);
  const walk = (rel: string): string[] => fs.readdirSync(path.join(real, rel), { withFileTypes: true }).flatMap((e) => {
    const next = path.join(rel, e.name);
    return e.isDirectory() ? walk(next) : e.name.endsWith(".json") ? [next] : [];
  });
  return walk("").sort();
}

/**
 * The two synthesized outputs compared: files, then each file's JSON with its version string
 * (manifest `version`, a stack's `//.metadata.version`) set aside, keys in order.
 */
export function outputDifferences(cdktfOut: string, cdktnOut: string): { differences: string[]; versions: Set<string> } {
  const differences: string[] = [];
  const versions = new Set<string>();
  const [left, right] = [jsonFiles(cdktfOut), jsonFiles(cdktnOut)];
  for (const file of left.filter((f) => !right.includes(f))) differences.push(`${file}: only in cdktf's output`);
  for (const file of right.filter((f) => !left.includes(f))) differences.push(`${file}: only in cdktn's output`);
  for (const file of left.filter((f) => right.includes(f))) {
    const [a, b] = [cdktfOut, cdktnOut].map((dir) => JSON.parse(fs.readFileSync(path.join(dir, file), "utf8")));
    versions.add(`${takeVersion(a)} → ${takeVersion(b)}`);
    const [textA, textB] = [a, b].map((json) => JSON.stringify(json, null, 1).split("\n"));
    const at = textA.findIndex((line, i) => line !== textB[i]);
    if (at >= 0 || textA.length !== textB.length) differences.push(`${file}: differs at line ${at + 1} of the normalized JSON: ${textA[at]?.trim()} ≠ ${textB[at]?.trim()}`);
  }
  return { differences, versions };
}

/** Removes and returns the cdktf/cdktn version a synthesized file records. */
function takeVersion(json: any): string | undefined {
  const holder = "version" in json ? json : json["//"]?.metadata;
  const version = holder?.version;
  if (holder) delete holder.version;
  return version;
}

export function main(argv: string[]): number {
  try {
    return compareWithCdktn(parseOptions({ args: argv, options: { keep: { type: "boolean" } } }, "npm run cdktn [-- --keep]").values.keep ?? false);
  } catch (error) {
    console.error(`cdktn: ${(error as Error).message}`);
    return 1;
  }
}

function compareWithCdktn(keep: boolean): number {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), "redis-net-cdktn-"));
  try {
    const { modules, env } = installCdktn();
    const { app, cdktn, env: cdktnEnv } = cdktnCopy(work, modules, env);
    // Both outputs at the same depth under work, so local state paths (relative) come out equal.
    const state = path.join(work, "state");
    run(cdktn, ["synth"], { cwd: app, env: { ...cdktnEnv, REDIS_NET_STATE_DIR: state } });
    const cdktfOut = path.join(work, "cdktf", "cdktf.out");
    run(process.execPath, [path.join(ROOT, "scripts", "run.js")], { env: { ...process.env, CDKTF_OUTDIR: cdktfOut, REDIS_NET_STATE_DIR: state } });
    const { differences, versions } = outputDifferences(cdktfOut, path.join(app, "cdktf.out"));
    const stacks = jsonFiles(cdktfOut).filter((file) => file.startsWith("stacks/")).length;
    if (differences.length) {
      console.error(`cdktn ${CDKTN} synthesizes differently from cdktf:\n${differences.map((d) => `  ${d}`).join("\n")}`);
      return 1;
    }
    console.log(`cdktn ${CDKTN}: every stack identical to cdktf's (${stacks} stacks and the manifest, same keys in the same order) apart from the version string in the metadata (${[...versions].join(", ")})`);
    return 0;
  } finally {
    if (keep) console.log(`kept ${work}`);
    else fs.rmSync(work, { recursive: true, force: true });
  }
}
