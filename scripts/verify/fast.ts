// Fast tier: every synthesized stack against the reference evaluated for its environment.
import * as fs from "fs";
import * as path from "path";
import { Config } from "../../config/schema";
import { ROOT } from "../root";
import { BeyondFeature, BeyondSplit, splitBeyond } from "./beyond";
import { compareConfigs, configAddresses, Difference, withoutAddresses } from "./compare";
import { evaluateReference, TerraformJson } from "./reference";
import { referenceInputs } from "./reference-inputs";

/** `gcp-staging` -> { cloud: "gcp", environment: "staging" } (see naming/names.ts). */
export function splitStackName(name: string): { cloud: string; environment: string } {
  const dash = name.indexOf("-");
  return { cloud: name.slice(0, dash), environment: name.slice(dash + 1) };
}

export function referenceDir(cloud: string, referenceRoot = path.join(ROOT, "reference")): string {
  const dir = path.join(referenceRoot, cloud);
  if (!fs.existsSync(dir)) throw new Error(`${path.relative(ROOT, dir)} is missing: every cloud needs its hand-written counterpart`);
  return dir;
}

/** The reference of `cloud`, evaluated with `environment`'s values from the configuration. */
export function referenceFor(cloud: string, environment: string, config: Config, referenceRoot?: string): Promise<TerraformJson> {
  return evaluateReference(referenceDir(cloud, referenceRoot), referenceInputs(cloud, environment, config.environments[environment]));
}

/** One stack's comparison: the differences on what the reference has, and what it has beyond it. */
export interface StackComparison {
  readonly stack: string;
  readonly differences: Difference[];
  readonly beyond: BeyondSplit;
}

/**
 * An evaluated reference against a synthesized stack: the stack's addresses beyond the reference
 * are measured against reference/beyond.json and left out of the comparison.
 */
export function compareStack(stack: string, reference: Record<string, any>, synthesized: Record<string, any>, features: readonly BeyondFeature[]): StackComparison {
  const beyond = splitBeyond(splitStackName(stack).cloud, configAddresses(reference), configAddresses(synthesized), features);
  return { stack, differences: compareConfigs(reference, withoutAddresses(synthesized, [...beyond.beyond, ...beyond.unlisted])), beyond };
}

/** The comparison of each of `stacks` in a synthesized outdir. */
export async function fastTier(outdir: string, stacks: string[], config: Config, features: readonly BeyondFeature[], referenceRoot?: string): Promise<StackComparison[]> {
  const manifest = JSON.parse(fs.readFileSync(path.join(outdir, "manifest.json"), "utf8"));
  const results = [];
  for (const [stack, entry] of Object.entries<{ synthesizedStackPath: string }>(manifest.stacks).filter(([name]) => stacks.includes(name))) {
    const { cloud, environment } = splitStackName(stack);
    const reference = await referenceFor(cloud, environment, config, referenceRoot);
    const synthesized = JSON.parse(fs.readFileSync(path.join(outdir, entry.synthesizedStackPath), "utf8"));
    results.push(compareStack(stack, reference, synthesized, features));
  }
  return results;
}
