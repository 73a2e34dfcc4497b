// `npm run rehearse -- <stack> [--live <dir>]`: the stack's plan against what is live, before any
// apply. The real providers read from a local server that answers from recordings of the live
// project (live/<stack>/ by default: what gcloud/scw print as JSON), and the real terraform (or
// OpenTofu, as scripts/terraform.sh picks) plans the stack with its import blocks.
// Each run works in a directory of its own (cdktf.out.rehearse/<stack>/run-<pid>-<id>/) with its own
// replay, so rehearsals at once never share either; a run's directory stays until a later run of the
// stack finds its process gone. Nothing it starts waits on an outside address: the google provider
// is told a universe domain of its own (below), and every terraform step is bounded.
// Exit 0: nothing adopted is replaced or destroyed, every request was answered, no new range
// overlaps a live one. 1: any of those failed (each named). 2: the rehearsal could not run.
import { ChildProcess, spawn } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { existingDirectory, projectPath, UserPath, userPath } from "../input/user-path";
import { optionsFromEnvironment, synthesize } from "../main";
import { parseOptions } from "./args";
import { knownStack } from "./known-stacks";
import { Plan } from "./plan-json";
import { addressSpaceProblems } from "./rehearse/address-space";
import { hiddenEffects, projectMismatches, unreadMismatches } from "./rehearse/live-checks";
import { liveSettingChanges } from "./rehearse/live-settings";
import { judgePlan } from "./rehearse/plan";
import { howToRecord, readRecordings, routes } from "./rehearse/recordings";
import { Replay, startReplay } from "./rehearse/replay";
import { ROOT } from "./root";
import { TerraformJson } from "./verify/reference";
import { installed, isolatedTerraformEnv } from "./verify/terraform";
import { running } from "./work-lock";

const USAGE = "npm run rehearse -- <stack> [--live <dir>], e.g. npm run rehearse -- gcp-staging";
const TERRAFORM_TIMEOUT_MS = 5 * 60 * 1000;
/**
 * What the google provider is told its universe is. It asks Google's fixed `userinfo` URL for the
 * caller's e-mail at configure time (a URL no custom endpoint redirects) unless it is outside the
 * default universe; offline that request waits out the plan. `.invalid` never resolves (RFC 2606),
 * and every API the stacks call has its custom endpoint on the replay.
 */
const UNIVERSE = "rehearsal.invalid";

/** The google APIs the stacks call, each pointed at the replay under its own path prefix. */
const GOOGLE_ENDPOINTS = {
  compute_custom_endpoint: "compute/v1/",
  redis_custom_endpoint: "redis/v1/",
  secret_manager_custom_endpoint: "secretmanager/v1/",
  cloud_run_v2_custom_endpoint: "run/v2/",
  iam_custom_endpoint: "iam/v1/",
  vpc_access_custom_endpoint: "vpcaccess/v1/",
  resource_manager_custom_endpoint: "cloudresourcemanager/v1/",
  service_networking_custom_endpoint: "servicenetworking/v1/",
  service_usage_custom_endpoint: "serviceusage/v1/",
};

interface Options {
  readonly stack: string;
  /** The recordings' directory: --live, or live/<stack>. */
  readonly live: UserPath;
  readonly liveGiven: boolean;
}

function parseArgs(argv: string[]): Options {
  const { values, positionals } = parseOptions({ args: argv, options: { live: { type: "string" } }, allowPositionals: true }, USAGE);
  if (positionals.length > 1) throw new Error(`one stack at a time (got ${positionals.join(" and ")})`);
  const [stack] = positionals;
  if (!stack) throw new Error(`usage: ${USAGE}`);
  knownStack(stack);
  const live = values.live === undefined ? projectPath(path.join(ROOT, "live", stack)) : existingDirectory(userPath(values.live, "--live"));
  return { stack, live, liveGiven: values.live !== undefined };
}

/** The stack's Terraform JSON, synthesized from the configuration (REDIS_NET_CONFIG or the shipped one). */
export function synthesizeStack(stack: string, outdir: string): { cloud: string; json: TerraformJson } {
  const [cloud, environment] = stack.split(/-(.*)/s);
  synthesize({ configFile: optionsFromEnvironment().configFile, outdir, environments: [environment] });
  return { cloud, json: JSON.parse(fs.readFileSync(path.join(outdir, "stacks", stack, "cdk.tf.json"), "utf8")) };
}

/**
 * A new work directory for this run, beside those of other runs of the stack. Those whose process
 * is gone are removed first; nothing else there is touched.
 */
function workDirectory(stack: string): string {
  const runs = path.join(ROOT, "cdktf.out.rehearse", stack);
  fs.mkdirSync(runs, { recursive: true });
  for (const entry of fs.readdirSync(runs)) {
    const pid = /^run-(\d+)-[A-Za-z0-9]{6}$/.exec(entry)?.[1];
    if (pid && !running(Number(pid))) fs.rmSync(path.join(runs, entry), { recursive: true, force: true });
  }
  return fs.mkdtempSync(path.join(runs, `run-${process.pid}-`));
}

/** Points the stack's providers at the replay and keeps its state in the work directory, empty. */
export function override(cloud: string, stack: TerraformJson, replayUrl: string): TerraformJson {
  const provider = cloud === "gcp"
    ? { google: { access_token: "rehearsal-token-reaches-only-the-replay", universe_domain: UNIVERSE, ...Object.fromEntries(Object.entries(GOOGLE_ENDPOINTS).map(([k, p]) => [k, `${replayUrl}/${p}`])) } }
    : {
      scaleway: {
        api_url: replayUrl,
        access_key: "SCWXXXXXXXXXXXXXXXXX",
        secret_key: "11111111-1111-1111-1111-111111111111",
        project_id: stack.provider.scaleway[0].project_id,
      },
    };
  return { terraform: { backend: { local: { path: "rehearsal.tfstate" } } }, provider };
}

/** The image to plan with: the stack's default, TF_VAR_backend_image, or a placeholder (said so). */
function imageArgs(stack: TerraformJson): string[] {
  if (stack.variable?.backend_image?.default) return [];
  if (process.env.TF_VAR_backend_image) return [];
  const placeholder = stack.provider.google ? "us-central1-docker.pkg.dev/rehearsal/backend/backend:0.0.0" : "rg.fr-par.scw.cloud/rehearsal/backend:0.0.0";
  console.log(`backend_image: no default and no TF_VAR_backend_image; planning with the placeholder ${placeholder}`);
  return ["-var", `backend_image=${placeholder}`];
}

export interface CliRun {
  readonly status: number | null;
  readonly signal?: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
  /** Stopped after this many milliseconds, unfinished. */
  readonly timedOutAfterMs?: number;
  /** Why it could not start. */
  readonly startError?: string;
}

/**
 * Runs the CLI in its own process group, so that it and the provider plugins it starts all end
 * with it: on exit, on timeout, and when the rehearsal itself is interrupted.
 */
export function runCli(cli: string, args: string[], dir: string, env: NodeJS.ProcessEnv, running: Set<ChildProcess>, timeoutMs = TERRAFORM_TIMEOUT_MS): Promise<CliRun> {
  return new Promise((resolve) => {
    const child = spawn(cli, [...args, "-no-color"], { cwd: dir, env, detached: true, stdio: ["ignore", "pipe", "pipe"] });
    running.add(child);
    let stdout = "";
    let stderr = "";
    let timedOut = false;
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup(child);
    }, timeoutMs);
    child.on("close", (status, signal) => {
      clearTimeout(timer);
      killGroup(child); // plugins that outlived it
      running.delete(child);
      resolve({ status, signal, stdout, stderr, timedOutAfterMs: timedOut ? timeoutMs : undefined });
    });
    child.on("error", (error) => {
      clearTimeout(timer);
      running.delete(child);
      resolve({ status: null, stdout, stderr, startError: `${cli} could not start (${(error as NodeJS.ErrnoException).code ?? error.message})` });
    });
  });
}

/**
 * Why a terraform step failed, naming what it waited for when it did not finish: the providers
 * talk only to the replay, so the replay's last answer says how far they got.
 */
export function stepFailure(step: string, run: CliRun, replay: Pick<Replay, "url" | "requests">): string {
  if (run.startError) return `terraform ${step}: ${run.startError}`;
  const output = (run.stderr || run.stdout).trim();
  if (run.timedOutAfterMs !== undefined) {
    const answered = replay.requests.length ? `${replay.requests.length} request(s), the last ${replay.requests[replay.requests.length - 1]}` : "no request";
    return `terraform ${step} did not finish within ${run.timedOutAfterMs / 1000} s and was stopped with its provider plugins; the replay at ${replay.url} had answered ${answered}, so they were waiting on something else${output ? `; the end of its output:\n${output.split("\n").slice(-10).join("\n")}` : ", printing nothing"}`;
  }
  return `terraform ${step} failed (${run.status === null ? `killed by ${run.signal}` : `exit ${run.status}`})${output ? `:\n${output}` : ", printing nothing"}`;
}

function killGroup(child: ChildProcess): void {
  try {
    process.kill(-child.pid!, "SIGKILL");
  } catch {
    // already gone
  }
}

/** The plan in dir/plan.bin as JSON, kept beside it as plan.json. */
async function showPlan(run: (...args: string[]) => Promise<CliRun>, dir: string, replay: Replay): Promise<Plan> {
  const shown = await run("show", "-json", "plan.bin");
  if (shown.status !== 0) throw new Error(stepFailure("show", shown, replay));
  fs.writeFileSync(path.join(dir, "plan.json"), shown.stdout);
  return JSON.parse(shown.stdout);
}

/** The stack with every prevent_destroy removed: a diagnosis only, never applied. */
function withoutPreventDestroy(stack: TerraformJson): TerraformJson {
  const copy = JSON.parse(JSON.stringify(stack));
  for (const byName of Object.values<Record<string, TerraformJson>>(copy.resource ?? {})) {
    for (const body of Object.values(byName)) if (body.lifecycle) delete body.lifecycle.prevent_destroy;
  }
  return copy;
}

/** Runs the rehearsal; returns its exit code. Prints what it found. */
async function rehearse(options: Options): Promise<number> {
  const work = workDirectory(options.stack);
  const { cloud, json: stack } = synthesizeStack(options.stack, path.join(work, "synth"));
  // A stack that adopts nothing may have nothing recorded: then every read is refused.
  const nothingLive = !options.liveGiven && !stack.import && !fs.existsSync(options.live.path);
  const recordings = nothingLive ? [] : readRecordings(options.live);
  const dir = path.join(work, "plan");
  fs.mkdirSync(dir);
  fs.writeFileSync(path.join(dir, "cdk.tf.json"), JSON.stringify(stack, null, 2));
  const cli = installed("terraform.sh");
  const mirror = installed("providers.sh");
  const from = nothingLive ? "no recordings (the stack adopts nothing)" : `${recordings.length} recording(s) from ${options.live.label}`;
  console.log(`rehearsal of ${options.stack}: ${from}, ${(stack.import ?? []).length} import block(s), ${path.basename(cli)}`);
  console.log(`work directory: ${projectPath(dir).label} (the plan and plan.json stay until a later rehearsal of ${options.stack})`);

  const replay = await startReplay(routes(recordings));
  console.log(`replay: ${replay.url} (127.0.0.1 only, closed when the rehearsal ends)`);
  const running = new Set<ChildProcess>();
  const home = fs.mkdtempSync(path.join(os.tmpdir(), "redis-net-rehearse-home-"));
  const stop = () => {
    for (const child of running) killGroup(child);
    replay.close();
    fs.rmSync(home, { recursive: true, force: true });
  };
  const interrupted = () => {
    stop();
    process.exit(130);
  };
  process.once("SIGINT", interrupted).once("SIGTERM", interrupted);
  try {
    fs.writeFileSync(path.join(dir, "rehearsal_override.tf.json"), JSON.stringify(override(cloud, stack, replay.url), null, 2));
    const env = isolatedTerraformEnv(mirror, home);
    if (process.env.TF_VAR_backend_image) env.TF_VAR_backend_image = process.env.TF_VAR_backend_image;
    const run = (...args: string[]) => runCli(cli, args, dir, env, running);
    const init = await run("init", "-input=false");
    if (init.status !== 0) throw new Error(stepFailure("init", init, replay));
    const plan = await run("plan", "-input=false", "-lock=false", "-out=plan.bin", ...imageArgs(stack));
    const problems: string[] = [];
    for (const { method, path: requested } of replay.refused) {
      const record = method === "GET" ? howToRecord(requested, options.live.given) : undefined;
      problems.push(method !== "GET"
        ? `${method} ${requested}: a plan must not write; the rehearsal refused it`
        : `GET ${requested}: not in the recording; ${record ? `record it with: ${record}` : "no gcloud/scw command is known to record it"}`);
    }
    if (plan.status !== 0) {
      problems.push(stepFailure("plan", plan, replay));
      // prevent_destroy refused a replacement: plan again without it, only to name the attribute.
      // Terraform: "Instance cannot be destroyed"; OpenTofu: "Resource instance cannot be destroyed".
      if (!/[Ii]nstance cannot be destroyed/.test(plan.stderr) || replay.refused.length) return finish(problems);
      fs.writeFileSync(path.join(dir, "cdk.tf.json"), JSON.stringify(withoutPreventDestroy(stack), null, 2));
      const diagnosis = await run("plan", "-input=false", "-lock=false", "-out=plan.bin", ...imageArgs(stack));
      if (diagnosis.status !== 0) return finish(problems);
      problems.push(...judgePlan(stack, await showPlan(run, dir, replay)).failures.map((f) => `refused by prevent_destroy: ${f}`));
      return finish(problems);
    }
    const planJson = await showPlan(run, dir, replay);
    const report = judgePlan(stack, planJson);
    const terraformSummary = /^(Plan: .*|No changes\..*)$/m.exec(plan.stdout);
    console.log(terraformSummary ? terraformSummary[0] : `Plan: ${report.summary}.`);
    console.log(`${replay.requests.length} API read(s) answered from the recording`);
    for (const { address, action, importing, attributes } of report.adopted) {
      console.log(`  ${address}: ${importing ? "imported, " : ""}${action}${attributes.length ? "" : " (no attribute changes)"}`);
      for (const line of attributes) console.log(`      ${line}`);
    }
    for (const note of hiddenEffects(stack, planJson, recordings)) console.log(`  note: ${note}`);
    const settings = liveSettingChanges(options.stack, stack, planJson, recordings);
    for (const line of settings.allowed) console.log(`  changed without being stated: ${line}`);
    problems.push(...settings.silent);
    problems.push(...report.failures, ...addressSpaceProblems(stack, recordings), ...unreadMismatches(stack, recordings), ...projectMismatches(stack, recordings));
    return finish(problems);
  } finally {
    process.off("SIGINT", interrupted).off("SIGTERM", interrupted);
    stop();
  }
}

function finish(problems: string[]): number {
  if (!problems.length) {
    console.log("rehearsal passed: nothing adopted is replaced or destroyed, no live setting changes unstated, every request was answered from the recording, no new range overlaps a live one");
    return 0;
  }
  console.error(`rehearsal failed:\n${problems.map((p) => `  - ${p.replace(/\n/g, "\n    ")}`).join("\n")}`);
  return 1;
}

/** Exit 0: passed; 1: failed; 2: could not run. */
export async function main(argv: string[]): Promise<number> {
  try {
    return await rehearse(parseArgs(argv));
  } catch (error) {
    console.error(`rehearse: ${(error as Error).message}`);
    return 2;
  }
}
