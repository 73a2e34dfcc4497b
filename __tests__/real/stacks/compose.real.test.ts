import { mkdirSync, rmSync, writeFileSync } from "fs";
import path from "path";
import { Testing } from "cdktf";
import { terraform, terraformContext } from "../../../scripts/verify/terraform";
import { composedStack } from "../../helpers/composed-stack";
import { providerMirror, tempDir, terraformCli } from "../../helpers/helpers";

// The composed stacks of compose.test.ts through terraform itself, offline with the provider
// mirror: validate, then a plan without refresh under placeholder credentials. Needs `npm run providers`.
(providerMirror() ? test : test.skip).each(["owned", "referenced"] as const)("a stack with two Redis instances on a network it %s validates and plans", (network) => {
  const dir = tempDir("compose-");
  try {
    const work = path.join(dir, "stack");
    mkdirSync(work);
    writeFileSync(path.join(work, "cdk.tf.json"), Testing.synth(composedStack(network).stack));
    const home = path.join(dir, "home");
    mkdirSync(home);
    const tf = terraformContext(terraformCli(), providerMirror()!, home);
    terraform(work, tf, ["init", "-input=false", "-backend=false"]);
    const validation = JSON.parse(terraform(work, tf, ["validate", "-json"]));
    expect(validation.diagnostics).toEqual([]);
    terraform(work, tf, ["plan", "-refresh=false", "-lock=false", "-input=false", "-out=plan.bin"]);
    const plan = JSON.parse(terraform(work, tf, ["show", "-json", "plan.bin"]));
    const created = plan.resource_changes.map((change: { address: string }) => change.address).sort();
    expect(created).toEqual([...(network === "owned" ? ["google_compute_network.network"] : []), "google_redis_instance.cache", "google_redis_instance.session_store"]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}, 600_000);
