import { mkdirSync, readdirSync, rmSync, writeFileSync } from "fs";
import path from "path";
import { startCheckov } from "../../../scripts/verify/checkov";
import { terraform, terraformContext } from "../../../scripts/verify/terraform";
import { checkovCli, providerMirror, tempDir, terraformCli } from "../../helpers/helpers";

// `npm run verify` starts checkov on each plan and goes on with the next plans: the scans run
// beside terraform and each other, and are read when verify reports. Real checkov on real plans.
const maybe = providerMirror() && checkovCli() ? test : test.skip;

/** A stack of one storage bucket without uniform access (checkov's CKV_GCP_29 fails on it), planned. */
function plannedBucket(dir: string, skips?: Record<string, string>): { planFile: string; stack: any } {
  const stack = {
    provider: { google: [{ project: "netra-staging", region: "europe-west1", access_token: "placeholder" }] },
    resource: { google_storage_bucket: { state: { name: `bucket-${path.basename(dir)}`, location: "EU", ...(skips ? { "//": { checkov_skip: skips } } : {}) } } },
  };
  mkdirSync(dir);
  writeFileSync(path.join(dir, "cdk.tf.json"), JSON.stringify(stack));
  const home = path.join(dir, ".home");
  mkdirSync(home);
  const tf = terraformContext(terraformCli(), providerMirror()!, home);
  terraform(dir, tf, ["init", "-input=false", "-backend=false"]);
  terraform(dir, tf, ["plan", "-refresh=false", "-lock=false", "-input=false", "-out=plan.bin"]);
  writeFileSync(path.join(dir, "plan.json"), terraform(dir, tf, ["show", "-json", "plan.bin"]));
  return { planFile: path.join(dir, "plan.json"), stack };
}

maybe("scans started together each give their own verdict: a failure is excused only by a skip declared on its resource, a skip of a passing check is named stale, nothing is left beside the plan", async () => {
  const dir = tempDir("checkov-");
  try {
    const bare = plannedBucket(path.join(dir, "bare"));
    const excused = plannedBucket(path.join(dir, "excused"), { CKV_GCP_29: "uniform access comes later", CKV_GCP_1: "no such failure" });
    const [onBare, onExcused] = await Promise.all([startCheckov(checkovCli()!, bare.planFile, bare.stack), startCheckov(checkovCli()!, excused.planFile, excused.stack)]);
    expect(onBare.failed.map((f) => `${f.address} ${f.id}`)).toContain("google_storage_bucket.state CKV_GCP_29");
    expect(onBare.skipped).toEqual([]);
    expect(onExcused.failed.map((f) => f.id)).toEqual(onBare.failed.map((f) => f.id).filter((id) => id !== "CKV_GCP_29"));
    expect(onExcused.skipped).toEqual([{ id: "CKV_GCP_29", address: "google_storage_bucket.state", name: expect.any(String), reason: "uniform access comes later" }]);
    expect(onExcused.stale).toEqual([{ address: "google_storage_bucket.state", id: "CKV_GCP_1" }]);
    expect(onExcused.passed).toBe(onBare.passed);
    for (const side of ["bare", "excused"]) expect(readdirSync(path.join(dir, side)).filter((name) => name.includes("checkov"))).toEqual([]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}, 600_000);

maybe("a plan checkov cannot parse, or a run that prints no report, is an error naming the plan, never a pass", async () => {
  const dir = tempDir("checkov-");
  try {
    const missing = path.join(dir, "absent.json");
    await expect(startCheckov(checkovCli()!, missing, {})).rejects.toThrow(`checkov could not parse ${missing} (1 parsing error(s))`);
    const planFile = path.join(dir, "plan.json");
    writeFileSync(planFile, "{}");
    // What a checkov that dies before its report leaves: nothing on its output.
    await expect(startCheckov("true", planFile, {})).rejects.toThrow(`checkov on ${planFile} printed no report`);
    expect(readdirSync(dir).sort()).toEqual(["plan.json"]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}, 600_000);
