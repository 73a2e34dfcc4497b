import { spawnSync } from "child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "fs";
import path from "path";
import { startCheckov } from "../../../scripts/verify/checkov";
import { terraform, terraformContext } from "../../../scripts/verify/terraform";
import { checkovCli, providerMirror, ROOT, tempDir, terraformCli } from "../../helpers/helpers";

// `npm run verify` starts one checkov run over several plans and goes on with what follows: the
// scan runs beside terraform, and each plan's verdict is read when verify reports. Real checkov on
// real plans.
const maybe = providerMirror() && checkovCli() ? test : test.skip;

/**
 * A stack of one storage bucket without uniform access (checkov's CKV_GCP_29 fails on it) and with
 * public access prevention (CKV_GCP_114 passes), planned.
 */
function plannedBucket(dir: string, skips?: Record<string, string>): { planFile: string; stack: any } {
  const stack = {
    provider: { google: [{ project: "netra-staging", region: "europe-west1", access_token: "placeholder" }] },
    resource: { google_storage_bucket: { state: { name: `bucket-${path.basename(dir)}`, location: "EU", public_access_prevention: "enforced", ...(skips ? { "//": { checkov_skip: skips } } : {}) } } },
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

maybe("one scan gives each plan its own verdict: a failure is excused only by a skip declared on its resource, a skip of a passing check is named stale, scans run side by side, nothing is left behind", async () => {
  const dir = tempDir("checkov-");
  try {
    const bare = plannedBucket(path.join(dir, "bare"));
    const excused = plannedBucket(path.join(dir, "excused"), { CKV_GCP_29: "uniform access comes later", CKV_GCP_1: "no such failure" });
    const alone = plannedBucket(path.join(dir, "alone"));
    const scan = startCheckov(checkovCli()!, [bare, excused].map(({ planFile, stack }) => ({ planFile, synthesized: stack })));
    const other = startCheckov(checkovCli()!, [{ planFile: alone.planFile, synthesized: alone.stack }]);
    expect([...scan.keys()]).toEqual([bare.planFile, excused.planFile]);
    const [onBare, onExcused, onAlone] = await Promise.all([scan.get(bare.planFile)!, scan.get(excused.planFile)!, other.get(alone.planFile)!]);
    expect(onBare.failed.map((f) => `${f.address} ${f.id}`)).toContain("google_storage_bucket.state CKV_GCP_29");
    expect(onBare.skipped).toEqual([]);
    expect(onExcused.failed.map((f) => f.id)).toEqual(onBare.failed.map((f) => f.id).filter((id) => id !== "CKV_GCP_29"));
    expect(onExcused.skipped).toEqual([{ id: "CKV_GCP_29", address: "google_storage_bucket.state", name: expect.any(String), reason: "uniform access comes later" }]);
    expect(onExcused.stale).toEqual([{ address: "google_storage_bucket.state", id: "CKV_GCP_1" }]);
    // Each plan counts its own checks only: the two plans of one scan, as a plan scanned alone.
    expect(onBare.passed).toBeGreaterThan(0);
    expect(onExcused.passed).toBe(onBare.passed);
    expect(onAlone).toEqual(onBare);
    for (const side of ["bare", "excused", "alone"]) expect(readdirSync(path.join(dir, side)).filter((name) => name.includes("checkov"))).toEqual([]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}, 600_000);

maybe("a plan checkov cannot parse, or a run that prints no report, is an error naming the plan, never a pass", async () => {
  const dir = tempDir("checkov-");
  try {
    const planFile = path.join(dir, "plan.json");
    writeFileSync(planFile, "{}");
    const missing = path.join(dir, "absent.json");
    const scan = startCheckov(checkovCli()!, [{ planFile, synthesized: {} }, { planFile: missing, synthesized: {} }]);
    for (const verdict of scan.values()) await expect(verdict).rejects.toThrow(`checkov could not parse ${missing} (1 parsing error(s))`);
    // What a checkov that dies before its report leaves: nothing on its output.
    await expect(startCheckov("true", [{ planFile, synthesized: {} }]).get(planFile)).rejects.toThrow(`checkov on ${planFile} printed no report`);
    expect(readdirSync(dir).sort()).toEqual(["plan.json"]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}, 600_000);

test("a plan given twice is refused before checkov starts, and no plans start nothing", () => {
  const planFile = path.join(tempDir("checkov-"), "plan.json");
  expect(() => startCheckov("/nonexistent/checkov", [{ planFile, synthesized: {} }, { planFile: `${path.dirname(planFile)}/./plan.json`, synthesized: {} }])).toThrow(
    `checkov: plan ${planFile} given twice; each plan is scanned once`,
  );
  expect(startCheckov("/nonexistent/checkov", []).size).toBe(0);
});

test("a process that exits before reading its scan stops checkov and leaves no report behind", () => {
  const dir = tempDir("checkov-");
  // A checkov that says it started and would outlive the process.
  const checkov = path.join(dir, "checkov");
  const pidFile = path.join(dir, "pid");
  writeFileSync(checkov, `#!/bin/sh\necho $$ > '${pidFile}.tmp' && mv '${pidFile}.tmp' '${pidFile}'\nexec sleep 60\n`, { mode: 0o755 });
  const script = `
    require(${JSON.stringify(path.join(ROOT, "scripts", "build.js"))}).build();
    const { startCheckov } = require(${JSON.stringify(path.join(ROOT, "dist", "scripts", "verify", "checkov.js"))});
    startCheckov(${JSON.stringify(checkov)}, [{ planFile: ${JSON.stringify(path.join(dir, "plan.json"))}, synthesized: {} }]);
    const fs = require("fs");
    if (!fs.readdirSync(${JSON.stringify(dir)}).some((name) => name.startsWith(".checkov-"))) process.exit(3);
    const started = Date.now();
    while (!fs.existsSync(${JSON.stringify(pidFile)})) if (Date.now() - started > 20000) process.exit(4);
    process.exit(2);
  `;
  const run = spawnSync(process.execPath, ["-e", script], { cwd: ROOT, encoding: "utf8", timeout: 60_000 });
  expect([run.status, run.stderr]).toEqual([2, ""]);
  expect(readdirSync(dir).sort()).toEqual(["checkov", "pid"]);
  // Killed, not left sleeping: gone, or dead and not yet reaped by its new parent.
  const pid = readFileSync(pidFile, "utf8").trim();
  const state = () => (existsSync(`/proc/${pid}/stat`) ? readFileSync(`/proc/${pid}/stat`, "utf8").replace(/^.*\) /, "")[0] : "gone");
  const until = Date.now() + 5000;
  while (!["gone", "Z"].includes(state()) && Date.now() < until);
  expect(["gone", "Z"]).toContain(state());
});
