// Fast tier: every synthesized stack against the reference evaluated for its environment.
import * as fs from "fs";
import * as path from "path";
import { ROOT } from "../root";
import { compareConfigs, Difference } from "./compare";
import { evaluateReference } from "./reference";

/** `gcp-staging` -> { cloud: "gcp", environment: "staging" } (see naming/names.ts). */
export function splitStackName(name: string): { cloud: string; environment: string } {
  const dash = name.indexOf("-");
  return { cloud: name.slice(0, dash), environment: name.slice(dash + 1) };
}

export function referenceDir(cloud: string, environment: string, referenceRoot = path.join(ROOT, "reference")): string {
  const dir = path.join(referenceRoot, cloud);
  const tfvars = path.join(dir, `${environment}.tfvars`);
  if (!fs.existsSync(tfvars)) throw new Error(`${path.relative(ROOT, tfvars)} is missing: every environment needs its hand-written counterpart`);
  return dir;
}

/** [{ stack, differences }] for each of `stacks` in a synthesized outdir. */
export async function fastTier(outdir: string, stacks: string[], referenceRoot?: string): Promise<{ stack: string; differences: Difference[] }[]> {
  const manifest = JSON.parse(fs.readFileSync(path.join(outdir, "manifest.json"), "utf8"));
  const results = [];
  for (const [stack, entry] of Object.entries<{ synthesizedStackPath: string }>(manifest.stacks).filter(([name]) => stacks.includes(name))) {
    const { cloud, environment } = splitStackName(stack);
    const reference = await evaluateReference(referenceDir(cloud, environment, referenceRoot), environment);
    const synthesized = JSON.parse(fs.readFileSync(path.join(outdir, entry.synthesizedStackPath), "utf8"));
    results.push({ stack, differences: compareConfigs(reference, synthesized) });
  }
  return results;
}
