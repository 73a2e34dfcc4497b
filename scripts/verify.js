// `npm run verify`: proves each synthesized stack equivalent to the hand-written reference.
//   fast tier  reference evaluated from HCL vs synthesized JSON (no providers)
//   real tier  terraform fmt -check on the reference, then
//              terraform init / validate / plan -refresh=false / show -json / graph on both sides,
//              with the real providers from a local filesystem mirror and placeholder credentials;
//              checkov on each stack's plan, failures excused only by skips declared in code;
//              the stack as HCL (npm run synth:hcl) validates without warnings and plans the same;
//              every stack that adopts live resources rehearsed against its recordings
// usage: node scripts/verify.js [--fast | --equivalence-only] [--stack <name>]...
//   --equivalence-only: both tiers of the proof, without checkov, the HCL side and the variants
//   exit 0 equivalent, 1 not, 2 error
const { spawnSync } = require("child_process");
const fs = require("fs");
const os = require("os");
const path = require("path");
const { applyDeviations, formatDifferences } = require("./verify/compare");
const { deviationsFor } = require("./verify/deviations");
const { fastTier, referenceDir, splitStackName } = require("./verify/fast");
const { runCheckov } = require("./verify/checkov");
const { VARIANTS } = require("./verify/variants");
const { comparePlans } = require("./verify/plan");
const { installed, planSide, terraform, terraformContext, writeOverride } = require("./verify/terraform");

const root = path.resolve(__dirname, "..");
// Beside the output, not in it: synth replaces the output's tree.
const workRoot = path.join(root, "cdktf.out.verify");
const deviations = JSON.parse(fs.readFileSync(path.join(root, "reference", "deviations.json"), "utf8"));
function parseArgs(argv) {
  const options = { fast: false, equivalenceOnly: false, stacks: [] };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === "--fast") options.fast = true;
    else if (argv[i] === "--equivalence-only") options.equivalenceOnly = true;
    else if (argv[i] === "--stack") {
      const name = argv[++i];
      if (name === undefined || name.startsWith("--")) throw new Error("--stack needs a stack name, e.g. --stack gcp-staging");
      options.stacks.push(name);
    }
    else throw new Error(`unknown argument ${argv[i]} (expected --fast, --equivalence-only or --stack <name>)`);
  }
  return options;
}

const shippedConfig = path.join(root, "config", "environments.json");

function synthesize(outdir, configFile = shippedConfig) {
  require("./build").build();
  fs.rmSync(outdir, { recursive: true, force: true });
  fs.mkdirSync(path.dirname(outdir), { recursive: true });
  require("../dist/main.js").synthesize({ configFile, outdir });
}

/** Validates, plans and checkov-scans each opt-in variant's stacks: no reference, but real Terraform. */
function planVariants(tf, checkov) {
  let failed = false;
  for (const [name, variant] of Object.entries(VARIANTS)) {
    const dir = path.join(workRoot, "variants", name);
    const configFile = path.join(dir, "environments.json");
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(configFile, JSON.stringify(variant.apply(JSON.parse(fs.readFileSync(shippedConfig, "utf8")))));
    synthesize(path.join(dir, "synth"), configFile);
    const manifest = JSON.parse(fs.readFileSync(path.join(dir, "synth", "manifest.json"), "utf8"));
    for (const stack of Object.keys(manifest.stacks)) {
      const stackDir = path.join(dir, stack);
      fs.mkdirSync(stackDir, { recursive: true });
      const synthesized = path.join(dir, "synth", "stacks", stack, "cdk.tf.json");
      fs.cpSync(synthesized, path.join(stackDir, "cdk.tf.json"));
      const stackJson = JSON.parse(fs.readFileSync(synthesized, "utf8"));
      writeOverride(stackDir);
      const plan = planSide(stackDir, splitStackName(stack).cloud, undefined, tf);
      console.log(`variant ${name} ${stack} (${variant.description}): validates and plans ${Object.keys(plan.resources).length} resources`);
      failed = reportCheckov(`variant ${name} ${stack}`, runCheckov(checkov, path.join(stackDir, "plan.json"), stackJson)) || failed;
    }
  }
  return failed;
}

function synthesizeHcl(outdir, cli) {
  fs.rmSync(outdir, { recursive: true, force: true });
  const env = { ...process.env, REDIS_NET_TERRAFORM: cli };
  const run = spawnSync("node", [path.join(root, "scripts", "synth-hcl.js"), outdir], { cwd: root, env, encoding: "utf8" });
  if (run.status !== 0) throw new Error(`npm run synth:hcl failed:\n${run.stderr}`);
}

/** Both sides of every stack, plus checkov and the HCL side unless `extras` is off. */
function realTier(outdir, hclOutdir, stacks, tf, checkov, extras) {
  const results = [];
  for (const stack of stacks) {
    const { cloud, environment } = splitStackName(stack);
    const stackDir = path.join(workRoot, stack, "stack");
    const refDir = path.join(workRoot, stack, "reference");
    const hclDir = path.join(workRoot, stack, "hcl");
    fs.mkdirSync(stackDir, { recursive: true });
    if (extras) {
      fs.mkdirSync(hclDir, { recursive: true });
      fs.cpSync(path.join(hclOutdir, "stacks", stack, "cdk.tf"), path.join(hclDir, "cdk.tf"));
    }
    const synthesized = path.join(outdir, "stacks", stack, "cdk.tf.json");
    fs.cpSync(synthesized, path.join(stackDir, "cdk.tf.json"));
    fs.cpSync(referenceDir(cloud, environment), refDir, { recursive: true });
    const stackJson = JSON.parse(fs.readFileSync(synthesized, "utf8"));
    for (const dir of extras ? [stackDir, refDir, hclDir] : [stackDir, refDir]) writeOverride(dir);
    const started = Date.now();
    const stackPlan = planSide(stackDir, cloud, undefined, tf);
    const referencePlan = planSide(refDir, cloud, `${environment}.tfvars`, tf);
    const hclPlan = extras ? planSide(hclDir, cloud, undefined, tf) : undefined;
    results.push({
      stack,
      seconds: (Date.now() - started) / 1000,
      resources: Object.keys(stackPlan.resources).length,
      outputs: Object.keys(stackPlan.outputs).length,
      differences: comparePlans(referencePlan, stackPlan),
      checkov: extras ? runCheckov(checkov, path.join(stackDir, "plan.json"), stackJson) : undefined,
      // The exit path: the HCL must plan exactly as the JSON does.
      hclDifferences: extras ? comparePlans(stackPlan, hclPlan) : undefined,
    });
  }
  return results;
}

function report(tier, results, config) {
  let failed = false;
  for (const result of results) {
    const { undeclared, declared, stale } = applyDeviations(result.stack, tier, result.differences, deviationsFor(result.stack, config, deviations.differences));
    const counts = result.resources === undefined ? "" : ` (${result.resources} resources, ${result.outputs} outputs, ${result.seconds.toFixed(1)} s)`;
    if (undeclared.length) console.log(formatDifferences(`${tier} ${result.stack}: NOT equivalent${counts}`, undeclared));
    else console.log(`${tier} ${result.stack}: equivalent${counts}`);
    for (const d of declared) console.log(`  declared: ${d.address} ${d.path}: ${d.reason}`);
    for (const d of stale) console.log(`  stale declaration (nothing differs any more; remove it): ${d.address} ${d.path}`);
    failed ||= undeclared.length > 0 || stale.length > 0;
    if (result.checkov) failed = reportCheckov(result.stack, result.checkov) || failed;
    if (result.hclDifferences) {
      if (result.hclDifferences.length) console.log(formatDifferences(`hcl ${result.stack}: plans differently from the JSON (left: JSON, right: HCL)`, result.hclDifferences));
      else console.log(`hcl ${result.stack}: validates without warnings and plans the same as the JSON`);
      failed ||= result.hclDifferences.length > 0;
    }
  }
  return failed;
}

/** Each stack that adopts live resources, rehearsed against its recordings (npm run rehearse). */
function rehearseAdopted(outdir, stacks) {
  let failed = false;
  for (const stack of stacks) {
    const json = JSON.parse(fs.readFileSync(path.join(outdir, "stacks", stack, "cdk.tf.json"), "utf8"));
    if (!json.import) continue;
    const { TF_VAR_backend_image, ...env } = process.env;
    const run = spawnSync("node", [path.join(root, "scripts", "rehearse.js"), stack], { cwd: root, env, encoding: "utf8", timeout: 600_000 });
    const summary = /^(Plan: .*)$/m.exec(run.stdout)?.[1] ?? "no plan";
    console.log(`rehearse ${stack}: ${run.status === 0 ? "passed" : "FAILED"} (${summary})`);
    if (run.status !== 0) {
      console.log(`${run.stdout}${run.stderr}`.replace(/^/gm, "  "));
      failed = true;
    }
  }
  return failed;
}

function reportCheckov(stack, { passed, failed, skipped, stale }) {
  console.log(`checkov ${stack}: ${passed} passed, ${failed.length} failed, ${skipped.length} skipped`);
  for (const f of failed) console.log(`  FAILED ${f.id} ${f.address}: ${f.name} (fix it, or skipCheckov() on the resource with the reason)`);
  for (const s of skipped) console.log(`  skipped ${s.id} ${s.address}: ${s.reason}`);
  for (const s of stale) console.log(`  stale skip (the check no longer fails; remove it): ${s.id} ${s.address}`);
  return failed.length > 0 || stale.length > 0;
}

async function main() {
  const options = parseArgs(process.argv.slice(2));
  const outdir = path.join(workRoot, "synth");
  synthesize(outdir);
  // With its defaults, as the stacks were made from it: deviations are declared by what it says.
  const config = require("../dist/config/load.js").loadConfig(shippedConfig);
  const manifest = JSON.parse(fs.readFileSync(path.join(outdir, "manifest.json"), "utf8"));
  const stacks = options.stacks.length ? options.stacks : Object.keys(manifest.stacks).sort();
  for (const stack of stacks) if (!manifest.stacks[stack]) throw new Error(`--stack ${stack}: no such stack (have ${Object.keys(manifest.stacks).join(", ")})`);

  let failed = report("fast", (await fastTier(outdir)).filter((r) => stacks.includes(r.stack)), config);
  if (!options.fast) {
    const home = fs.mkdtempSync(path.join(os.tmpdir(), "redis-net-verify-home-"));
    try {
      const tf = terraformContext(installed("terraform.sh"), installed("providers.sh"), home);
      console.log(`terraform: ${tf.cli}`);
      terraform(path.join(root, "reference"), tf, ["fmt", "-check", "-recursive"]);
      const extras = !options.equivalenceOnly;
      const hclOutdir = path.join(workRoot, "synth-hcl");
      if (extras) synthesizeHcl(hclOutdir, tf.cli);
      const checkov = extras && installed("checkov.sh");
      failed = report("plan", realTier(outdir, hclOutdir, stacks, tf, checkov, extras), config) || failed;
      if (extras && !options.stacks.length) failed = planVariants(tf, checkov) || failed;
      if (extras) failed = rehearseAdopted(outdir, stacks) || failed;
    } finally {
      fs.rmSync(home, { recursive: true, force: true });
    }
  }
  process.exit(failed ? 1 : 0);
}

main().catch((error) => {
  console.error(`verify: ${error.message}`);
  process.exit(2);
});
