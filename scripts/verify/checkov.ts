// checkov on a stack's plan: every failed check must be excused by a skip declared on its resource
// in code (constructs/checkov.ts writes them into the resource's `//` block).
import { spawn } from "child_process";
import * as fs from "fs";
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

/**
 * Starts checkov on a stack's plan and returns its verdict when it is done. It runs beside what
 * verify does next (terraform's plans leave a core idle): it writes to files beside the plan, as a
 * pipe would fill and hold it up while verify waits on terraform.
 */
export function startCheckov(checkov: string, planFile: string, synthesized: TerraformJson): Promise<CheckovResult> {
  const [report, errors] = [`${planFile}.checkov.json`, `${planFile}.checkov.err`];
  const [out, err] = [fs.openSync(report, "w"), fs.openSync(errors, "w")];
  const child = spawn(checkov, ["-f", planFile, "--framework", "terraform_plan", "-o", "json", "--skip-download", "--quiet"], {
    stdio: ["ignore", out, err],
    // Keeps checkov from asking Prisma Cloud for its check metadata (there is no network).
    env: { ...process.env, BC_SKIP_MAPPING: "TRUE" },
  });
  fs.closeSync(out);
  fs.closeSync(err);
  const done = new Promise<CheckovResult>((resolve, reject) => {
    child.on("error", reject);
    child.on("close", () => {
      try {
        resolve(verdict(fs.readFileSync(report, "utf8"), planFile, fs.readFileSync(errors, "utf8"), synthesized));
      } catch (error) {
        reject(error);
      } finally {
        for (const file of [report, errors]) fs.rmSync(file, { force: true });
      }
    });
  });
  // Awaited after the plans that follow it: a failure is its caller's to report then, not Node's
  // unhandled rejection now.
  done.catch(() => undefined);
  return done;
}

function verdict(output: string, planFile: string, stderr: string, synthesized: TerraformJson): CheckovResult {
  let report;
  try {
    report = JSON.parse(output);
  } catch {
    throw new Error(`checkov on ${planFile} printed no report:\n${stderr}`);
  }
  // A plan it cannot read (a missing file) is a parsing error in a report that otherwise passes.
  if (report.summary?.parsing_errors) throw new Error(`checkov could not parse ${planFile} (${report.summary.parsing_errors} parsing error(s))`);
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
