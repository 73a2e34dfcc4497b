import { TerraformOutput, TerraformStack, Testing } from "cdktf";
import { defaultAddress, firstInstance, ImportBlock, waitFor } from "../../../constructs/addresses";
import { Network } from "../../../constructs/gcp/network";
import { resourceAt } from "../../helpers/helpers";

// Addresses are an API: a construct ID's default address, references to counted resources, imports.

test.each([
  ["session-store", undefined, "session_store"],
  ["sessionStore", undefined, "session_store"],
  ["cache2Store", undefined, "cache2_store"],
  ["--ci..plan--", undefined, "ci_plan"],
  ["Redis", "namespace", "redis_namespace"],
  ["backend", "", "backend"],
])("defaultAddress(%j, %j) is %j", (id, suffix, address) => {
  expect(defaultAddress(id, suffix)).toBe(address);
});

function network() {
  const stack = new TerraformStack(Testing.app(), "test");
  new Network(stack, "network", { name: "test-vpc", logicalId: "vpc" });
  new Network(stack, "other", { name: "other-vpc", logicalId: "other" });
  return { stack, vpc: resourceAt(stack, "google_compute_network.vpc"), other: resourceAt(stack, "google_compute_network.other") };
}

test("waitFor adds to what a resource already waits for", () => {
  const { stack, vpc, other } = network();
  vpc.dependsOn = ["google_compute_network.elsewhere"];
  waitFor(vpc, other);
  expect(JSON.parse(Testing.synth(stack)).resource.google_compute_network.vpc.depends_on).toEqual(["google_compute_network.elsewhere", "google_compute_network.other"]);
});

test("firstInstance refers to instance [0] of a counted resource", () => {
  const { stack, vpc } = network();
  new TerraformOutput(stack, "first", { value: firstInstance(vpc, "id") });
  expect(JSON.parse(Testing.synth(stack)).output.first.value).toBe("${google_compute_network.vpc[0].id}");
});

test("an import block takes over the live object, in JSON and in HCL", () => {
  const { stack, vpc } = network();
  const block = new ImportBlock(vpc, "projects/p/global/networks/test-vpc");
  expect(JSON.parse(Testing.synth(stack)).import).toEqual([{ to: "google_compute_network.vpc", id: "projects/p/global/networks/test-vpc" }]);
  expect(block.toHclTerraform()).toEqual({
    import: [{
      to: { value: "google_compute_network.vpc", type: "simple", storageClassType: "reference" },
      id: { value: "projects/p/global/networks/test-vpc", type: "simple", storageClassType: "string" },
    }],
  });
});
