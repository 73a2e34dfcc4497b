import { spawnSync } from "child_process";
import { cpSync, readFileSync, rmSync, writeFileSync } from "fs";
import path from "path";
import { outputDifferences } from "../../../scripts/cdktn";
import { ROOT, tempDir } from "../../helpers/helpers";

// The comparison `npm run cdktn` makes between cdktf's output and CDK Terrain's (.ci/run runs the
// whole of it: install, regenerated bindings, cdktn synth): only the version string may differ.
// Real tier: it compares the output of a synth it runs.

const cdktfOut = path.join(tempDir("cdktf-"), "cdktf.out");
const synth = spawnSync(process.execPath, [path.join(ROOT, "scripts", "run.js")], { env: { ...process.env, CDKTF_OUTDIR: cdktfOut }, encoding: "utf8" });

/** cdktf's output as cdktn 0.24 writes it: its version, and empty [] and {} on one line. */
function asCdktn(edit: (stack: any) => void = () => {}): string {
  const out = tempDir("cdktn-");
  cpSync(cdktfOut, out, { recursive: true, dereference: true });
  const stacks = Object.keys(JSON.parse(readFileSync(path.join(out, "manifest.json"), "utf8")).stacks);
  for (const file of ["manifest.json", ...stacks.map((stack) => `stacks/${stack}/cdk.tf.json`)]) {
    const json = JSON.parse(readFileSync(path.join(out, file), "utf8"));
    if (file === "manifest.json") json.version = "0.24.0";
    else json["//"].metadata.version = "0.24.0";
    if (file === "stacks/gcp-staging/cdk.tf.json") edit(json);
    writeFileSync(path.join(out, file), JSON.stringify(json, null, 2));
  }
  return out;
}

test("identical apart from the version string and the layout of empty lists: no difference", () => {
  expect(synth.status).toBe(0);
  const { differences, versions } = outputDifferences(cdktfOut, asCdktn());
  expect(differences).toEqual([]);
  expect([...versions]).toEqual(["0.21.0 → 0.24.0"]);
});

test("a changed value, a key out of order or a missing stack is a difference, named by file", () => {
  const changed = asCdktn((stack) => (stack.resource.google_redis_instance.main.memory_size_gb = 2));
  expect(outputDifferences(cdktfOut, changed).differences).toEqual([expect.stringMatching(/^stacks\/gcp-staging\/cdk\.tf\.json: differs at line \d+ of the normalized JSON: "memory_size_gb": 1, ≠ "memory_size_gb": 2,$/)]);
  const reordered = asCdktn((stack) => {
    const { terraform, ...rest } = stack;
    for (const key of Object.keys(stack)) delete stack[key];
    Object.assign(stack, rest, { terraform });
  });
  expect(outputDifferences(cdktfOut, reordered).differences).toHaveLength(1);
  const missing = asCdktn();
  rmSync(path.join(missing, "stacks", "scaleway-production"), { recursive: true });
  expect(outputDifferences(cdktfOut, missing).differences).toEqual(["stacks/scaleway-production/cdk.tf.json: only in cdktf's output"]);
});
