// checkov on a stack's plan: every failed check must be excused by a skip declared on its resource
// in code (constructs/checkov.ts writes them into the resource's `//` block).
import { spawnSync } from "child_process";
import { TerraformJson } from "./reference";

interface Failure {
  readonly id: string;
  readonly address: string;
  readonly name: string;
}

export interface CheckovResult {
  readonly passed: number;
  readonly failed: Failure[];
  readonly skipped: (Failure & { reason: string })[];
  readonly stale: { address: string; id: string }[];
}

/** address -> { checkId: reason }, from a synthesized cdk.tf.json. */
function declaredSkips(synthesized: TerraformJson): Record<string, Record<string, string>> {
  const skips: Record<string, Record<string, string>> = {};
  for (const [type, byName] of Object.entries<Record<string, TerraformJson>>(synthesized.resource ?? {})) {
    for (const [name, body] of Object.entries(byName)) {
      if (body["//"]?.checkov_skip) skips[`${type}.${name}`] = body["//"].checkov_skip;
    }
  }
  return skips;
}

export function runCheckov(checkov: string, planFile: string, synthesized: TerraformJson): CheckovResult {
  const run = spawnSync(checkov, ["-f", planFile, "--framework", "terraform_plan", "-o", "json", "--skip-download", "--quiet"], {
    encoding: "utf8",
    maxBuffer: 64 << 20,
    // Keeps checkov from asking Prisma Cloud for its check metadata (there is no network).
    env: { ...process.env, BC_SKIP_MAPPING: "TRUE" },
  });
  let report;
  try {
    report = JSON.parse(run.stdout);
  } catch {
    throw new Error(`checkov on ${planFile} printed no report:\n${run.stderr}`);
  }
  const skips = declaredSkips(synthesized);
  const failed: Failure[] = (report.results?.failed_checks ?? []).map((c: { check_id: string; resource: string; check_name: string }) => ({
    id: c.check_id,
    address: c.resource.replace(/\[[^\]]*\]$/, ""),
    name: c.check_name,
  }));
  const excused = (f: Failure) => skips[f.address]?.[f.id] !== undefined;
  const used = new Set(failed.filter(excused).map((f) => `${f.address} ${f.id}`));
  return {
    passed: report.summary?.passed ?? report.passed ?? 0,
    failed: failed.filter((f) => !excused(f)),
    skipped: failed.filter(excused).map((f) => ({ ...f, reason: skips[f.address][f.id] })),
    stale: Object.entries(skips).flatMap(([address, ids]) => Object.keys(ids).filter((id) => !used.has(`${address} ${id}`)).map((id) => ({ address, id }))),
  };
}
