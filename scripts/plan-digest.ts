// `node scripts/run.js plan-digest <plan.json>`: the digest of a plan's changes (review/digest.ts),
// from `terraform show -json <plan file>`. scripts/plan.sh prints it with every plan; the
// pull request shows it, and the apply on merge compares it with the one it finds again.
import { z } from "zod";
import { readJsonFile } from "../input/json-file";
import { userPath } from "../input/user-path";
import { parseOptions } from "./args";
import { Plan } from "./plan-json";
import { planDigest } from "./review/digest";

const USAGE = "node scripts/run.js plan-digest <plan.json>";

export function main(argv: string[]): number {
  try {
    const { positionals } = parseOptions({ args: argv, options: {}, allowPositionals: true }, USAGE);
    if (positionals.length !== 1) throw new Error(`expected one plan file; usage: ${USAGE}`);
    console.log(planDigest(readPlan(positionals[0])));
    return 0;
  } catch (error) {
    console.error(`plan-digest: ${(error as Error).message}`);
    return 2;
  }
}

/** What `terraform show -json` writes of a plan (the field that tells it from other JSON). */
const PLAN = z.looseObject({ format_version: z.string() });

function readPlan(file: string): Plan {
  return readJsonFile(userPath(file), PLAN, "a plan in JSON (terraform show -json <plan file>)") as Plan;
}
