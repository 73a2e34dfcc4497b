import { App } from "cdktf";
import { parseConfig } from "../../../config/load";
import { addStacks, environmentStacks } from "../../../main";
import { policyViolations } from "../../../policy/policy";
import { stackNames, synthAll, tempDir } from "../../helpers/helpers";
import { QA, withQa } from "../../helpers/qa-environment";

import { deviationsFor } from "../../../scripts/verify/deviations";

// The stack list comes from the configuration everywhere: the tests enumerate stackNames(), the
// workflows' plan and apply matrices print `npm run stacks`, and reference/deviations.json names
// stacks by what their configuration says, and the proof reads the reference's values from the
// configuration too (scripts/verify/reference-inputs.ts). So adding an environment is
// config/environments.json alone (qa-environment.ts), and `npx jest -u` records its snapshots.
// Runs of `npm run stacks` and the proof on qa: __tests__/real/stacks/environments.real.test.ts.

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
