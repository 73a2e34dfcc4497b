// What the stacks have beyond the hand-written reference, in one list: reference/beyond.json names
// each feature the project adds, the addresses it makes and why the reference has no HCL twin of
// it. Both tiers compare only what the reference has; a stack's address that is neither in the
// reference nor in the list fails the proof, so the list grows only by an entry someone writes.
//   "cloud":     "gcp" | "scaleway"
//   "feature":   what the addresses make up, as the proof prints it
//   "reason":    why it is beyond the reference, and what proves it instead
//   "addresses": `type.name` (a resource, any index), `output.name`, `variable.name`; a trailing `*`
//                matches every address that begins with what precedes it
import * as fs from "fs";
import * as path from "path";
import { ROOT } from "../root";

export interface BeyondFeature {
  readonly cloud: string;
  readonly feature: string;
  readonly reason: string;
  readonly addresses: readonly string[];
}

export function readBeyond(file = path.join(ROOT, "reference", "beyond.json")): BeyondFeature[] {
  return JSON.parse(fs.readFileSync(file, "utf8")).features;
}

/** Whether a listed `pattern` names `address`. */
export const names = (pattern: string, address: string) => (pattern.endsWith("*") ? address.startsWith(pattern.slice(0, -1)) : pattern === address);

/** The features of `cloud` that name `address`. */
export function featuresNaming(cloud: string, address: string, features: readonly BeyondFeature[]): BeyondFeature[] {
  return features.filter((f) => f.cloud === cloud && f.addresses.some((pattern) => names(pattern, address)));
}

/** One stack's addresses measured against the reference and the list. */
export interface BeyondSplit {
  /** The stack's addresses the reference lacks and the list names: left out of the comparison. */
  readonly beyond: string[];
  /** The features they belong to. */
  readonly features: string[];
  /** The stack's addresses the reference lacks and the list does not name: failures. */
  readonly unlisted: string[];
  /** Addresses the list names that the reference has: compared as usual, and the entry is wrong. */
  readonly inReference: string[];
}

export function splitBeyond(cloud: string, reference: Iterable<string>, stack: Iterable<string>, features: readonly BeyondFeature[]): BeyondSplit {
  const referenceHas = new Set(reference);
  const stackOnly = [...new Set(stack)].filter((address) => !referenceHas.has(address)).sort();
  const beyond = stackOnly.filter((address) => featuresNaming(cloud, address, features).length);
  return {
    beyond,
    features: features.filter((f) => beyond.some((address) => featuresNaming(cloud, address, [f]).length)).map((f) => f.feature),
    unlisted: stackOnly.filter((address) => !beyond.includes(address)),
    inReference: [...referenceHas].filter((address) => featuresNaming(cloud, address, features).length).sort(),
  };
}
