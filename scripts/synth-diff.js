// npm run diff -- --base <git-ref> [--format text|markdown]
// Synthesizes <git-ref> and the working tree and prints, per stack, what was added, removed and
// changed (attribute paths, old → new), flagging changes Terraform makes by replacing the resource
// (providers/force-new.json; a resource type it does not cover is "replacement unknown", never an
// update) and masking secrets. Exit code: 0 no change, 1 changes, 2 error.
const { execFileSync, spawnSync } = require("child_process");
const fs = require("fs");
const os = require("os");
const path = require("path");

const SECRET_PATH = /password|secret|token|private_key|auth_string|connection_string|certificate/i;

/** Every item of a stack that Terraform addresses: resources, data sources, outputs, ... */
function items(stack) {
  const found = {};
  for (const [block, content] of Object.entries(stack)) {
    if (block === "//") continue;
    if (block === "resource" || block === "data") {
      for (const [type, byName] of Object.entries(content)) {
        for (const [name, body] of Object.entries(byName)) found[`${block === "data" ? "data." : ""}${type}.${name}`] = { type, body, managed: block === "resource" };
      }
    } else if (block === "terraform") {
      found.terraform = { body: content };
    } else {
      for (const [name, body] of Object.entries(content)) found[`${block === "variable" ? "var" : block}.${name}`] = { type: block, body };
    }
  }
  return found;
}

/** Leaf values by path (`allow[0].ports[0]`), without cdktf's "//" metadata. */
function flatten(value, at = "", out = {}) {
  if (Array.isArray(value)) {
    if (!value.length) out[at] = [];
    value.forEach((inner, i) => flatten(inner, `${at}[${i}]`, out));
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
function replaces(item, attributePath, forceNew) {
  if (!item.managed || META.test(attributePath)) return false;
  if (!(item.type in forceNew)) return null;
  const bare = attributePath.replace(/\[\d+\]/g, "");
  return forceNew[item.type].some((p) => bare === p || bare.startsWith(`${p}.`));
}

function action(attributes) {
  if (attributes.some((x) => x.replace === true)) return "replace";
  return attributes.some((x) => x.replace === null) ? "unknown" : "update";
}

/** Compares two synthesized apps ({ stackName: terraformJson }). */
function diffStacks(base, head, forceNew = {}) {
  const stacks = [];
  for (const name of [...new Set([...Object.keys(base), ...Object.keys(head)])].sort()) {
    const before = base[name] ? items(base[name]) : {};
    const after = head[name] ? items(head[name]) : {};
    const changes = [];
    for (const address of [...new Set([...Object.keys(before), ...Object.keys(after)])].sort()) {
      const [old, now] = [before[address], after[address]];
      const sensitive = (at) => SECRET_PATH.test(at) || (address.startsWith("output.") && (old?.body.sensitive || now?.body.sensitive));
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

const SYMBOL = { add: "+", remove: "-", update: "~", replace: "-/+", unknown: "?/+" };
const NOTE = { replace: "  (replaced: a changed attribute forces a new resource)", unknown: "  (replacement unknown: no replacement rules for this type; plan it)" };
const MARK = { true: "  [forces replacement]", null: "  [replacement unknown]" };
const show = (v) => (v === undefined ? "(absent)" : JSON.stringify(v));

function summary(stack) {
  const count = (action) => stack.changes.filter((c) => c.action === action).length;
  if (!stack.changes.length) return "no changes";
  const unknown = count("unknown") ? `, ${count("unknown")} maybe replaced (replacement unknown)` : "";
  return `${count("add")} to add, ${count("update")} to update, ${count("replace")} to replace, ${count("remove")} to remove${unknown}`;
}

function formatText(result) {
  const lines = [];
  for (const stack of result.stacks) {
    lines.push(`${stack.name}${stack.status ? ` (${stack.status})` : ""}: ${summary(stack)}`);
    for (const change of stack.changes) {
      lines.push(`  ${SYMBOL[change.action]} ${change.address}${NOTE[change.action] ?? ""}`);
      for (const a of change.attributes ?? []) lines.push(`      ${a.path}: ${show(a.old)} → ${show(a.new)}${MARK[a.replace] ?? ""}`);
    }
  }
  return lines.join("\n");
}

function formatMarkdown(result) {
  const cell = (text) => `\`${String(text).replace(/`/g, "'").replace(/\|/g, "\\|")}\``;
  const lines = ["## Synthesized Terraform diff", ""];
  for (const stack of result.stacks) {
    lines.push(`### \`${stack.name}\`${stack.status ? ` (${stack.status})` : ""}: ${summary(stack)}`, "");
    if (!stack.changes.length) continue;
    lines.push("| | address | attribute | old | new |", "|---|---|---|---|---|");
    for (const change of stack.changes) {
      const mark = { replace: "**replace**", unknown: "**replacement unknown**" }[change.action] ?? change.action;
      if (!change.attributes) lines.push(`| ${mark} | ${cell(change.address)} | | | |`);
      for (const a of change.attributes ?? []) {
        const flag = { true: " ⚠️ forces replacement", null: " ⚠️ replacement unknown" }[a.replace] ?? "";
        lines.push(`| ${mark} | ${cell(change.address)} | ${cell(a.path)}${flag} | ${cell(show(a.old))} | ${cell(show(a.new))} |`);
      }
    }
    lines.push("");
  }
  return lines.join("\n");
}

/** Runs a checkout's own cdktf app (cdktf.json "app") into outdir; returns its stacks' JSON. */
function synthesizeCheckout(dir, outdir) {
  const app = JSON.parse(fs.readFileSync(path.join(dir, "cdktf.json"), "utf8")).app;
  // Both sides' outputs sit side by side, so one state directory beside them gives both the same
  // relative local-state path: only real changes show.
  const env = { ...process.env, CDKTF_OUTDIR: outdir, REDIS_NET_STATE_DIR: path.join(path.dirname(outdir), "terraform-state"), CHECKPOINT_DISABLE: "1" };
  execFileSync("sh", ["-c", app], { cwd: dir, env, stdio: ["ignore", "ignore", "inherit"] });
  const stacksDir = path.join(outdir, "stacks");
  return Object.fromEntries(fs.readdirSync(stacksDir).map((s) => [s, JSON.parse(fs.readFileSync(path.join(stacksDir, s, "cdk.tf.json"), "utf8"))]));
}

/** Whether two checkouts generate the same bindings: same providers, same committed schemas. */
function sameProviders(a, b) {
  const fingerprint = (dir) => {
    const schemas = path.join(dir, "providers", "schema");
    const files = fs.existsSync(schemas) ? fs.readdirSync(schemas).sort() : [];
    const providers = JSON.parse(fs.readFileSync(path.join(dir, "cdktf.json"), "utf8")).terraformProviders;
    return JSON.stringify([providers, files.map((f) => [f, fs.readFileSync(path.join(schemas, f), "utf8")])]);
  };
  return fs.existsSync(path.join(a, ".gen")) && fingerprint(a) === fingerprint(b);
}

/** Checks <ref> out beside the working tree, with this tree's node_modules, and synthesizes it. */
function synthesizeRef(root, ref, work) {
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

function main(argv) {
  const option = (name, fallback) => (argv.includes(name) ? argv[argv.indexOf(name) + 1] : fallback);
  const base = option("--base");
  const format = option("--format", "text");
  if (!base || !["text", "markdown"].includes(format)) {
    console.error("usage: npm run diff -- --base <git-ref> [--format text|markdown]");
    return 2;
  }
  const root = path.join(__dirname, "..");
  const work = fs.mkdtempSync(path.join(os.tmpdir(), "redis-net-diff-"));
  try {
    const forceNewFile = path.join(root, "providers", "force-new.json");
    const forceNew = fs.existsSync(forceNewFile) ? JSON.parse(fs.readFileSync(forceNewFile, "utf8")).resources : {};
    const result = diffStacks(synthesizeRef(root, base, work), synthesizeCheckout(root, path.join(work, "head-out")), forceNew);
    console.log(format === "markdown" ? formatMarkdown(result) : formatText(result));
    return result.changed ? 1 : 0;
  } catch (error) {
    console.error(`diff failed: ${error.message}`);
    return 2;
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

module.exports = { diffStacks, formatText, formatMarkdown };

if (require.main === module) process.exitCode = main(process.argv.slice(2));
