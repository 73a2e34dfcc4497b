// `npm run drift [-- --dir <stack directory>... | --stack <name>... | --merge <dir>] [--result <file>] [--report <file>] [--issue <file> --run-url <url>]`:
// what changed outside Terraform, in every stack. For every synthesized stack whose cloud's
// credentials are in the environment (the same rules as scripts/plan.sh), or only the --stack
// ones, or for each --dir (whatever the environment): `terraform init`, then `terraform plan
// -detailed-exitcode` with refresh on and the lock off (a check must never block an apply). One
// report of every stack: each resource that drifted, attribute by attribute, and what the plan
// would change; each stack whose init or plan failed, with the end of its output; each stack
// skipped for want of credentials. A run in which no stack has credentials fails. Under CI a stack
// with local state fails before `terraform init` (scripts/remote-state.ts). Run by the scheduled
// drift workflow, one job per stack (each with its own plan identity) and one job that merges
// their results, and by hand. A stack directory is planned by one run at a time: a second drift
// (or restore-state) there refuses at once, naming the first (scripts/work-lock.ts). Relative
// paths start from where they were typed.
//   --result <file>  the stacks' results as JSON, for --merge
//   --merge <dir>    the results of every stack `npm run stacks` lists, from the *.json files in
//                    <dir> (any depth): a stack without one failed (its job ended before writing)
//   --report <file>  the whole report, markdown (the workflow's job summary)
//   --issue <file>   the report cut to fit a GitHub issue body, linking --run-url for the whole
// Exit status, two bits: 2 some stack drifted or has changes to apply, 1 some stack failed (or the
// check could not run). 0: nothing to report; 3: drift in some stacks, failures in others.
import { spawnSync, SpawnSyncReturns } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { environmentStacks } from "../main";
import { loadConfig } from "../config/load";
import { z } from "zod";
import { readJsonFile } from "../input/json-file";
import { existingDirectory, inside, outputFile, projectPath, UserPath, userPath } from "../input/user-path";
import { parseStackName } from "../naming/names";
import { parseOptions } from "./args";
import { Plan } from "./plan-json";
import { localStateProblem } from "./remote-state";
import { attributeChanges } from "./rehearse/plan";
import { ROOT } from "./root";
import { claimDirectory } from "./work-lock";

interface StackDir {
  readonly name: string;
  readonly dir: string;
  /** The directory as the user gave it, or relative to where they are. */
  readonly label: string;
  readonly image?: string;
}

/** One stack's outcome. `drifted` also covers changes to apply with nothing changed outside. */
export type Result = { readonly stack: string } & (
  | { readonly outcome: "clean" }
  | { readonly outcome: "drifted"; readonly summary: string; readonly details: string }
  | { readonly outcome: "failed"; readonly failure: string; readonly tail: string }
  | { readonly outcome: "skipped"; readonly reason: string }
);

/** GitHub refuses an issue body over 65,536 characters; the margin is for what counts differently. */
export const ISSUE_BODY_MAX = 60_000;
const TAIL_LINES = 20;
const TAIL_CHARS = 4_000;

type Skipped = Extract<Result, { outcome: "skipped" }>;

/** The deploy-time image a stack's cloud plans with, or why the stack cannot be planned here. */
function cloudOf(stack: string, env: NodeJS.ProcessEnv): { image?: string; missing?: string } {
  const cloud = parseStackName(stack)?.cloud;
  if (cloud === "gcp") {
    const google = ["GOOGLE_CREDENTIALS", "GOOGLE_APPLICATION_CREDENTIALS", "GOOGLE_OAUTH_ACCESS_TOKEN"];
    return { image: env.GCP_BACKEND_IMAGE, missing: google.some((name) => env[name]) ? undefined : `no credentials for its cloud (none of ${google.join(", ")} is set)` };
  }
  if (cloud === "scaleway") {
    const missing = ["SCW_ACCESS_KEY", "SCW_SECRET_KEY"].filter((name) => !env[name]);
    return { image: env.BACKEND_IMAGE, missing: missing.length ? `no credentials for its cloud (${missing.join(" and ")} unset)` : undefined };
  }
  return { missing: "names no known cloud (gcp-*, scaleway-*)" };
}

/**
 * The synthesized stacks in `stacksDir` to plan, and those skipped for want of credentials. Throws
 * when none can be planned: a scheduled check that checked nothing must not pass as clean.
 */
export function synthesizedStacks(stacksDir: string, env: NodeJS.ProcessEnv, only?: string[]): { planned: StackDir[]; skipped: Skipped[] } {
  const all = fs.existsSync(stacksDir) ? fs.readdirSync(stacksDir).sort() : [];
  if (!all.length) throw new Error(`${stacksDir} has no stacks: run npm run synth first`);
  const unknown = (only ?? []).filter((name) => !all.includes(name));
  if (unknown.length) throw new Error(`--stack ${unknown.join(", ")}: not synthesized (${stacksDir} has ${all.join(", ")})`);
  const names = only ?? all;
  const planned: StackDir[] = [];
  const skipped: Skipped[] = [];
  for (const name of names) {
    const { image, missing } = cloudOf(name, env);
    if (missing) skipped.push({ stack: name, outcome: "skipped", reason: missing });
    else planned.push({ name, dir: path.join(stacksDir, name), label: projectPath(path.join(stacksDir, name)).label, image });
  }
  // One job's --stack may lack credentials: the merge of all results decides whether anything was checked.
  if (!planned.length && !only) throw new Error(`no stack could be checked: ${skipped.map((s) => `${s.stack}: ${s.reason}`).join("; ")}`);
  return { planned, skipped };
}

/** One stack's plan as its outcome: the drifted resources and planned changes, or clean. */
function planOutcome(stack: string, plan: Plan): Result {
  const drifted = (plan.resource_drift ?? []).filter((d) => !d.change.actions.every((a) => a === "no-op"));
  const changes = (plan.resource_changes ?? []).filter((c) => !c.change.actions.every((a) => a === "no-op" || a === "read"));
  if (!drifted.length && !changes.length) return { stack, outcome: "clean" };
  const lines = [`## ${stack}`, ""];
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
  const count = (n: number, what: string) => `${n} ${what}${n === 1 ? "" : "s"}`;
  const summary = [
    drifted.length ? `${count(drifted.length, "resource")} changed outside Terraform` : "nothing changed outside Terraform",
    changes.length ? `${count(changes.length, "change")} to apply` : "nothing to apply",
  ].join(", ");
  return { stack, outcome: "drifted", summary, details: lines.join("\n") };
}

/** The end of a command's output: its last lines but blank ones at either end, at most TAIL_CHARS of them. */
export function outputTail(output: string): string {
  return output.trimEnd().split("\n").slice(-TAIL_LINES).join("\n").slice(-TAIL_CHARS).replace(/^\s*\n/, "");
}

function summaryOf(result: Result): string {
  switch (result.outcome) {
    case "clean": return "no drift, nothing to change";
    case "drifted": return result.summary;
    case "failed": return `failed: ${result.failure}`;
    case "skipped": return `skipped: ${result.reason}`;
  }
}

/** The report of every stack: a table of outcomes, then each drifted stack's details and each failure's output. */
export function driftReport(results: Result[]): string {
  const lines = ["| Stack | Result |", "| --- | --- |", ...results.map((r) => `| \`${r.stack}\` | ${summaryOf(r).replace(/\|/g, "\\|")} |`), ""];
  for (const result of results) {
    if (result.outcome === "drifted") lines.push(result.details);
    if (result.outcome === "failed") {
      lines.push(`## ${result.stack}`, "", ...(result.tail ? [`${result.failure}; the end of its output:`, "", "```text", result.tail, "```"] : [`${result.failure}, printing nothing.`]), "");
    }
  }
  return lines.join("\n");
}

/**
 * The report as a GitHub issue body: whole when it fits ISSUE_BODY_MAX with the link to the run,
 * else cut at a line (closing a code block it cut into) with a note of how much is left out.
 */
export function issueBody(report: string, runUrl: string): string {
  const link = `[The whole report, in the job summary of the run](${runUrl})`;
  const whole = `${report}\n\n${link}\n`;
  if (whole.length <= ISSUE_BODY_MAX) return whole;
  const note = (shown: number) => `**Cut to fit an issue: the first ${shown} of ${report.length} characters.** ${link}\n`;
  let kept = report.slice(0, ISSUE_BODY_MAX - note(report.length).length - "\n```\n\n".length);
  const line = kept.lastIndexOf("\n");
  if (line > 0) kept = kept.slice(0, line);
  // Never end on half a surrogate pair.
  if (/[\ud800-\udbff]$/.test(kept)) kept = kept.slice(0, -1);
  const fences = kept.split("\n").filter((l) => l.startsWith("```")).length;
  return `${kept}${fences % 2 ? "\n```" : ""}\n\n${note(kept.length)}`;
}

const TERRAFORM_TIMEOUT_MS = 15 * 60 * 1000;

function terraform(dir: string, args: string[]): SpawnSyncReturns<string> {
  return spawnSync(terraformCli(), [...args, "-no-color"], { cwd: dir, encoding: "utf8", maxBuffer: 256 << 20, timeout: TERRAFORM_TIMEOUT_MS });
}

const terraformCli = () => process.env.REDIS_NET_TERRAFORM ?? "terraform";

function failed(stack: string, step: string, run: SpawnSyncReturns<string>): Result {
  const code = (run.error as NodeJS.ErrnoException | undefined)?.code;
  const failure = code === "ETIMEDOUT"
    ? `terraform ${step} did not finish within ${TERRAFORM_TIMEOUT_MS / 60_000} min (it waits on the cloud's APIs and the state's bucket) and was stopped`
    : run.error ? `${terraformCli()} could not start (${code ?? run.error.message}; set REDIS_NET_TERRAFORM to the CLI)`
    : run.status === null ? `terraform ${step} was killed (${run.signal})` : `terraform ${step} exited ${run.status}`;
  const output = `${run.stdout ?? ""}${run.stderr ?? ""}`;
  console.error(`${stack}: ${failure}:\n${output}`);
  return { stack, outcome: "failed", failure, tail: outputTail(run.stderr || run.stdout || "") };
}

/** Plans one stack against what is live. */
function check({ name, dir, image }: StackDir): Result {
  const local = process.env.CI ? localStateProblem(dir) : undefined;
  if (local) return { stack: name, outcome: "failed", failure: "refused before terraform init", tail: local };
  const init = terraform(dir, ["init", "-input=false"]);
  if (init.status !== 0) return failed(name, "init", init);
  const vars = image ? ["-var", `backend_image=${image}`] : [];
  const plan = terraform(dir, ["plan", "-input=false", "-lock=false", "-detailed-exitcode", "-out=drift.bin", ...vars]);
  if (plan.status !== 0 && plan.status !== 2) return failed(name, "plan", plan);
  const shown = terraform(dir, ["show", "-json", "drift.bin"]);
  if (shown.status !== 0) return failed(name, "show", shown);
  return planOutcome(name, JSON.parse(shown.stdout));
}

const USAGE = "npm run drift [-- --dir <stack directory>... | --stack <name>... | --merge <dir>] [--result <file>] [--report <file>] [--issue <file> --run-url <url>]";

function options(argv: string[]) {
  const { values } = parseOptions({
    args: argv,
    options: {
      dir: { type: "string", multiple: true }, stack: { type: "string", multiple: true }, merge: { type: "string" }, result: { type: "string" },
      report: { type: "string" }, issue: { type: "string" }, "run-url": { type: "string" },
    },
  }, USAGE);
  const runUrl = values["run-url"];
  if (values.issue !== undefined && runUrl === undefined) throw new Error(`--issue ${values.issue}: needs --run-url <url>, the run whose job summary holds the whole report`);
  if (runUrl !== undefined) {
    if (values.issue === undefined) throw new Error(`--run-url ${runUrl}: only with --issue <file>`);
    if (!/^https?:\/\/[^/]/.test(runUrl) || !URL.canParse(runUrl)) throw new Error(`--run-url ${runUrl}: must be an http(s) URL`);
  }
  const dirs = (values.dir ?? []).map((dir) => existingDirectory(userPath(dir, "--dir")));
  const sources = [values.dir && "--dir", values.stack && "--stack", values.merge !== undefined && "--merge"].filter(Boolean);
  if (sources.length > 1) throw new Error(`${sources.join(" and ")}: give one of them`);
  const merge = values.merge === undefined ? undefined : existingDirectory(userPath(values.merge, "--merge"));
  if (values.merge !== undefined && values.result !== undefined) throw new Error(`--result ${values.result}: not with --merge, which reads results`);
  const written = (file: string | undefined, option: string) => (file === undefined ? undefined : outputFile(userPath(file, option)).path);
  return {
    dirs: dirs.map((dir) => ({ dir: dir.path, label: dir.label })),
    stacks: values.stack,
    merge,
    result: written(values.result, "--result"),
    report: written(values.report, "--report"),
    issue: values.issue === undefined ? undefined : { file: written(values.issue, "--issue")!, runUrl: runUrl! },
  };
}

export function main(argv: string[]): number {
  let parsed: ReturnType<typeof options>;
  try {
    parsed = options(argv);
  } catch (error) {
    console.error(`drift: ${(error as Error).message}`);
    return 1;
  }
  try {
    return drift(parsed);
  } catch (error) {
    const message = `drift: ${(error as Error).message}`;
    console.error(message);
    if (parsed.report) fs.writeFileSync(parsed.report, `**The drift check could not run.** ${message}\n`);
    return 1;
  }
}

function drift({ dirs, stacks, merge, result, report, issue }: ReturnType<typeof options>): number {
  const all = merge !== undefined ? mergedResults(merge, environmentStacks(loadConfig(path.join(ROOT, "config", "environments.json")))) : checkAll(dirs, stacks);
  if (result) fs.writeFileSync(result, `${JSON.stringify(all, null, 2)}\n`);
  const text = driftReport(all);
  if (report) fs.writeFileSync(report, text);
  if (issue) fs.writeFileSync(issue.file, issueBody(text, issue.runUrl));
  if (merge !== undefined && all.every((r) => r.outcome === "skipped")) throw new Error(`no stack could be checked: ${all.map((s) => `${s.stack}: ${summaryOf(s)}`).join("; ")}`);
  return (all.some((r) => r.outcome === "drifted") ? 2 : 0) | (all.some((r) => r.outcome === "failed") ? 1 : 0);
}

function checkAll(dirs: { dir: string; label: string }[], stacks?: string[]): Result[] {
  const { planned, skipped } = dirs.length
    ? { planned: dirs.map(({ dir, label }) => ({ name: path.basename(dir), dir, label, image: process.env.TF_VAR_backend_image })), skipped: [] }
    : synthesizedStacks(path.join(ROOT, "cdktf.out", "stacks"), process.env, stacks);
  // Every directory first: a run that cannot have them all refuses before it plans any.
  for (const { dir, label } of planned) claimDirectory(dir, label);
  const results: Result[] = [];
  for (const stack of planned) {
    const result = check(stack);
    console.log(result.outcome === "drifted" ? result.details : `${stack.name}: ${summaryOf(result)}`);
    results.push(result);
  }
  for (const s of skipped) console.log(`${s.stack}: ${summaryOf(s)}`);
  return [...results, ...skipped].sort((a, b) => a.stack.localeCompare(b.stack));
}

const OUTCOMES = ["clean", "drifted", "failed", "skipped"] as const;
const RESULTS = z.array(z.looseObject({ stack: z.string(), outcome: z.enum(OUTCOMES) }));

/** Every expected stack's result from the result files under `dir`; a stack without one failed. */
export function mergedResults(dir: UserPath, expected: string[]): Result[] {
  const files = fs.readdirSync(dir.path, { recursive: true, encoding: "utf8" }).filter((f) => f.endsWith(".json")).sort();
  const found = new Map<string, Result>();
  for (const file of files) {
    const results = readJsonFile(inside(dir, file), RESULTS, `drift results (a list of { stack, outcome: ${OUTCOMES.join(" | ")} } as --result writes)`);
    for (const r of results as Result[]) found.set(r.stack, r);
  }
  return expected
    .map((stack): Result => found.get(stack) ?? { stack, outcome: "failed", failure: "its check wrote no result (the job ended before the check; see its log)", tail: "" })
    .sort((a, b) => a.stack.localeCompare(b.stack));
}
