// `npm run drift [-- --dir <stack directory>]... [--report <file>]`: what changed outside Terraform.
// For every synthesized stack whose cloud's credentials are in the environment (the same rules as
// scripts/plan.sh), or for each --dir: `terraform init`, then `terraform plan -detailed-exitcode`
// with refresh on and the lock off (a check must never block an apply), and a report of each
// resource that drifted, attribute by attribute, and of what the plan would change. Run by the
// scheduled drift workflow and by hand alike.
// Exit 0: nothing drifted and nothing to change (the report is empty). 2: drift or changes.
// 1: a plan failed.
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { parseOptions } from "./args";
import { Plan } from "./plan-json";
import { attributeChanges } from "./rehearse/plan";
import { ROOT } from "./root";

interface StackDir {
  readonly name: string;
  readonly dir: string;
  readonly image?: string;
}

/** The deploy-time image a stack's cloud plans with, and whether its credentials are present. */
function cloudOf(stack: string, env: NodeJS.ProcessEnv): { credentials: boolean; image?: string } {
  if (stack.startsWith("gcp-")) {
    const credentials = env.GOOGLE_CREDENTIALS || env.GOOGLE_APPLICATION_CREDENTIALS || env.GOOGLE_OAUTH_ACCESS_TOKEN;
    return { credentials: Boolean(credentials), image: env.GCP_BACKEND_IMAGE };
  }
  if (stack.startsWith("scaleway-")) return { credentials: Boolean(env.SCW_ACCESS_KEY && env.SCW_SECRET_KEY), image: env.BACKEND_IMAGE };
  return { credentials: false };
}

/** The stacks to check: each --dir, or every synthesized stack whose cloud has credentials. */
function stackDirs(dirs: string[]): StackDir[] {
  if (dirs.length) return dirs.map((dir) => ({ name: path.basename(dir), dir, image: process.env.TF_VAR_backend_image }));
  const stacks = path.join(ROOT, "cdktf.out", "stacks");
  if (!fs.existsSync(stacks)) throw new Error("cdktf.out has no stacks: run npm run synth first");
  return fs.readdirSync(stacks).sort().flatMap((name) => {
    const cloud = cloudOf(name, process.env);
    if (!cloud.credentials) {
      console.log(`skipped ${name}: no credentials for its cloud`);
      return [];
    }
    return [{ name, dir: path.join(stacks, name), image: cloud.image }];
  });
}

/** Markdown for one stack's plan: drifted resources and planned changes, or "" when neither. */
export function driftReport(name: string, plan: Plan): string {
  const drifted = (plan.resource_drift ?? []).filter((d) => !d.change.actions.every((a) => a === "no-op"));
  const changes = (plan.resource_changes ?? []).filter((c) => !c.change.actions.every((a) => a === "no-op" || a === "read"));
  if (!drifted.length && !changes.length) return "";
  const lines = [`## ${name}`, ""];
  if (drifted.length) {
    lines.push("Changed outside Terraform:", "");
    for (const d of drifted) {
      lines.push(`- \`${d.address}\`${d.change.actions.includes("delete") ? " is gone" : ""}`);
      for (const line of attributeChanges(d)) lines.push(`  - ${line}`);
    }
    lines.push("");
  }
  if (changes.length) {
    lines.push("The next apply would:", "");
    for (const c of changes) lines.push(`- ${c.change.actions.join(", ")} \`${c.address}\``);
    lines.push("");
  }
  return lines.join("\n");
}

function terraform(dir: string, args: string[]) {
  const cli = process.env.REDIS_NET_TERRAFORM ?? "terraform";
  return spawnSync(cli, [...args, "-no-color"], { cwd: dir, encoding: "utf8", maxBuffer: 256 << 20, timeout: 15 * 60 * 1000 });
}

export function main(argv: string[]): number {
  try {
    return drift(argv);
  } catch (error) {
    console.error(`drift: ${(error as Error).message}`);
    return 1;
  }
}

function drift(argv: string[]): number {
  const options = parseOptions({
    args: argv,
    options: { dir: { type: "string", multiple: true }, report: { type: "string" } },
  }, "npm run drift [-- --dir <stack directory>]... [--report <file>]").values;
  const reports: string[] = [];
  let failed = false;
  for (const { name, dir, image } of stackDirs((options.dir ?? []).map((dir) => path.resolve(dir)))) {
    const init = terraform(dir, ["init", "-input=false"]);
    const vars = image ? ["-var", `backend_image=${image}`] : [];
    const plan = init.status === 0 ? terraform(dir, ["plan", "-input=false", "-lock=false", "-detailed-exitcode", "-out=drift.bin", ...vars]) : init;
    if (plan.status !== 0 && plan.status !== 2) {
      console.error(`${name}: terraform ${init.status === 0 ? "plan" : "init"} failed:\n${plan.stderr || plan.stdout}`);
      failed = true;
      continue;
    }
    const shown = terraform(dir, ["show", "-json", "drift.bin"]);
    const report = driftReport(name, JSON.parse(shown.stdout));
    console.log(report || `${name}: no drift, nothing to change`);
    if (report) reports.push(report);
  }
  if (options.report) fs.writeFileSync(path.resolve(options.report), reports.join("\n"));
  return failed ? 1 : reports.length ? 2 : 0;
}
