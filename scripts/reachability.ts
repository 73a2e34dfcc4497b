// `npm run reachability -- <stack> [--dir <stack directory>] [--timeout <s>] [--interval <s>]`:
// after an apply, proves the backend reaches Redis, or fails naming the hop that does not.
// GCP: reruns the stack's Connectivity Test (the Cloud Run revision serving traffic, through the
// connector or Direct VPC egress, to the Memorystore host and port) with gcloud and reads its
// result; the test never reruns by itself. Scaleway: waits for the backend container to be `ready`
// (its startup probe on the health path, which checks Redis, gates every deployment) with scw.
// What to check is read from the applied state (`terraform state pull` in the stack directory).
// Exit 0: reachable / ready. 1: not, with the hop or container named. 2: the check could not run.
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { existingDirectory, projectPath, userPath } from "../input/user-path";
import { parseOptions } from "./args";
import { knownStack } from "./known-stacks";
import { ROOT } from "./root";

const USAGE = "npm run reachability -- <stack> [--dir <stack directory>] [--timeout <s>] [--interval <s>]";
const TEST_TYPE = "google_network_management_connectivity_test";
const CONTAINER_TYPE = "scaleway_container";

/** A check that could not run (exit 2), as opposed to one that ran and failed (exit 1). */
class CannotCheck extends Error {}

interface Options {
  readonly stack: string;
  readonly dir: string;
  /** The directory as given, or relative to where the user is. */
  readonly label: string;
  readonly timeoutSeconds: number;
  readonly intervalSeconds: number;
}

/** What a Network Management v1 Step says about the resource it is at (the fields read here). */
interface StepInfo {
  displayName?: string;
  subnetworkUri?: string;
  resourceUri?: string;
  uri?: string;
  /** firewall */
  action?: string;
  priority?: number;
  /** deliver */
  target?: string;
  ipAddress?: string;
  /** drop, abort */
  cause?: string;
  projectsMissingPermission?: string[];
}

/** The resource kinds a step can be at; a step names the first it has. */
const STEP_KINDS = ["cloudRunRevision", "vpcConnector", "directVpcEgressConnection", "firewall", "route", "network", "redisInstance", "nat", "deliver", "drop", "abort"] as const;

type Step = { state: string; causesDrop?: boolean } & { [kind in (typeof STEP_KINDS)[number]]?: StepInfo };

/** A Connectivity Test as `gcloud ... describe --format=json` prints it (the fields read here). */
interface ConnectivityTest {
  name: string;
  reachabilityDetails?: { result?: string; error?: { message?: string }; traces?: { steps?: Step[] }[] };
}

/** The arguments as parseArgs reads them: an unknown option or a missing value is a check that cannot run. */
function parse(argv: string[]) {
  try {
    return parseOptions({
      args: argv,
      options: { dir: { type: "string" }, timeout: { type: "string" }, interval: { type: "string" } },
      allowPositionals: true,
    }, USAGE);
  } catch (error) {
    throw new CannotCheck((error as Error).message);
  }
}

function parseArgs(argv: string[]): Options {
  const { values, positionals } = parse(argv);
  if (positionals.length > 1) throw new CannotCheck(`one stack at a time (got ${positionals.join(" and ")}); usage: ${USAGE}`);
  const [stack] = positionals;
  if (!stack) throw new CannotCheck(`usage: ${USAGE}`);
  const seconds = (option: string, value: string | undefined, fallback: number) => {
    if (value === undefined) return fallback;
    const n = Number(value);
    if (!Number.isFinite(n) || n < 0) throw new CannotCheck(`--${option} ${JSON.stringify(value)}: must be a number of seconds`);
    return n;
  };
  const timeoutSeconds = seconds("timeout", values.timeout, 600);
  const intervalSeconds = seconds("interval", values.interval, 10);
  try {
    if (values.dir !== undefined) {
      const dir = existingDirectory(userPath(values.dir, "--dir"));
      return { stack, dir: dir.path, label: dir.label, timeoutSeconds, intervalSeconds };
    }
    knownStack(stack);
    const dir = projectPath(path.join(ROOT, "cdktf.out", "stacks", stack));
    if (!fs.existsSync(dir.path)) throw new Error(`stack ${stack}: not synthesized (no ${dir.label}); run npm run synth, or give its directory with --dir`);
    return { stack, dir: dir.path, label: dir.label, timeoutSeconds, intervalSeconds };
  } catch (error) {
    throw new CannotCheck((error as Error).message);
  }
}

const CALL_TIMEOUT_MS = 15 * 60 * 1000;

function run(command: string, args: string[], cwd?: string): string {
  const result = spawnSync(command, args, { cwd, encoding: "utf8", maxBuffer: 64 << 20, timeout: CALL_TIMEOUT_MS });
  const code = (result.error as NodeJS.ErrnoException | undefined)?.code;
  if (code === "ENOENT") throw new CannotCheck(`${command} is not installed (not on PATH); it is needed for ${command} ${args.slice(0, 2).join(" ")}`);
  if (code === "ETIMEDOUT") throw new CannotCheck(`${command} ${args.join(" ")} did not finish within ${CALL_TIMEOUT_MS / 60_000} min`);
  if (result.error) throw new CannotCheck(`${command} ${args.join(" ")} could not run (${code ?? result.error.message})`);
  if (result.status !== 0) throw new CannotCheck(`${command} ${args.join(" ")} failed (exit ${result.status}):\n${result.stderr || result.stdout}`);
  return result.stdout;
}

/** The attributes of the one applied resource of `type` in the stack's state. */
function appliedResource({ dir, label }: Pick<Options, "dir" | "label">, type: string): Record<string, unknown> {
  const state: { resources?: { mode: string; type: string; instances: { attributes: Record<string, unknown> }[] }[] } =
    JSON.parse(run(process.env.REDIS_NET_TERRAFORM ?? "terraform", ["state", "pull"], dir) || "{}");
  const found = (state.resources ?? []).filter((r) => r.mode === "managed" && r.type === type).flatMap((r) => r.instances);
  if (found.length !== 1) throw new CannotCheck(`the state in ${label} holds ${found.length} ${type} (expected 1): apply the stack first`);
  return found[0].attributes;
}

/** One hop of a trace, as a person would name it: its state and the resource it is at. */
function describeStep(step: Step): string {
  const kind = STEP_KINDS.find((key) => step[key]);
  if (!kind) return step.state;
  const value = step[kind]!;
  const name = value.displayName ?? value.subnetworkUri ?? value.resourceUri ?? value.uri ?? "";
  const detail = kind === "firewall" ? `(${value.action}, priority ${value.priority})` : kind === "deliver" ? `${value.target} ${value.ipAddress ?? ""}` : (value.cause ?? "");
  return `${step.state} ${kind} ${name} ${detail}`.replace(/\s+/g, " ").trim();
}

/**
 * The hop where a trace fails: the step marked as causing the drop, else the one before the final
 * DROP or ABORT; with the final step's cause and resource.
 */
function failedHop(steps: Step[]): string | undefined {
  const last = steps[steps.length - 1];
  if (!last || !["DROP", "ABORT"].includes(last.state)) return undefined;
  const culprit = steps.find((s) => s.causesDrop) ?? steps[steps.length - 2] ?? last;
  const end = last.drop ?? last.abort ?? {};
  const missing = end.projectsMissingPermission?.length ? ` (no permission in ${end.projectsMissingPermission.join(", ")})` : "";
  return `at ${describeStep(culprit)}: ${last.state} ${end.cause ?? "without a cause"}${end.resourceUri ? ` at ${end.resourceUri}` : ""}${missing}`;
}

function connectivityVerdict(test: ConnectivityTest): { ok: boolean; lines: string[] } {
  const details = test.reachabilityDetails;
  if (!details?.result) return { ok: false, lines: [`${test.name}: no result yet (reachabilityDetails is empty)`] };
  const traces = details.traces ?? [];
  if (details.result === "REACHABLE") {
    return { ok: true, lines: [`REACHABLE: ${(traces[0]?.steps ?? []).map(describeStep).join(" → ")}`] };
  }
  const hops = traces.flatMap((trace) => failedHop(trace.steps ?? []) ?? []);
  return {
    ok: false,
    lines: [
      `${details.result}${details.error?.message ? `: ${details.error.message}` : ""}`,
      ...(hops.length ? hops.map((hop) => `  the path fails ${hop}`) : ["  no trace names a failing hop"]),
    ],
  };
}

function checkGcp(options: Options): boolean {
  const { stack } = options;
  const { name, project } = appliedResource(options, TEST_TYPE);
  const where = [String(name), `--project=${project}`];
  run("gcloud", ["network-management", "connectivity-tests", "rerun", ...where, "--quiet"]);
  const test: ConnectivityTest = JSON.parse(run("gcloud", ["network-management", "connectivity-tests", "describe", ...where, "--format=json"]));
  const verdict = connectivityVerdict(test);
  (verdict.ok ? console.log : console.error)(`${stack}: Connectivity Test ${name} (Cloud Run → Memorystore): ${verdict.lines.join("\n")}`);
  return verdict.ok;
}

function sleep(seconds: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, seconds * 1000);
}

function checkScaleway(options: Options): boolean {
  const { stack, timeoutSeconds, intervalSeconds } = options;
  const { id, name } = appliedResource(options, CONTAINER_TYPE);
  const [region, uuid] = String(id).split("/");
  const deadline = Date.now() + timeoutSeconds * 1000;
  for (;;) {
    const container: { status: string; error_message?: string } = JSON.parse(run("scw", ["container", "container", "get", uuid, `region=${region}`, "-o", "json"]));
    if (container.status === "ready") {
      console.log(`${stack}: container ${name} (${id}) is ready: its health check passed`);
      return true;
    }
    if (container.status === "error" || container.status === "locked") {
      console.error(`${stack}: container ${name} (${id}) has status ${container.status}: ${container.error_message ?? "no error message"}`);
      return false;
    }
    if (Date.now() + intervalSeconds * 1000 > deadline) {
      console.error(`${stack}: container ${name} (${id}) is still ${container.status} after ${timeoutSeconds} s`);
      return false;
    }
    sleep(intervalSeconds);
  }
}

export function main(argv: string[]): number {
  try {
    const options = parseArgs(argv);
    if (options.stack.startsWith("gcp-")) return checkGcp(options) ? 0 : 1;
    if (options.stack.startsWith("scaleway-")) return checkScaleway(options) ? 0 : 1;
    throw new CannotCheck(`stack ${options.stack} names no known cloud (gcp-*, scaleway-*)`);
  } catch (error) {
    // Anything else is a bug: it is thrown, with its stack.
    if (!(error instanceof CannotCheck || error instanceof SyntaxError)) throw error;
    console.error(`reachability: ${error.message}`);
    return 2;
  }
}
