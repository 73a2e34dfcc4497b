// Fast tier: every synthesized stack against the reference evaluated for its environment.
const fs = require("fs");
const path = require("path");
const { evaluateReference } = require("./reference");
const { compareConfigs } = require("./compare");

const root = path.resolve(__dirname, "..", "..");

/** `gcp-staging` -> { cloud: "gcp", environment: "staging" } (see stacks/naming.ts). */
function splitStackName(name) {
  const dash = name.indexOf("-");
  return { cloud: name.slice(0, dash), environment: name.slice(dash + 1) };
}

function referenceDir(cloud, environment, referenceRoot = path.join(root, "reference")) {
  const dir = path.join(referenceRoot, cloud);
  const tfvars = path.join(dir, `${environment}.tfvars`);
  if (!fs.existsSync(tfvars)) throw new Error(`${path.relative(root, tfvars)} is missing: every environment needs its hand-written counterpart`);
  return dir;
}

/** [{ stack, differences }] for every stack in a synthesized outdir. */
async function fastTier(outdir, referenceRoot) {
  const manifest = JSON.parse(fs.readFileSync(path.join(outdir, "manifest.json"), "utf8"));
  const results = [];
  for (const [stack, entry] of Object.entries(manifest.stacks)) {
    const { cloud, environment } = splitStackName(stack);
    const reference = await evaluateReference(referenceDir(cloud, environment, referenceRoot), environment);
    const synthesized = JSON.parse(fs.readFileSync(path.join(outdir, entry.synthesizedStackPath), "utf8"));
    results.push({ stack, differences: compareConfigs(reference, synthesized) });
  }
  return results;
}

module.exports = { fastTier, splitStackName, referenceDir };
