// `node scripts/run.js remote-state <stack directory>`: refuses a synthesized stack whose state is
// local. scripts/plan.sh runs it under CI before `terraform init`, and drift does the same: a CI
// runner is thrown away when its job ends, and with it a local state, so the next merge would
// create every resource again beside what is live.
import * as fs from "fs";
import * as path from "path";
import { existingDirectory, userPath } from "../input/user-path";
import { parseStackName } from "../naming/names";
import { parseOptions } from "./args";

const USAGE = "node scripts/run.js remote-state <stack directory>";

/** Why a stack's state would not outlive a CI runner, or undefined when it is remote. */
export function localStateProblem(stackDir: string): string | undefined {
  const stack = path.basename(stackDir);
  const file = path.join(stackDir, "cdk.tf.json");
  let backend: Record<string, unknown> | undefined;
  try {
    backend = JSON.parse(fs.readFileSync(file, "utf8")).terraform?.backend;
  } catch (error) {
    return `${file}: ${(error as NodeJS.ErrnoException).code === "ENOENT" ? "missing; run npm run synth first" : `not Terraform JSON (${(error as Error).message})`}`;
  }
  const type = backend ? Object.keys(backend)[0] : undefined;
  if (type && type !== "local") return undefined;
  const parsed = parseStackName(stack);
  const field = !parsed
    ? "a state block for its cloud"
    : parsed.bootstrap
      ? `environments.${parsed.environment}.${parsed.cloud}.state.bootstrap = "bucket" (after its first apply from a laptop)`
      : `environments.${parsed.environment}.${parsed.cloud}.state.bucket`;
  return `${stack}: its state is local (${type ? "backend local" : "no backend"}), and this CI runner loses it when the job ends; the next run would create everything again. Set ${field} in config/environments.json (docs/state.md) and synthesize again`;
}

export function main(argv: string[]): number {
  let dir: string | undefined;
  try {
    const { positionals } = parseOptions({ args: argv, options: {}, allowPositionals: true }, USAGE);
    if (positionals.length !== 1) throw new Error(`expected one stack directory; usage: ${USAGE}`);
    dir = existingDirectory(userPath(positionals[0])).path;
  } catch (error) {
    console.error(`remote-state: ${(error as Error).message}`);
    return 2;
  }
  const problem = localStateProblem(dir);
  if (problem) console.error(`refused: ${problem}`);
  return problem ? 1 : 0;
}
