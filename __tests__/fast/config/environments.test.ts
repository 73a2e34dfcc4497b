import { App } from "cdktf";
import { spawnSync } from "child_process";
import { writeFileSync } from "fs";
import path from "path";
import { parseConfig } from "../../../config/load";
import { addStacks, environmentStacks } from "../../../main";
import { policyViolations } from "../../../policy/policy";
import { ROOT, stackNames, synthAll, tempDir } from "../../helpers/helpers";
import { projectWithQa, QA, QA_STACKS, withQa } from "../../helpers/qa-environment";
import { verify } from "../../helpers/verify-helpers";

import { deviationsFor } from "../../../scripts/verify/deviations";

// The stack list comes from the configuration everywhere: the tests enumerate stackNames(), the
// workflows' plan and apply matrices print `npm run stacks`, and reference/deviations.json names
// stacks by what their configuration says, and the proof reads the reference's values from the
// configuration too (scripts/verify/reference-inputs.ts). So adding an environment is
// config/environments.json alone (qa-environment.ts), and `npx jest -u` records its snapshots.

test("the stack list is each environment's configured clouds, as addStacks makes them, state bootstraps aside", () => {
  const uat = { gcp: { ...QA.gcp, state: { bucket: "netra-uat-tfstate", writers: ["serviceAccount:deploy@netra-qa.iam.gserviceaccount.com"] } } };
  const raw = { environments: { qa: QA, uat } };
  const app = new App({ outdir: tempDir("stacks-") });
  addStacks(app, parseConfig(raw));
  expect(stackNames(raw)).toEqual(["gcp-qa", "scaleway-qa", "gcp-uat"]);
  // The bootstrap stack is applied by hand (docs/state.md), and scripts/plan.sh refuses it.
  expect(app.node.children.map((stack) => stack.node.id)).toEqual([...stackNames(raw), "state-gcp-uat"]);
  expect(environmentStacks(parseConfig(raw), ["uat"])).toEqual(["gcp-uat"]);
});

test("npm run stacks prints the list as JSON for the workflows' matrices, from the configuration it is given", () => {
  const stacks = (env: Record<string, string> = {}) => spawnSync("node", ["scripts/run.js", "stacks"], { cwd: ROOT, encoding: "utf8", env: { ...process.env, ...env } });
  expect(stacks()).toMatchObject({ status: 0, stderr: "", stdout: `${JSON.stringify(stackNames())}\n` });
  const configFile = path.join(tempDir("qa-config-"), "environments.json");
  writeFileSync(configFile, JSON.stringify(withQa()));
  expect(JSON.parse(stacks({ REDIS_NET_CONFIG: configFile }).stdout)).toEqual([...new Set([...stackNames(), ...QA_STACKS])]);
  expect(stacks({ REDIS_NET_CONFIG: configFile, REDIS_NET_ENVIRONMENTS: "qa,uat" })).toMatchObject({ status: 1, stdout: "", stderr: expect.stringContaining('environment "uat": is not configured') });
});

test("a new environment synthesizes a stack per cloud it configures, and passes the policy rules", () => {
  const raw = withQa();
  const stacks = synthAll(raw);
  // Besides the bootstrap stacks of the environments that keep their state in a bucket.
  expect(Object.keys(stacks).filter((name) => !name.startsWith("state-")).sort()).toEqual(stackNames(raw).sort());
  const app = new App({ outdir: tempDir("policy-") });
  addStacks(app, parseConfig(raw), ["qa"]);
  expect(policyViolations(app)).toEqual([]);
});

test("deviations apply by what the configuration says, so a new environment needs no entry of its own", () => {
  const { differences } = require("../../../reference/deviations.json");
  const declared = (stack: string) => deviationsFor(stack, parseConfig(withQa()), differences).map((d: any) => `${d.stack} ${d.tier} ${d.address} ${d.path}`);
  // Created, not adopted: the reference ignores tls_enabled on every cluster, the stack only on an adopted one.
  expect(declared("scaleway-qa")).toEqual(["scaleway-qa fast scaleway_redis_cluster.main lifecycle"]);
  expect(declared("scaleway-production")).toEqual(["scaleway-production fast scaleway_redis_cluster.main lifecycle"]);
  // Memorystore is beyond the reference (reference/beyond.json): no GCP stack has a deviation.
  expect(declared("gcp-qa")).toEqual([]);
  expect(declared("gcp-production")).toEqual([]);
  expect(declared("gcp-staging")).toEqual([]);
  expect(declared("scaleway-staging")).toEqual(["scaleway-staging plan scaleway_redis_cluster.main waits_for"]);
});

test("adding an environment is environments.json alone: npm run stacks and the proof's fast tier take it up", () => {
  const copy = projectWithQa();
  // Nothing in reference/ names qa: its values are the configuration's.
  expect(spawnSync("grep", ["-rlw", "qa", path.join(copy, "reference")], { encoding: "utf8" }).stdout).toBe("");

  const listed = spawnSync("node", ["scripts/run.js", "stacks"], { cwd: copy, encoding: "utf8" });
  expect(JSON.parse(listed.stdout)).toEqual(stackNames(withQa()));
  const run = verify(copy, "--fast");
  expect(run.stderr).toBe("");
  const lines = run.stdout.trim().split("\n");
  expect(lines.filter((line) => !/^ {2}(declared|beyond the reference)/.test(line))).toEqual(stackNames(withQa()).sort().map((stack) => `fast ${stack}: equivalent`));
  // What qa has beyond the reference is what reference/beyond.json lists already (alerts are off outside production).
  expect(run.stdout).toMatch(/^fast gcp-qa: equivalent\n {2}beyond the reference \(reference\/beyond\.json\): Memorystore; Redis settings in Secret Manager; Cloud Run backend; Connectivity Test; GCP outputs\n/m);
  expect(run.stdout).toMatch(/^fast scaleway-qa: equivalent\n {2}declared: scaleway_redis_cluster\.main lifecycle: [^\n]+\nfast /m);
  expect(run.status).toBe(0);
});
