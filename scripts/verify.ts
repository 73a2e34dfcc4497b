// `npm run verify`: proves each synthesized stack equivalent to the hand-written reference.
//   fast tier  reference evaluated from HCL vs synthesized JSON (no providers), the reference's
//              variables from config/environments.json (scripts/verify/reference-inputs.ts)
//   real tier  terraform fmt -check on the reference, then
//              terraform init / validate / plan -refresh=false / show -json / graph on both sides,
//              with the real providers from a local filesystem mirror and placeholder credentials;
//              checkov on every plan (one scan of the stacks' plans, one of the rest, each beside what follows),
//              failures excused only by skips in code;
//              the stack as HCL (npm run synth:hcl) validates without warnings and plans the same;
//              every stack that adopts live resources rehearsed against its recordings;
//              the state bootstrap stacks, which have no reference, validated, planned and scanned alone
// Both tiers compare what the reference has; what a stack has beyond it must be listed, with its
// reason, in reference/beyond.json (scripts/verify/beyond.ts), or the proof fails.
// One verify at a time: a second refuses at once, naming the first (scripts/work-lock.ts on
// cdktf.out.verify/, which both would rewrite).
// usage: npm run verify [-- --fast | --equivalence-only] [--stack <name>]...
//   --equivalence-only: both tiers of the proof, without checkov, the HCL side and the variants
//   exit 0 equivalent, 1 not, 2 error
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { projectPath } from "../input/user-path";
import { environmentStacks, synthesize as synthesizeApp } from "../main";
import { parseOptions } from "./args";
import { ROOT } from "./root";
import { CheckovResult, PlanToScan, startCheckov } from "./verify/checkov";
import { loadConfig } from "../config/load";
import { Config } from "../config/schema";
import { BeyondFeature, BeyondSplit, readBeyond, splitBeyond } from "./verify/beyond";
import { applyDeviations, Difference, formatDifferences } from "./verify/compare";
import { DeclaredDeviation, deviationsFor } from "./verify/deviations";
import { fastTier, referenceDir, splitStackName } from "./verify/fast";
import { referenceInputs } from "./verify/reference-inputs";
import { comparePlans, planAddresses, planWithout } from "./verify/plan";
import { installed, planSide, terraform, TerraformContext, terraformContext, writeOverride } from "./verify/terraform";
import { VARIANTS } from "./verify/variants";
import { claimDirectory } from "./work-lock";

// Beside the output, not in it: synth replaces the output's tree.
const workRoot = path.join(ROOT, "cdktf.out.verify");
const shippedConfig = path.join(ROOT, "config", "environments.json");

interface Result {
  readonly stack: string;
  readonly differences: Difference[];
  /** The stack's addresses beyond the reference, against reference/beyond.json. */
  readonly beyond: BeyondSplit;
  readonly seconds?: number;
  readonly resources?: number;
  readonly outputs?: number;
  readonly checkov?: Promise<CheckovResult>;
  readonly hclDifferences?: Difference[];
}

/** A plan of a stack without a reference, for checkov, reported under `label`. */
interface Scan extends PlanToScan {
  readonly label: string;
}

function synthesize(outdir: string, configFile = shippedConfig): void {
  fs.rmSync(outdir, { recursive: true, force: true });
  fs.mkdirSync(path.dirname(outdir), { recursive: true });
  synthesizeApp({ configFile, outdir });
}

/** Validates and plans each opt-in variant's stacks, for checkov: no reference, but real Terraform. */
function planVariants(tf: TerraformContext): Scan[] {
  const scans: Scan[] = [];
  for (const [name, variant] of Object.entries(VARIANTS)) {
    const dir = path.join(workRoot, "variants", name);
    const configFile = path.join(dir, "environments.json");
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(configFile, JSON.stringify(variant.apply(JSON.parse(fs.readFileSync(shippedConfig, "utf8")))));
    synthesize(path.join(dir, "synth"), configFile);
    const manifest = JSON.parse(fs.readFileSync(path.join(dir, "synth", "manifest.json"), "utf8"));
    for (const stack of Object.keys(manifest.stacks)) {
      scans.push(planAlone(`variant ${name} ${stack} (${variant.description})`, stack, path.join(dir, "synth"), path.join(dir, stack), tf));
    }
  }
  return scans;
}

/** Validates and plans one stack of `outdir` that has no reference. */
function planAlone(label: string, stack: string, outdir: string, stackDir: string, tf: TerraformContext): Scan {
  fs.mkdirSync(stackDir, { recursive: true });
  const synthesized = path.join(outdir, "stacks", stack, "cdk.tf.json");
  fs.cpSync(synthesized, path.join(stackDir, "cdk.tf.json"));
  const stackJson = JSON.parse(fs.readFileSync(synthesized, "utf8"));
  writeOverride(stackDir);
  const plan = planSide(stackDir, splitStackName(stack).cloud, undefined, tf);
  console.log(`${label}: validates and plans ${Object.keys(plan.resources).length} resources`);
  return { label, planFile: path.join(stackDir, "plan.json"), synthesized: stackJson };
}

function synthesizeHcl(outdir: string, cli: string): void {
  fs.rmSync(outdir, { recursive: true, force: true });
  const env = { ...process.env, REDIS_NET_TERRAFORM: cli };
  const run = spawnSync("node", [path.join(ROOT, "scripts", "run.js"), "synth-hcl", outdir], { cwd: ROOT, env, encoding: "utf8" });
  if (run.status !== 0) throw new Error(`npm run synth:hcl failed:\n${run.stderr}`);
}

/** Both sides of every stack, plus checkov and the HCL side unless `extras` is off. */
function realTier(outdir: string, hclOutdir: string, stacks: string[], config: Config, features: readonly BeyondFeature[], tf: TerraformContext, checkov: string | undefined): Result[] {
  const extras = checkov !== undefined;
  const results: Result[] = [];
  const plans: PlanToScan[] = [];
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
    // A file the reference no longer has must not stay behind from an earlier run; the providers may.
    fs.mkdirSync(refDir, { recursive: true });
    for (const entry of fs.readdirSync(refDir).filter((name) => name !== ".terraform")) fs.rmSync(path.join(refDir, entry), { recursive: true, force: true });
    fs.cpSync(referenceDir(cloud), refDir, { recursive: true });
    // The environment's values from config/environments.json, in the work directory only.
    const inputs = `${environment}.tfvars.json`;
    fs.writeFileSync(path.join(refDir, inputs), `${JSON.stringify(referenceInputs(cloud, environment, config.environments[environment]), null, 2)}\n`);
    const stackJson = JSON.parse(fs.readFileSync(synthesized, "utf8"));
    for (const dir of extras ? [stackDir, refDir, hclDir] : [stackDir, refDir]) writeOverride(dir);
    const started = Date.now();
    const stackPlan = planSide(stackDir, cloud, undefined, tf);
    const referencePlan = planSide(refDir, cloud, inputs, tf);
    const hclPlan = extras ? planSide(hclDir, cloud, undefined, tf) : undefined;
    const beyond = splitBeyond(cloud, planAddresses(referencePlan), planAddresses(stackPlan), features);
    results.push({
      stack,
      seconds: (Date.now() - started) / 1000,
      resources: Object.keys(stackPlan.resources).length,
      outputs: Object.keys(stackPlan.outputs).length,
      differences: comparePlans(referencePlan, planWithout(stackPlan, [...beyond.beyond, ...beyond.unlisted])),
      beyond,
      // The exit path: the HCL must plan exactly as the JSON does.
      hclDifferences: hclPlan ? comparePlans(stackPlan, hclPlan) : undefined,
    });
    plans.push({ planFile: path.join(stackDir, "plan.json"), synthesized: stackJson });
  }
  if (!extras) return results;
  // One scan of every stack's plan, beside the plans verify makes next.
  const verdicts = startCheckov(checkov, plans);
  return results.map((result, i) => ({ ...result, checkov: verdicts.get(plans[i].planFile) }));
}

async function report(tier: string, results: Result[], config: Config): Promise<boolean> {
  const declarations: DeclaredDeviation[] = JSON.parse(fs.readFileSync(path.join(ROOT, "reference", "deviations.json"), "utf8")).differences;
  let failed = false;
  for (const result of results) {
    const { undeclared, declared, stale } = applyDeviations(result.stack, tier, result.differences, deviationsFor(result.stack, config, declarations));
    const { unlisted, inReference, features } = result.beyond;
    const counts = result.resources === undefined ? "" : ` (${result.resources} resources, ${result.outputs} outputs, ${result.seconds?.toFixed(1)} s)`;
    if (undeclared.length || unlisted.length) console.log(formatDifferences(`${tier} ${result.stack}: NOT equivalent${counts}`, undeclared, unlisted));
    else console.log(`${tier} ${result.stack}: equivalent${counts}`);
    for (const d of declared) console.log(`  declared: ${d.address} ${d.path}: ${d.reason}`);
    for (const d of stale) console.log(`  stale declaration (nothing differs any more; remove it): ${d.address} ${d.path}`);
    for (const address of inReference) console.log(`  listed in reference/beyond.json but the reference has it (remove it from the list): ${address}`);
    if (features.length) console.log(`  beyond the reference (reference/beyond.json): ${features.join("; ")}`);
    failed ||= undeclared.length > 0 || stale.length > 0 || unlisted.length > 0 || inReference.length > 0;
    if (result.checkov) failed = reportCheckov(result.stack, await result.checkov) || failed;
    if (result.hclDifferences) {
      if (result.hclDifferences.length) console.log(formatDifferences(`hcl ${result.stack}: plans differently from the JSON (left: JSON, right: HCL)`, result.hclDifferences));
      else console.log(`hcl ${result.stack}: validates without warnings and plans the same as the JSON`);
      failed ||= result.hclDifferences.length > 0;
    }
  }
  return failed;
}

/** Each stack that adopts live resources, rehearsed against its recordings (npm run rehearse). */
function rehearseAdopted(outdir: string, stacks: string[]): boolean {
  let failed = false;
  for (const stack of stacks) {
    const json = JSON.parse(fs.readFileSync(path.join(outdir, "stacks", stack, "cdk.tf.json"), "utf8"));
    if (!json.import) continue;
    const { TF_VAR_backend_image: _image, ...env } = process.env;
    const run = spawnSync("node", [path.join(ROOT, "scripts", "run.js"), "rehearse", stack], { cwd: ROOT, env, encoding: "utf8", timeout: 600_000 });
    const summary = /^(Plan: .*)$/m.exec(run.stdout)?.[1] ?? "no plan";
    console.log(`rehearse ${stack}: ${run.status === 0 ? "passed" : "FAILED"} (${summary})`);
    if (run.status !== 0) {
      console.log(`${run.stdout}${run.stderr}`.replace(/^/gm, "  "));
      failed = true;
    }
  }
  return failed;
}

function reportCheckov(stack: string, { passed, failed, skipped, stale }: CheckovResult): boolean {
  console.log(`checkov ${stack}: ${passed} passed, ${failed.length} failed, ${skipped.length} skipped`);
  for (const f of failed) console.log(`  FAILED ${f.id} ${f.address}: ${f.name} (fix it, or skipCheckov() on the resource with the reason)`);
  for (const s of skipped) console.log(`  skipped ${s.id} ${s.address}: ${s.reason}`);
  for (const s of stale) console.log(`  stale skip (the check no longer fails; remove it): ${s.id} ${s.address}`);
  return failed.length > 0 || stale.length > 0;
}

export async function main(argv: string[]): Promise<number> {
  try {
    return await verify(argv);
  } catch (error) {
    console.error(`verify: ${(error as Error).message}`);
    return 2;
  }
}

async function verify(argv: string[]): Promise<number> {
  const options = parseOptions({
    args: argv,
    options: { fast: { type: "boolean" }, "equivalence-only": { type: "boolean" }, stack: { type: "string", multiple: true } },
  }, "npm run verify [-- --fast | --equivalence-only] [--stack <name>]...").values;
  fs.mkdirSync(workRoot, { recursive: true });
  claimDirectory(workRoot, projectPath(workRoot).label);
  const outdir = path.join(workRoot, "synth");
  synthesize(outdir);
  // With its defaults, as the stacks were made from it: deviations are declared by what it says.
  const config = loadConfig(shippedConfig);
  const manifest = JSON.parse(fs.readFileSync(path.join(outdir, "manifest.json"), "utf8"));
  const chosen = options.stack ?? Object.keys(manifest.stacks).sort();
  for (const stack of chosen) if (!manifest.stacks[stack]) throw new Error(`--stack ${stack}: no such stack (have ${Object.keys(manifest.stacks).join(", ")})`);
  // The state bootstrap stacks (state-*) have no hand-written counterpart: planned alone below.
  const stacks = chosen.filter((stack) => environmentStacks(config).includes(stack));
  const bootstrap = chosen.filter((stack) => !stacks.includes(stack));

  const features = readBeyond();
  let failed = await report("fast", await fastTier(outdir, stacks, config, features), config);
  if (!options.fast) {
    const home = fs.mkdtempSync(path.join(os.tmpdir(), "redis-net-verify-home-"));
    try {
      const tf = terraformContext(installed("terraform.sh"), installed("providers.sh"), home);
      console.log(`terraform: ${tf.cli}`);
      terraform(path.join(ROOT, "reference"), tf, ["fmt", "-check", "-recursive"]);
      const extras = !options["equivalence-only"];
      const hclOutdir = path.join(workRoot, "synth-hcl");
      if (extras) synthesizeHcl(hclOutdir, tf.cli);
      const checkov = extras ? installed("checkov.sh") : undefined;
      // Each checkov scan runs beside what follows it: the stacks' beside the plans of the stacks
      // without a reference, theirs beside the rehearsals.
      const results = realTier(outdir, hclOutdir, stacks, config, features, tf, checkov);
      const alone = bootstrap.map((stack) => planAlone(`bootstrap ${stack}`, stack, outdir, path.join(workRoot, stack, "stack"), tf));
      if (checkov && !options.stack) alone.push(...planVariants(tf));
      const verdicts = checkov ? startCheckov(checkov, alone) : new Map<string, Promise<CheckovResult>>();
      failed = (await report("plan", results, config)) || failed;
      if (extras) failed = rehearseAdopted(outdir, stacks) || failed;
      for (const { label, planFile } of alone) {
        const verdict = verdicts.get(planFile);
        if (verdict) failed = reportCheckov(label, await verdict) || failed;
      }
    } finally {
      fs.rmSync(home, { recursive: true, force: true });
    }
  }
  return failed ? 1 : 0;
}
