import { spawnSync } from "child_process";
import { chmodSync, readFileSync, writeFileSync } from "fs";
import path from "path";
import { ROOT, tempDir, FIXTURES } from "../../helpers/helpers";

// npm run reachability against recorded replies: a gcloud and an scw on PATH that print the JSON
// the real CLIs print (fixtures/reachability/, shapes of the Network Management v1 API and of
// `scw container container get -o json`), and the real terraform reading the applied state.
const REPLIES = path.join(FIXTURES, "reachability");

/** A CLI named `name` that logs its arguments and prints the next reply (the last one repeats). */
function recordedCli(name: string, replies: string[], exitCode = 0): { bin: string; calls: () => string[] } {
  const bin = tempDir(`${name}-`);
  const log = path.join(bin, "calls.log");
  writeFileSync(log, "");
  const files = replies.map((reply) => (reply ? path.join(REPLIES, reply) : "/dev/null"));
  writeFileSync(path.join(bin, name), `#!/usr/bin/env bash
printf '%s\\n' "$*" >> ${JSON.stringify(log)}
replies=(${files.map((f) => JSON.stringify(f)).join(" ")})
n=$(($(wc -l < ${JSON.stringify(log)}) - 1))
(( n < \${#replies[@]} )) || n=$((\${#replies[@]} - 1))
cat "\${replies[$n]}"
[[ ${exitCode} == 0 ]] || { echo "ERROR: (gcloud.network-management.connectivity-tests.rerun) PERMISSION_DENIED" >&2; exit ${exitCode}; }
`);
  chmodSync(path.join(bin, name), 0o755);
  return { bin, calls: () => readFileSync(log, "utf8").trim().split("\n") };
}

/** A stack directory whose state holds one applied resource. */
function appliedStack(type: string, name: string, attributes: Record<string, unknown>): string {
  const dir = tempDir("stack-");
  const instance = { schema_version: 0, attributes, sensitive_attributes: [] };
  const provider = type.startsWith("google_") ? "hashicorp/google" : "scaleway/scaleway";
  const resources = [{ mode: "managed", type, name, provider: `provider["registry.terraform.io/${provider}"]`, instances: [instance] }];
  writeFileSync(path.join(dir, "terraform.tfstate"), JSON.stringify({ version: 4, terraform_version: "1.11.4", serial: 7, lineage: "3f6c2a1e-8b4d-4e5f-9a0b-1c2d3e4f5a6b", outputs: {}, resources }));
  return dir;
}

function reachability(cli: { bin: string }, ...args: string[]) {
  const env = { PATH: `${cli.bin}:${process.env.PATH}`, HOME: process.env.HOME!, CHECKPOINT_DISABLE: "1" };
  const run = spawnSync(process.execPath, [path.join(ROOT, "scripts", "run.js"), "reachability", ...args], { env, encoding: "utf8" });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

describe("GCP: the stack's Connectivity Test is rerun and its result read", () => {
  const stack = appliedStack("google_network_management_connectivity_test", "serverless_to_redis", { name: "staging-serverless-to-redis", project: "netra-staging" });
  const check = (...replies: string[]) => {
    const gcloud = recordedCli("gcloud", replies);
    return { ...reachability(gcloud, "gcp-staging", "--dir", stack), calls: gcloud.calls() };
  };

  test("reachable: exit 0 with the path it took; rerun first, then the result", () => {
    const run = check("", "connectivity-test.reachable.json");
    expect(run.calls).toEqual([
      "network-management connectivity-tests rerun staging-serverless-to-redis --project=netra-staging --quiet",
      "network-management connectivity-tests describe staging-serverless-to-redis --project=netra-staging --format=json",
    ]);
    expect(run.status).toBe(0);
    expect(run.stdout).toContain(
      "gcp-staging: Connectivity Test staging-serverless-to-redis (Cloud Run → Memorystore): REACHABLE: START_FROM_CLOUD_RUN_REVISION cloudRunRevision staging-backend-00007-qaz → ARRIVE_AT_VPC_CONNECTOR vpcConnector staging-vac → APPLY_EGRESS_FIREWALL_RULE firewall (ALLOW, priority 65535) → APPLY_ROUTE route peering-route-7f3a2c91d8e04b65 → DELIVER deliver projects/netra-staging/locations/us-central1/instances/staging-redis-f1adc35c REDIS_INSTANCE 10.166.204.83",
    );
  });

  test("unreachable: exit 1 naming the hop that drops the packet and why", () => {
    const run = check("", "connectivity-test.unreachable.json");
    expect(run.status).toBe(1);
    expect(run.stderr).toContain("UNREACHABLE\n  the path fails at APPLY_EGRESS_FIREWALL_RULE firewall staging-deny-all-egress (DENY, priority 65534): DROP FIREWALL_RULE at projects/netra-staging/global/firewalls/staging-deny-all-egress");
  });

  test("undetermined: exit 1 with the aborted hop, the cause and the project it could not read", () => {
    const run = check("", "connectivity-test.undetermined.json");
    expect(run.status).toBe(1);
    expect(run.stderr).toContain("UNDETERMINED: Caller lacks permission to read the configuration of project netra-network-host.\n  the path fails at ARRIVE_AT_VPC_CONNECTOR vpcConnector staging-vac: ABORT PERMISSION_DENIED (no permission in netra-network-host)");
  });

  test("a check that cannot run is exit 2: gcloud refused, or nothing applied", () => {
    const refused = reachability(recordedCli("gcloud", [""], 1), "gcp-staging", "--dir", stack);
    expect([refused.status, refused.stderr]).toEqual([2, expect.stringContaining("gcloud network-management connectivity-tests rerun staging-serverless-to-redis --project=netra-staging --quiet failed (exit 1):\nERROR: (gcloud.network-management.connectivity-tests.rerun) PERMISSION_DENIED")]);
    const empty = reachability(recordedCli("gcloud", [""]), "gcp-staging", "--dir", tempDir("empty-"));
    expect([empty.status, empty.stderr]).toEqual([2, expect.stringContaining("holds 0 google_network_management_connectivity_test (expected 1): apply the stack first")]);
  });
});

describe("Scaleway: the container's health check gates the deployment; the check waits for ready", () => {
  const stack = appliedStack("scaleway_container", "backend", { id: "fr-par/9e2f7a14-0c6b-4e8d-b3a1-5d7c2e9f0b86", name: "gift-genie-backend", region: "fr-par" });
  const check = (replies: string[], ...args: string[]) => {
    const scw = recordedCli("scw", replies);
    return { ...reachability(scw, "scaleway-staging", "--dir", stack, "--interval", "0", ...args), calls: scw.calls() };
  };

  test("updating, then ready: exit 0", () => {
    const run = check(["scw-container.updating.json", "scw-container.ready.json"]);
    expect(run.calls).toEqual(Array(2).fill("container container get 9e2f7a14-0c6b-4e8d-b3a1-5d7c2e9f0b86 region=fr-par -o json"));
    expect([run.status, run.stdout]).toEqual([0, "scaleway-staging: container gift-genie-backend (fr-par/9e2f7a14-0c6b-4e8d-b3a1-5d7c2e9f0b86) is ready: its health check passed\n"]);
  });

  test("error: exit 1 naming the container and Scaleway's error message", () => {
    const run = check(["scw-container.error.json"]);
    expect(run.status).toBe(1);
    expect(run.stderr).toBe("scaleway-staging: container gift-genie-backend (fr-par/9e2f7a14-0c6b-4e8d-b3a1-5d7c2e9f0b86) has status error: startup probe failed: GET /health returned 503 (24 attempts)\n");
  });

  test("still deploying when the time is up: exit 1", () => {
    const run = check(["scw-container.updating.json"], "--timeout", "0");
    expect([run.status, run.stderr]).toEqual([1, "scaleway-staging: container gift-genie-backend (fr-par/9e2f7a14-0c6b-4e8d-b3a1-5d7c2e9f0b86) is still updating after 0 s\n"]);
  });
});

test("arguments it cannot use are exit 2 naming them, before any CLI runs", () => {
  const gcloud = recordedCli("gcloud", [""]);
  const usage = "usage: npm run reachability -- <stack> [--dir <stack directory>] [--timeout <s>] [--interval <s>]";
  expect(reachability(gcloud)).toMatchObject({ status: 2, stderr: `reachability: ${usage}\n` });
  expect(reachability(gcloud, "gcp-staging", "--retries", "3")).toMatchObject({ status: 2, stderr: expect.stringMatching(/^reachability: Unknown option '--retries'.*; usage: /) });
  expect(reachability(gcloud, "gcp-staging", "--timeout=-5")).toMatchObject({ status: 2, stderr: expect.stringContaining("--timeout \"-5\": must be a number of seconds") });
  expect(reachability(gcloud, "gcp-staging", "--interval", "soon")).toMatchObject({ status: 2, stderr: expect.stringContaining("--interval \"soon\": must be a number of seconds") });
  expect(reachability(gcloud, "gcp-staging", "gcp-production")).toMatchObject({ status: 2, stderr: expect.stringContaining("one stack at a time (got gcp-staging and gcp-production)") });
  const known = "(gcp-staging, scaleway-staging, gcp-production, scaleway-production)";
  expect(reachability(gcloud, "azure-staging")).toMatchObject({ status: 2, stderr: `reachability: stack azure-staging: not one of the configuration's stacks ${known}\n` });
  // It used to blame terraform: `terraform state pull: spawnSync terraform ENOENT`.
  expect(reachability(gcloud, "gcp-nosuch")).toMatchObject({ status: 2, stderr: `reachability: stack gcp-nosuch: not one of the configuration's stacks ${known}\n` });
  expect(reachability(gcloud, "gcp-staging", "--dir", "/no/such/stack")).toMatchObject({ status: 2, stderr: "reachability: --dir /no/such/stack: no such directory (nor is there /no/such)\n" });
  expect(gcloud.calls()).toEqual([""]); // nothing logged
});
