// Terraform on one working directory, offline: the providers from the local mirror, credentials
// that name nothing, state kept local.
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { Plan } from "../plan-json";
import { ROOT } from "../root";
import { PlanSummary, summarize } from "./plan";

// Placeholders shaped like real credentials so the providers configure; nothing they name exists,
// and with -refresh=false (and no data sources) plan makes no API call.
const PLACEHOLDER_ENV = {
  GOOGLE_OAUTH_ACCESS_TOKEN: "placeholder-token-reaches-nothing",
  SCW_ACCESS_KEY: "SCWXXXXXXXXXXXXXXXXX",
  SCW_SECRET_KEY: "11111111-1111-1111-1111-111111111111",
  SCW_DEFAULT_PROJECT_ID: "22222222-2222-2222-2222-222222222222",
  SCW_DEFAULT_ORGANIZATION_ID: "22222222-2222-2222-2222-222222222222",
};
// Deploy-time variables, given as a deploy gives them (TF_VAR_...): a side that does not declare
// one (the GCP reference has no Cloud Run, so no image) ignores it, where -var would be an error.
const DEPLOY_TIME_ENV: Record<string, Record<string, string>> = {
  scaleway: { TF_VAR_backend_image: "rg.fr-par.scw.cloud/verify/backend:0.0.0" },
  gcp: { TF_VAR_backend_image: "us-central1-docker.pkg.dev/verify/backend/backend:0.0.0" },
};

/** The terraform (or OpenTofu) CLI and the environment it runs in. */
export interface TerraformContext {
  readonly cli: string;
  readonly env: NodeJS.ProcessEnv;
}

/** Runs an install script of ours (scripts/<script>); its last line of output is what it installed. */
export function installed(script: string): string {
  const run = spawnSync("bash", [path.join(ROOT, "scripts", script)], { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] });
  if (run.status !== 0) throw new Error(`scripts/${script} failed`);
  return run.stdout.trim().split("\n").pop()!;
}

/** Keeps state local in the work directory, in both sides alike. */
export function writeOverride(dir: string): void {
  const override = { terraform: { backend: { local: { path: "verify.tfstate" } } } };
  fs.writeFileSync(path.join(dir, "verify_override.tf.json"), JSON.stringify(override, null, 2));
}

/** Runs the CLI of `tf` (terraform, or OpenTofu where there is none) in `dir`. */
export function terraform(dir: string, tf: TerraformContext, args: string[]): string {
  const run = spawnSync(tf.cli, [...args, "-no-color"], { cwd: dir, env: tf.env, encoding: "utf8", maxBuffer: 256 << 20, timeout: 600_000 });
  if (run.status !== 0) throw new Error(`terraform ${args.join(" ")} failed in ${dir}:\n${run.stderr || run.stdout}${run.error ? run.error.message : ""}`);
  return run.stdout;
}

/** init, validate, plan and show one side; returns its plan summary (the plan is in dir/plan.json). */
export function planSide(dir: string, cloud: string, varFile: string | undefined, tf: TerraformContext): PlanSummary {
  const vars = varFile ? ["-var-file", varFile] : [];
  terraform(dir, tf, ["init", "-input=false"]);
  const validation: { diagnostics: { severity: string; summary: string; detail: string }[] } = JSON.parse(terraform(dir, tf, ["validate", "-json"]));
  const warnings = validation.diagnostics.filter((d) => d.severity === "warning").map((d) => `${d.summary}: ${d.detail}`);
  if (warnings.length) throw new Error(`terraform validate warned in ${dir}:\n${warnings.join("\n")}`);
  dropImports(dir);
  // The state bootstrap stacks (state-<cloud>-<env>) have no deploy-time variables.
  const deploy = { ...tf, env: { ...tf.env, ...DEPLOY_TIME_ENV[cloud] } };
  terraform(dir, deploy, ["plan", "-refresh=false", "-lock=false", "-input=false", "-out=plan.bin", ...vars]);
  const plan: Plan = JSON.parse(terraform(dir, tf, ["show", "-json", "plan.bin"]));
  fs.writeFileSync(path.join(dir, "plan.json"), JSON.stringify(plan, null, 2));
  return summarize(plan, terraform(dir, tf, ["graph"]));
}

/**
 * An import block makes even `plan -refresh=false` read the live resource, which placeholder
 * credentials cannot. The blocks are validated above; the offline plan is of the configuration
 * without them, which is what the import plans once the resource is read.
 */
function dropImports(dir: string): void {
  const json = path.join(dir, "cdk.tf.json");
  if (fs.existsSync(json)) {
    const config = JSON.parse(fs.readFileSync(json, "utf8"));
    if (!config.import) return;
    console.log(`  ${path.relative(process.cwd(), dir)}: ${config.import.length} import block(s) validated, left out of the offline plan`);
    delete config.import;
    fs.writeFileSync(json, JSON.stringify(config, null, 2));
  }
  const hcl = path.join(dir, "cdk.tf");
  if (fs.existsSync(hcl)) fs.writeFileSync(hcl, fs.readFileSync(hcl, "utf8").replace(/^import \{\n[\s\S]*?^\}\n/gm, ""));
}

/**
 * The environment of a terraform that must reach nothing real (verify, rehearse): the mirror's CLI
 * config and an empty HOME; of the caller's, only PATH and the Go collector's setting
 * (scripts/run.js), so no credentials and no other CLI configuration.
 */
export function isolatedTerraformEnv(cliConfig: string, home: string): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH, GOGC: process.env.GOGC, HOME: home, TF_CLI_CONFIG_FILE: cliConfig, TF_IN_AUTOMATION: "1", CHECKPOINT_DISABLE: "1" };
}

/** The CLI and the environment it runs in: isolated, with placeholder credentials. */
export function terraformContext(cli: string, cliConfig: string, home: string): TerraformContext {
  return { cli, env: { ...isolatedTerraformEnv(cliConfig, home), ...PLACEHOLDER_ENV } };
}
