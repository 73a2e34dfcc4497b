// checkov on stacks' plans: every failed check must be excused by a skip declared on its resource
// in code (constructs/checkov.ts writes them into the resource's `//` block).
import { spawn } from "child_process";
import * as fs from "fs";
import * as path from "path";
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

/** A plan (`terraform show -json`) to scan, and the stack it was planned from, where its skips are declared. */
export interface PlanToScan {
  readonly planFile: string;
  readonly synthesized: TerraformJson;
}

interface Check {
  readonly check_id: string;
  readonly check_name: string;
  readonly resource: string;
  readonly file_abs_path: string;
}

/** One plan's checks, from checkov's report. */
interface PlanChecks {
  readonly passed: Check[];
  readonly failed: Check[];
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
 * Starts one checkov run over `plans` and returns each plan's verdict by plan file, each settled
 * once the run is done. One run for all of them: checkov's start-up (about 3 CPU-s) is most of a
 * scan, and each further plan adds about 0.2 s. It runs beside what verify does next; its report
 * goes to a folder of its own, as a pipe would fill and hold it up while verify waits on terraform.
 */
export function startCheckov(checkov: string, plans: readonly PlanToScan[]): Map<string, Promise<CheckovResult>> {
  const files = plans.map((plan) => path.resolve(plan.planFile));
  const twice = files.find((file, i) => files.indexOf(file) !== i);
  if (twice) throw new Error(`checkov: plan ${twice} given twice; each plan is scanned once`);
  if (!plans.length) return new Map();
  // Beside the first plan, in its caller's work directory: even a verify killed mid-scan leaves
  // nothing outside it.
  const dir = fs.mkdtempSync(path.join(path.dirname(files[0]), ".checkov-"));
  const [report, errors] = [path.join(dir, "report.json"), path.join(dir, "stderr")];
  const [out, err] = [fs.openSync(report, "w"), fs.openSync(errors, "w")];
  const child = spawn(checkov, [...files.flatMap((file) => ["-f", file]), "--framework", "terraform_plan", "-o", "json", "--skip-download"], {
    stdio: ["ignore", out, err],
    // Keeps checkov from asking Prisma Cloud for its check metadata (there is no network).
    env: { ...process.env, BC_SKIP_MAPPING: "TRUE" },
  });
  fs.closeSync(out);
  fs.closeSync(err);
  // A verify that stops before it reads the scan (an error in a later plan) stops it too and
  // leaves nothing behind.
  const stop = () => {
    child.kill();
    fs.rmSync(dir, { recursive: true, force: true });
  };
  process.once("exit", stop);
  const scanned = new Promise<Map<string, PlanChecks>>((resolve, reject) => {
    child.on("error", reject);
    child.on("close", () => {
      process.removeListener("exit", stop);
      try {
        resolve(checksByPlan(fs.readFileSync(report, "utf8"), files, fs.readFileSync(errors, "utf8")));
      } catch (error) {
        reject(error);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });
  });
  return new Map(plans.map((plan, i) => {
    const result = scanned.then((checks) => verdict(checks.get(files[i])!, plan.synthesized));
    // Awaited after the plans that follow it: a failure is its caller's to report then, not Node's
    // unhandled rejection now.
    result.catch(() => undefined);
    return [plan.planFile, result];
  }));
}

/** Each plan's passed and failed checks, from the report of one run over all of them. */
function checksByPlan(output: string, files: string[], stderr: string): Map<string, PlanChecks> {
  let report;
  try {
    report = JSON.parse(output);
  } catch {
    throw new Error(`checkov on ${files.join(", ")} printed no report:\n${stderr}`);
  }
  // A plan it cannot read (a missing file) is a parsing error in a report that otherwise passes.
  if (report.summary?.parsing_errors) {
    const unread = report.results?.parsing_errors ?? [];
    throw new Error(`checkov could not parse ${unread.length ? unread.join(", ") : files.join(", ")} (${report.summary.parsing_errors} parsing error(s))`);
  }
  const byPlan = new Map<string, PlanChecks>(files.map((file) => [file, { passed: [], failed: [] }]));
  // With no resource to check at all, checkov prints its summary alone.
  for (const kind of ["passed", "failed"] as const) {
    for (const check of (report.results?.[`${kind}_checks`] ?? []) as Check[]) {
      const plan = byPlan.get(path.resolve(check.file_abs_path));
      if (!plan) throw new Error(`checkov reported ${check.check_id} on ${check.file_abs_path}, which is none of the plans it was given (${files.join(", ")})`);
      plan[kind].push(check);
    }
  }
  return byPlan;
}

function verdict(checks: PlanChecks, synthesized: TerraformJson): CheckovResult {
  const skips = declaredSkips(synthesized);
  const failed: Failure[] = checks.failed.map((c) => ({ id: c.check_id, address: c.resource.replace(/\[[^\]]*\]$/, ""), name: c.check_name }));
  const excused = (f: Failure) => skips[f.address]?.[f.id] !== undefined;
  const used = new Set(failed.filter(excused).map((f) => `${f.address} ${f.id}`));
  return {
    passed: checks.passed.length,
    failed: failed.filter((f) => !excused(f)),
    skipped: failed.filter(excused).map((f) => ({ ...f, reason: skips[f.address][f.id] })),
    stale: Object.entries(skips).flatMap(([address, ids]) => Object.keys(ids).filter((id) => !used.has(`${address} ${id}`)).map((id) => ({ address, id }))),
  };
}
