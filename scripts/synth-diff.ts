// npm run diff -- --base <git-ref> [--format text|markdown]
// Synthesizes <git-ref> and the working tree and prints, per stack, what was added, removed and
// changed (attribute paths, old → new), flagging changes Terraform makes by replacing the resource
// (providers/force-new.json; a resource type it does not cover is "replacement unknown", never an
// update) and masking secrets. Exit code: 0 no change, 1 changes, 2 error.
import { execFileSync, spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { parseOptions } from "./args";
import { ROOT } from "./root";
import { TerraformJson, Value } from "./verify/reference";

const USAGE = "npm run diff -- --base <git-ref> [--format text|markdown]";
const SECRET_PATH = /password|secret|token|private_key|auth_string|connection_string|certificate/i;

/** A stack's item: a resource, data source, output, variable, ... or the terraform block. */
interface Item {
  readonly type?: string;
  readonly body: TerraformJson;
  readonly managed?: boolean;
}

/** true: replaced; false: updated in place; null: the type's replacement rules are unknown. */
type Replaces = boolean | null;

interface AttributeChange {
  readonly path: string;
  readonly old: Value;
  readonly new: Value;
  readonly replace: Replaces;
}

type Action = "add" | "remove" | "update" | "replace" | "unknown";

export interface DiffResult {
  readonly changed: boolean;
  readonly stacks: {
    readonly name: string;
    readonly status?: "new stack" | "removed stack";
    readonly changes: { address: string; action: Action; attributes?: AttributeChange[] }[];
  }[];
}

/** Every item of a stack that Terraform addresses: resources, data sources, outputs, ... */
function items(stack: TerraformJson): Record<string, Item> {
  const found: Record<string, Item> = {};
  for (const [block, content] of Object.entries(stack)) {
    if (block === "//") continue;
    if (block === "resource" || block === "data") {
      for (const [type, byName] of Object.entries<Record<string, TerraformJson>>(content)) {
        for (const [name, body] of Object.entries(byName)) found[`${block === "data" ? "data." : ""}${type}.${name}`] = { type, body, managed: block === "resource" };
      }
    } else if (block === "terraform") {
      found.terraform = { body: content };
    } else {
      for (const [name, body] of Object.entries<TerraformJson>(content)) found[`${block === "variable" ? "var" : block}.${name}`] = { type: block, body };
    }
  }
  return found;
}

/** Leaf values by path (`allow[0].ports[0]`), without cdktf's "//" metadata. */
function flatten(value: Value, at = "", out: Record<string, Value> = {}): Record<string, Value> {
  if (Array.isArray(value)) {
    if (!value.length) out[at] = [];
    value.forEach((inner: Value, i: number) => flatten(inner, `${at}[${i}]`, out));
  } else if (value && typeof value === "object") {
    const entries = Object.entries(value).filter(([key]) => key !== "//");
    if (!entries.length) out[at] = {};
    for (const [key, inner] of entries) flatten(inner, at ? `${at}.${key}` : key, out);
  } else {
    out[at] = value;
  }
  return out;
}

/** Meta-arguments: how Terraform manages the resource, never a reason to replace it. */
const META = /^(depends_on|lifecycle|provider|provisioner|connection)(\.|\[|$)/;

/** true: the change replaces the resource; false: in place; null: the type's rules are unknown. */
function replaces(item: Item, attributePath: string, forceNew: Record<string, string[]>): Replaces {
  if (!item.managed || META.test(attributePath)) return false;
  if (!(item.type! in forceNew)) return null;
  const bare = attributePath.replace(/\[\d+\]/g, "");
  return forceNew[item.type!].some((p) => bare === p || bare.startsWith(`${p}.`));
}

function action(attributes: AttributeChange[]): Action {
  if (attributes.some((x) => x.replace === true)) return "replace";
  return attributes.some((x) => x.replace === null) ? "unknown" : "update";
}

/** Compares two synthesized apps ({ stackName: terraformJson }). */
export function diffStacks(base: Record<string, TerraformJson>, head: Record<string, TerraformJson>, forceNew: Record<string, string[]> = {}): DiffResult {
  const stacks: DiffResult["stacks"][number][] = [];
  for (const name of [...new Set([...Object.keys(base), ...Object.keys(head)])].sort()) {
    const before = base[name] ? items(base[name]) : {};
    const after = head[name] ? items(head[name]) : {};
    const changes: DiffResult["stacks"][number]["changes"] = [];
    for (const address of [...new Set([...Object.keys(before), ...Object.keys(after)])].sort()) {
      const [old, now] = [before[address], after[address]];
      const sensitive = (at: string) => SECRET_PATH.test(at) || (address.startsWith("output.") && (old?.body.sensitive || now?.body.sensitive));
      if (!old || !now) {
        changes.push({ address, action: old ? "remove" : "add" });
        continue;
      }
      const [a, b] = [flatten(old.body), flatten(now.body)];
      const attributes = [...new Set([...Object.keys(a), ...Object.keys(b)])]
        .filter((at) => JSON.stringify(a[at]) !== JSON.stringify(b[at]))
        .sort()
        .map((at) => ({
          path: at,
          old: sensitive(at) ? "(sensitive)" : a[at],
          new: sensitive(at) ? "(sensitive)" : b[at],
          replace: replaces(now, at, forceNew),
        }));
      if (attributes.length) changes.push({ address, action: action(attributes), attributes });
    }
    stacks.push({ name, status: !base[name] ? "new stack" : !head[name] ? "removed stack" : undefined, changes });
  }
  return { changed: stacks.some((s) => s.changes.length || s.status), stacks };
}

const SYMBOL: Record<Action, string> = { add: "+", remove: "-", update: "~", replace: "-/+", unknown: "?/+" };
const NOTE: Partial<Record<Action, string>> = { replace: "  (replaced: a changed attribute forces a new resource)", unknown: "  (replacement unknown: no replacement rules for this type; plan it)" };
const MARK: Record<string, string> = { true: "  [forces replacement]", null: "  [replacement unknown]" };
const show = (v: Value) => (v === undefined ? "(absent)" : JSON.stringify(v));

function summary(stack: DiffResult["stacks"][number]): string {
  const count = (action: Action) => stack.changes.filter((c) => c.action === action).length;
  if (!stack.changes.length) return "no changes";
  const unknown = count("unknown") ? `, ${count("unknown")} maybe replaced (replacement unknown)` : "";
  return `${count("add")} to add, ${count("update")} to update, ${count("replace")} to replace, ${count("remove")} to remove${unknown}`;
}

export function formatText(result: DiffResult): string {
  const lines: string[] = [];
  for (const stack of result.stacks) {
    lines.push(`${stack.name}${stack.status ? ` (${stack.status})` : ""}: ${summary(stack)}`);
    for (const change of stack.changes) {
      lines.push(`  ${SYMBOL[change.action]} ${change.address}${NOTE[change.action] ?? ""}`);
      for (const a of change.attributes ?? []) lines.push(`      ${a.path}: ${show(a.old)} → ${show(a.new)}${MARK[String(a.replace)] ?? ""}`);
    }
  }
  return lines.join("\n");
}

export function formatMarkdown(result: DiffResult): string {
  const cell = (text: string) => `\`${String(text).replace(/`/g, "'").replace(/\|/g, "\\|")}\``;
  const lines = ["## Synthesized Terraform diff", ""];
  for (const stack of result.stacks) {
    lines.push(`### \`${stack.name}\`${stack.status ? ` (${stack.status})` : ""}: ${summary(stack)}`, "");
    if (!stack.changes.length) continue;
    lines.push("| | address | attribute | old | new |", "|---|---|---|---|---|");
    for (const change of stack.changes) {
      const mark = ({ replace: "**replace**", unknown: "**replacement unknown**" } as Partial<Record<Action, string>>)[change.action] ?? change.action;
      if (!change.attributes) lines.push(`| ${mark} | ${cell(change.address)} | | | |`);
      for (const a of change.attributes ?? []) {
        const flag = ({ true: " ⚠️ forces replacement", null: " ⚠️ replacement unknown" } as Record<string, string>)[String(a.replace)] ?? "";
        lines.push(`| ${mark} | ${cell(change.address)} | ${cell(a.path)}${flag} | ${cell(show(a.old))} | ${cell(show(a.new))} |`);
      }
    }
    lines.push("");
  }
  return lines.join("\n");
}

/** Runs a checkout's own cdktf app (cdktf.json "app") into outdir; returns its stacks' JSON. */
function synthesizeCheckout(dir: string, outdir: string): Record<string, TerraformJson> {
  const app = JSON.parse(fs.readFileSync(path.join(dir, "cdktf.json"), "utf8")).app;
  // Both sides' outputs sit side by side, so one state directory beside them gives both the same
  // relative local-state path: only real changes show.
  const env = { ...process.env, CDKTF_OUTDIR: outdir, REDIS_NET_STATE_DIR: path.join(path.dirname(outdir), "terraform-state"), CHECKPOINT_DISABLE: "1" };
  execFileSync("sh", ["-c", app], { cwd: dir, env, stdio: ["ignore", "ignore", "inherit"] });
  const stacksDir = path.join(outdir, "stacks");
  return Object.fromEntries(fs.readdirSync(stacksDir).map((s) => [s, JSON.parse(fs.readFileSync(path.join(stacksDir, s, "cdk.tf.json"), "utf8"))]));
}

/** Whether two checkouts generate the same bindings: same providers, same committed schemas. */
function sameProviders(a: string, b: string): boolean {
  const fingerprint = (dir: string) => {
    const schemas = path.join(dir, "providers", "schema");
    const files = fs.existsSync(schemas) ? fs.readdirSync(schemas).sort() : [];
    const providers = JSON.parse(fs.readFileSync(path.join(dir, "cdktf.json"), "utf8")).terraformProviders;
    return JSON.stringify([providers, files.map((f) => [f, fs.readFileSync(path.join(schemas, f), "utf8")])]);
  };
  return fs.existsSync(path.join(a, ".gen")) && fingerprint(a) === fingerprint(b);
}

/** Checks <ref> out beside the working tree, with this tree's node_modules, and synthesizes it. */
function synthesizeRef(root: string, ref: string, work: string): Record<string, TerraformJson> {
  const dir = path.join(work, "base");
  // git says what is wrong with a ref; say it once, without the command that asked.
  const check = spawnSync("git", ["rev-parse", "--verify", "--quiet", `${ref}^{commit}`], { cwd: root, encoding: "utf8" });
  if (check.status !== 0) throw new Error(`--base ${ref}: not a commit in this repository (git rev-parse --verify found none)`);
  execFileSync("git", ["worktree", "add", "--quiet", "--detach", dir, ref], { cwd: root, stdio: ["ignore", "ignore", "inherit"] });
  try {
    if (!fs.existsSync(path.join(dir, "node_modules"))) fs.symlinkSync(path.join(root, "node_modules"), path.join(dir, "node_modules"));
    if (sameProviders(root, dir)) fs.symlinkSync(path.join(root, ".gen"), path.join(dir, ".gen"));
    else if (fs.existsSync(path.join(dir, "scripts", "get.sh"))) execFileSync(path.join(dir, "scripts", "get.sh"), { cwd: dir, stdio: ["ignore", "ignore", "inherit"] });
    return synthesizeCheckout(dir, path.join(work, "base-out"));
  } finally {
    execFileSync("git", ["worktree", "remove", "--force", dir], { cwd: root });
  }
}

/** Exit 0: no change; 1: changes; 2: error. */
export function main(argv: string[]): number {
  try {
    const { base, format = "text" } = parseOptions({ args: argv, options: { base: { type: "string" }, format: { type: "string" } } }, USAGE).values;
    if (!base || !["text", "markdown"].includes(format)) throw new Error(`usage: ${USAGE}`);
    const result = diffAgainst(base);
    console.log(format === "markdown" ? formatMarkdown(result) : formatText(result));
    return result.changed ? 1 : 0;
  } catch (error) {
    console.error(`diff failed: ${(error as Error).message}`);
    return 2;
  }
}

/** The working tree's stacks against those of `base`. */
function diffAgainst(base: string): DiffResult {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), "redis-net-diff-"));
  try {
    const forceNewFile = path.join(ROOT, "providers", "force-new.json");
    const forceNew = fs.existsSync(forceNewFile) ? JSON.parse(fs.readFileSync(forceNewFile, "utf8")).resources : {};
    return diffStacks(synthesizeRef(ROOT, base, work), synthesizeCheckout(ROOT, path.join(work, "head-out")), forceNew);
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}
