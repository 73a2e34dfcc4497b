// @ts-check
// `npm run reachability -- <stack> [--dir <stack directory>] [--timeout <s>] [--interval <s>]`:
// after an apply, proves the backend reaches Redis, or fails naming the hop that does not.
// GCP: reruns the stack's Connectivity Test (the Cloud Run revision serving traffic, through the
// connector or Direct VPC egress, to the Memorystore host and port) with gcloud and reads its
// result; the test never reruns by itself. Scaleway: waits for the backend container to be `ready`
// (its startup probe on the health path, which checks Redis, gates every deployment) with scw.
// What to check is read from the applied state (`terraform state pull` in the stack directory).
// Exit 0: reachable / ready. 1: not, with the hop or container named. 2: the check could not run.
const { spawnSync } = require("child_process");
const path = require("path");

const TEST_TYPE = "google_network_management_connectivity_test";
const CONTAINER_TYPE = "scaleway_container";

/** A check that could not run (exit 2), as opposed to one that ran and failed (exit 1). */
class CannotCheck extends Error {}

/** @param {string[]} argv */
function parseArgs(argv) {
  const options = { stack: "", dir: "", timeoutSeconds: 600, intervalSeconds: 10 };
  for (let i = 0; i < argv.length; i++) {
    const [flag, value] = [argv[i], argv[i + 1]];
    const seconds = () => {
      const n = Number(value);
      if (!Number.isFinite(n) || n < 0) throw new CannotCheck(`${flag} ${JSON.stringify(value)}: must be a number of seconds`);
      i++;
      return n;
    };
    if (flag === "--dir" && value) options.dir = path.resolve(argv[++i]);
    else if (flag === "--timeout") options.timeoutSeconds = seconds();
    else if (flag === "--interval") options.intervalSeconds = seconds();
    else if (!flag.startsWith("-") && !options.stack) options.stack = flag;
    else throw new CannotCheck(`unknown or incomplete argument ${flag} (usage: npm run reachability -- <stack> [--dir <stack directory>] [--timeout <s>] [--interval <s>])`);
  }
  if (!options.stack) throw new CannotCheck("usage: npm run reachability -- <stack> [--dir <stack directory>] [--timeout <s>] [--interval <s>]");
  options.dir ||= path.resolve(__dirname, "..", "cdktf.out", "stacks", options.stack);
  return options;
}

/**
 * @param {string} command
 * @param {string[]} args
 * @param {string} [cwd]
 */
function run(command, args, cwd) {
  const result = spawnSync(command, args, { cwd, encoding: "utf8", maxBuffer: 64 << 20, timeout: 15 * 60 * 1000 });
  if (result.error) throw new CannotCheck(`${command} ${args.join(" ")}: ${result.error.message}`);
  if (result.status !== 0) throw new CannotCheck(`${command} ${args.join(" ")} failed (exit ${result.status}):\n${result.stderr || result.stdout}`);
  return result.stdout;
}

/**
 * The attributes of the one applied resource of `type` in the stack's state.
 * @param {string} dir
 * @param {string} type
 * @returns {Record<string, any>}
 */
function appliedResource(dir, type) {
  const state = JSON.parse(run(process.env.REDIS_NET_TERRAFORM ?? "terraform", ["state", "pull"], dir) || "{}");
  const found = (state.resources ?? []).filter((/** @type {any} */ r) => r.mode === "managed" && r.type === type).flatMap((/** @type {any} */ r) => r.instances);
  if (found.length !== 1) throw new CannotCheck(`the state in ${dir} holds ${found.length} ${type} (expected 1): apply the stack first`);
  return found[0].attributes;
}

/**
 * One hop of a trace, as a person would name it: its state and the resource it is at.
 * @param {any} step a Network Management v1 Step
 */
function describeStep(step) {
  const info = ["cloudRunRevision", "vpcConnector", "directVpcEgressConnection", "firewall", "route", "network", "redisInstance", "nat", "deliver", "drop", "abort"]
    .map((key) => [key, step[key]])
    .find(([, value]) => value);
  if (!info) return step.state;
  const [kind, value] = info;
  const name = value.displayName ?? value.subnetworkUri ?? value.resourceUri ?? value.uri ?? "";
  const detail = kind === "firewall" ? `(${value.action}, priority ${value.priority})` : kind === "deliver" ? `${value.target} ${value.ipAddress ?? ""}` : (value.cause ?? "");
  return `${step.state} ${kind} ${name} ${detail}`.replace(/\s+/g, " ").trim();
}

/**
 * The hop where a trace fails: the step marked as causing the drop, else the one before the final
 * DROP or ABORT; with the final step's cause and resource.
 * @param {any[]} steps
 */
function failedHop(steps) {
  const last = steps[steps.length - 1];
  if (!last || !["DROP", "ABORT"].includes(last.state)) return undefined;
  const culprit = steps.find((s) => s.causesDrop) ?? steps[steps.length - 2] ?? last;
  const end = last.drop ?? last.abort ?? {};
  const missing = end.projectsMissingPermission?.length ? ` (no permission in ${end.projectsMissingPermission.join(", ")})` : "";
  return `at ${describeStep(culprit)}: ${last.state} ${end.cause ?? "without a cause"}${end.resourceUri ? ` at ${end.resourceUri}` : ""}${missing}`;
}

/**
 * The verdict on a Connectivity Test as `gcloud ... describe --format=json` prints it.
 * @param {any} test
 * @returns {{ ok: boolean, lines: string[] }}
 */
function connectivityVerdict(test) {
  const details = test.reachabilityDetails;
  if (!details?.result) return { ok: false, lines: [`${test.name}: no result yet (reachabilityDetails is empty)`] };
  /** @type {any[]} */
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

/** @param {string} stack @param {string} dir */
function checkGcp(stack, dir) {
  const { name, project } = appliedResource(dir, TEST_TYPE);
  const where = [name, `--project=${project}`];
  run("gcloud", ["network-management", "connectivity-tests", "rerun", ...where, "--quiet"]);
  const test = JSON.parse(run("gcloud", ["network-management", "connectivity-tests", "describe", ...where, "--format=json"]));
  const verdict = connectivityVerdict(test);
  (verdict.ok ? console.log : console.error)(`${stack}: Connectivity Test ${name} (Cloud Run → Memorystore): ${verdict.lines.join("\n")}`);
  return verdict.ok;
}

/** @param {number} seconds */
function sleep(seconds) {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, seconds * 1000);
}

/** @param {string} stack @param {string} dir @param {number} timeoutSeconds @param {number} intervalSeconds */
function checkScaleway(stack, dir, timeoutSeconds, intervalSeconds) {
  const { id, name } = appliedResource(dir, CONTAINER_TYPE);
  const [region, uuid] = String(id).split("/");
  const deadline = Date.now() + timeoutSeconds * 1000;
  for (;;) {
    const container = JSON.parse(run("scw", ["container", "container", "get", uuid, `region=${region}`, "-o", "json"]));
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

/** @param {string[]} argv @returns {number} the exit code */
function main(argv) {
  try {
    const { stack, dir, timeoutSeconds, intervalSeconds } = parseArgs(argv);
    if (stack.startsWith("gcp-")) return checkGcp(stack, dir) ? 0 : 1;
    if (stack.startsWith("scaleway-")) return checkScaleway(stack, dir, timeoutSeconds, intervalSeconds) ? 0 : 1;
    throw new CannotCheck(`stack ${stack} names no known cloud (gcp-*, scaleway-*)`);
  } catch (error) {
    if (!(error instanceof CannotCheck || error instanceof SyntaxError)) throw error;
    console.error(`reachability: ${error.message}`);
    return 2;
  }
}

if (require.main === module) process.exit(main(process.argv.slice(2)));
