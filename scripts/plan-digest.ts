// `node scripts/run.js plan-digest <plan.json>`: the digest of a plan's changes (review/digest.ts),
// from `terraform show -json <plan file>`. scripts/plan.sh prints it with every plan; the
// pull request shows it, and the apply on merge compares it with the one it finds again.
import * as fs from "fs";
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

function readPlan(file: string): Plan {
  let plan: unknown;
  try {
    plan = JSON.parse(fs.readFileSync(file, "utf8"));
  } catch (error) {
    throw new Error(`${file}: ${(error as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : `not JSON (${(error as Error).message})`}`);
  }
  if (!plan || typeof plan !== "object" || !("format_version" in plan)) throw new Error(`${file}: not a plan in JSON (terraform show -json <plan file>): it has no format_version`);
  return plan as Plan;
}
