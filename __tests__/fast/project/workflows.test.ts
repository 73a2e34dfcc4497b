import { existsSync, readdirSync, readFileSync } from "fs";
import path from "path";
import { ROOT } from "../../helpers/helpers";

// The GitHub workflows as a platform team would sign them off (actionlint runs in .ci/run).
const dir = path.join(ROOT, ".github", "workflows");
const workflows = Object.fromEntries(readdirSync(dir).map((file) => [file, readFileSync(path.join(dir, file), "utf8")]));

const uses = Object.entries(workflows).flatMap(([file, text]) => [...text.matchAll(/uses:\s*(\S+)(.*)$/gm)].map((m) => [file, m[1], m[2].trim()]));
// Each pinned action@SHA with its version and runtime, read from `runs.using` of its action.yml at
// that commit. GitHub retires node20 for node24: a pin on another runtime, or one not recorded, fails.
const runtimes: Record<string, { version: string; runtime: string }> = JSON.parse(readFileSync(path.join(ROOT, ".github", "actions-runtime.json"), "utf8"));

test("every action is pinned by commit SHA, its version in a comment", () => {
  expect(uses.length).toBeGreaterThan(0);
  for (const [file, action, comment] of uses) {
    // A reusable workflow of this repository is pinned by being in it.
    if (action.startsWith("./")) expect([file, action, existsSync(path.join(ROOT, action))]).toEqual([file, expect.stringMatching(/^\.\/\.github\/workflows\/[\w-]+\.yml$/), true]);
    else expect([file, action, comment]).toEqual([file, expect.stringMatching(/^[\w.-]+\/[\w.-]+@[0-9a-f]{40}$/), expect.stringMatching(/^# v\d+\.\d+\.\d+$/)]);
  }
});

test("every pinned action runs on Node 24, as recorded for its commit in .github/actions-runtime.json", () => {
  const pinned = uses.filter(([, action]) => !action.startsWith("./"));
  for (const [file, action, comment] of pinned) expect([file, action, runtimes[action]]).toEqual([file, action, { version: comment.replace(/^# /, ""), runtime: "node24" }]);
  // No stale rows: the table holds exactly the pins in use.
  expect(Object.keys(runtimes).sort()).toEqual([...new Set(pinned.map(([, action]) => action))].sort());
});

test("Google credentials come from Workload Identity Federation, never a key in a secret", () => {
  for (const file of ["pull-request.yml", "drift.yml", "apply.yml"]) {
    expect(workflows[file]).toMatch(/uses: google-github-actions\/auth@[0-9a-f]{40}[^\n]*\n\s+with:\n\s+workload_identity_provider: \$\{\{ fromJSON\(needs\.stacks\.outputs\.identities\)\[matrix\.stack\]\.workloadIdentityProvider \}\}/);
    expect(workflows[file]).toContain("id-token: write");
    expect(workflows[file]).not.toContain("GOOGLE_CREDENTIALS");
  }
});

test("the pull-request jobs that build and run tools from the Go module proxy and PyPI cannot mint a cloud identity's token", () => {
  expect(job("pull-request.yml", "synth")).toMatch(/\n {4}permissions:\n {6}contents: read\n {6}pull-requests: write\n {4}strategy:/);
  expect(job("pull-request.yml", "verify")).toMatch(/\n {4}permissions:\n {6}contents: read\n {4}steps:/);
});

/** The steps of one job, as text: from its key to the next job's. */
function job(file: string, name: string): string {
  const text = workflows[file];
  const start = text.indexOf(`\n  ${name}:\n`);
  expect(start).toBeGreaterThan(0);
  const next = text.slice(start + 1).search(/\n {2}[\w-]+:\n/);
  return next < 0 ? text.slice(start) : text.slice(start, start + 1 + next);
}

test("plans run as the read-only plan identity; only the apply job, bound to its GitHub environment, holds the deploy identity", () => {
  const plans = [job("pull-request.yml", "plan"), job("drift.yml", "drift"), job("drift.yml", "record")];
  for (const plan of plans) {
    expect(plan).not.toMatch(/\n {4}environment:/);
    expect(plan).toContain("service_account: ${{ fromJSON(needs.stacks.outputs.identities)[matrix.stack].planServiceAccount }}");
    expect(plan).not.toContain("deployServiceAccount");
    // Scaleway: the environment's plan key, by the secret names npm run stacks -- --identities gives; never the deploy keys.
    expect(plan).toContain("SCW_ACCESS_KEY: ${{ secrets[fromJSON(needs.stacks.outputs.identities)[matrix.stack].planAccessKeySecret] }}");
    expect(plan).toContain("SCW_SECRET_KEY: ${{ secrets[fromJSON(needs.stacks.outputs.identities)[matrix.stack].planSecretKeySecret] }}");
    expect(plan).not.toMatch(/secrets\.SCW_(ACCESS|SECRET)_KEY\b/);
  }
  const apply = job("apply.yml", "apply");
  expect(apply).toContain("environment: ${{ matrix.stack }}");
  expect(apply).toContain("service_account: ${{ fromJSON(needs.stacks.outputs.identities)[matrix.stack].deployServiceAccount }}");
  expect(apply).not.toContain("planServiceAccount");
  expect(apply).not.toContain("SCW_PLAN_");
  // The one job that may write holds the only deploy secrets; nothing else in any workflow names them.
  const deployKeys = Object.entries(workflows).filter(([, text]) => /secrets\.SCW_(ACCESS|SECRET)_KEY\b/.test(text)).map(([file]) => file);
  expect(deployKeys).toEqual(["apply.yml"]);
  expect(workflows["apply.yml"].replace(apply, "")).not.toMatch(/secrets\.SCW_(ACCESS|SECRET)_KEY\b/);
});

test("the apply on merge applies the plan reviewed on the pull request, never a fresh unreviewed one", () => {
  const apply = job("apply.yml", "apply");
  const reviewed = apply.indexOf('digest="$(npm run --silent reviewed-plan -- --stack "$STACK")"');
  const applied = apply.indexOf('run: scripts/plan.sh "${{ matrix.stack }}" --apply');
  expect(reviewed).toBeGreaterThan(0);
  expect(applied).toBeGreaterThan(reviewed);
  expect(apply).toContain("REVIEWED_PLAN_DIGEST: ${{ steps.reviewed.outputs.digest }}");
  expect(workflows["apply.yml"]).toContain("pull-requests: read");
  // The pull request posts what the apply looks for: each stack's plan with its digest.
  const plan = job("pull-request.yml", "plan");
  expect(plan).toContain("PLAN_DIGEST: plan.digest");
  expect(plan).toContain('npm run --silent pr-comment -- --pr "$PR" --stack "$STACK" --head "$HEAD_SHA" --plan-text plan.txt --digest plan.digest');
  expect(plan).toContain("HEAD_SHA: ${{ github.event.pull_request.head.sha }}");
});

test("pull-request comments stay put: the synth diff has its own marker, and a failed plan replaces its stack's plan", () => {
  const pr = workflows["pull-request.yml"];
  expect(pr).not.toContain("--edit-last");
  expect(pr).toContain('npm run --silent pr-comment -- --pr "$PR" --synth-diff synth-diff.md');
  const plan = job("pull-request.yml", "plan");
  expect(plan).toContain("if: always() && github.event.pull_request.head.repo.full_name == github.repository && (failure() || hashFiles('plan.digest') != '')");
  expect(plan).toContain('npm run --silent pr-comment -- --pr "$PR" --stack "$STACK" --head "$HEAD_SHA" --failed plan.log');
  expect(plan).toContain('scripts/plan.sh "${{ matrix.stack }}" 2>&1 | tee plan.log');
});

describe("drift", () => {
  const drift = workflows["drift.yml"];
  // Each step of the report job: its `if:` and script, by name.
  const steps = Object.fromEntries([...job("drift.yml", "report").matchAll(/- name: ([^\n]+)\n((?: {8}[^\n]*\n?)*)/g)].map((m) => [m[1], m[2]]));
  const step = (name: string) => Object.entries(steps).find(([key]) => key.startsWith(name))?.[1] ?? "";
  const run = "RUN_URL: ${{ github.server_url }}/${{ github.repository }}/actions/runs/${{ github.run_id }}";

  test("runs on a schedule, checks each stack in a job of its own, and reports every stack in the job summary, keeping the tool's exit status", () => {
    expect(drift).toMatch(/on:\n\s+schedule:\n\s+- cron: "[\d* ]+"\n\s+workflow_dispatch:/);
    expect(drift).toContain(run);
    const check = job("drift.yml", "drift");
    expect(check).toContain("stack: ${{ fromJSON(needs.stacks.outputs.stacks) }}");
    expect(check).toContain('run: npm run --silent drift -- --stack "${{ matrix.stack }}" --result "drift-${{ matrix.stack }}.json" || true');
    expect(check).toContain("name: drift-${{ matrix.stack }}");
    const report = job("drift.yml", "report");
    expect(report).toContain("needs: [stacks, drift]\n    if: always()");
    expect(report).toContain("pattern: drift-*");
    const plan = step("One report of every stack");
    expect(plan).toContain('npm run --silent drift -- --merge results --report drift.md --issue drift-issue.md --run-url "$RUN_URL" || status=$?');
    expect(plan).toContain('echo "status=$status" >> "$GITHUB_OUTPUT"');
    expect(plan).toContain('if [ -f drift.md ]; then cat drift.md >> "$GITHUB_STEP_SUMMARY"; fi');
    // The step itself never fails: the steps after it report first.
    expect(plan).not.toMatch(/exit|set -e/);
  });

  test("drift opens or updates the one issue, with the cut body, even when another stack failed (status 3)", () => {
    const issue = step("Open or update the drift issue");
    expect(issue).toContain("if: steps.drift.outputs.status == '2' || steps.drift.outputs.status == '3'\n");
    expect(issue).toContain('gh issue edit "$number" --body-file drift-issue.md');
    expect(issue).toContain("gh issue create --title \"Infrastructure drift\" --label drift --body-file drift-issue.md");
  });

  test("a run with no drift and no failure closes the issue, saying where", () => {
    const close = step("Close the drift issue");
    expect(close).toContain("if: steps.drift.outputs.status == '0'\n");
    expect(close).toContain('gh issue close "$number" --comment "drift cleared at $RUN_URL"');
  });

  test("a failed stack (or nothing checked) fails the job, after the issue and summary steps", () => {
    const fail = step("Fail when a stack could not be checked");
    expect(fail).toContain("if: steps.drift.outputs.status != '0' && steps.drift.outputs.status != '2'\n");
    expect(fail).toContain("exit 1");
    const names = Object.keys(steps);
    expect(names.indexOf(names.find((n) => n.startsWith("Fail when"))!)).toBe(names.length - 1);
  });
});

describe("recordings", () => {
  const record = job("drift.yml", "record");
  const refresh = job("drift.yml", "recordings");
  const stepsOf = (text: string) => [...text.matchAll(/\n {6}- (?:name: ([^\n]+)|uses: ([^\n]+)|run: ([^\n]+))/g)].map((m) => m[1] ?? m[2] ?? m[3]);

  test("each stack is recorded in a job of its own, as its read-only plan identity, and its recording uploaded", () => {
    expect(record).toContain("needs: stacks\n");
    expect(record).toContain("stack: ${{ fromJSON(needs.stacks.outputs.stacks) }}");
    expect(record).toContain("token_format: access_token");
    expect(record).toContain("GOOGLE_OAUTH_ACCESS_TOKEN: ${{ steps.auth.outputs.access_token }}");
    // Nothing in it may write: reading is all the plan identity can do, and all the job asks.
    expect(record).toMatch(/permissions:\n {6}contents: read\n {6}id-token: write[^\n]*\n {4}strategy:/);
    expect(record).not.toMatch(/: write\b(?![^\n]*Workload Identity)/);
    const steps = stepsOf(record);
    const recordStep = steps.findIndex((s) => s.startsWith("Record what the stack adopts"));
    const upload = steps.findIndex((s) => s.startsWith("actions/upload-artifact@"));
    expect(recordStep).toBeGreaterThan(steps.findIndex((s) => s.startsWith("google-github-actions/auth@")));
    expect(upload).toBeGreaterThan(recordStep);
    expect(record).toContain('npm run --silent record -- "$STACK" | tee "record-$STACK.txt"');
    // A failed recording fails its job (tee would hide it).
    expect(record).toContain("set -o pipefail\n");
    expect(record).toContain("name: recorded-${{ matrix.stack }}");
    // Scaleway is recorded through the pinned scw CLI, built before the recording.
    expect(steps.findIndex((s) => s.startsWith("The scw CLI, pinned"))).toBeLessThan(recordStep);
    expect(record).toContain('ln -sf "$(scripts/scw.sh | tail -n 1)" "$HOME/.local/bin/scw"');
    expect(record).toContain("live/${{ matrix.stack }}/");
  });

  test("only the job that opens the pull request may write, and only after every recording; it never holds a cloud credential", () => {
    expect(refresh).toContain("needs: [stacks, record]\n");
    expect(refresh).toMatch(/permissions:\n {6}contents: write\n {6}pull-requests: write\n {4}env:/);
    expect(refresh).not.toMatch(/secrets[.[]|google-github-actions\/auth|id-token|SCW_|GOOGLE_/);
    // No other job of drift.yml may write contents or pull requests, nor the workflow as a whole.
    const writers = workflows["drift.yml"].split(/\n(?= {2}[\w-]+:\n)/).filter((part) => /(?:contents|pull-requests): write/.test(part)).map((part) => /^ {2}([\w-]+):/.exec(part)?.[1]);
    expect(writers).toEqual(["recordings"]);
    expect(workflows["drift.yml"]).toMatch(/^permissions:\n {2}contents: read\n/m);
    const steps = stepsOf(refresh);
    const download = steps.findIndex((s) => s.startsWith("actions/download-artifact@"));
    const bring = steps.findIndex((s) => s.startsWith("Bring each stack's new recording"));
    const pr = steps.findIndex((s) => s.startsWith("Open or update the pull request"));
    expect([download >= 0, download < bring, bring < pr]).toEqual([true, true, true]);
    expect(refresh).toContain("pattern: recorded-*");
    expect(refresh).toContain('if [ -z "$(git status --porcelain -- live)" ]; then');
    expect(refresh).toContain("BRANCH: recordings/refresh");
    expect(refresh).toContain('git push --force origin "$BRANCH"');
    expect(refresh).toContain('gh pr edit "$number" --body-file recordings-pr.md');
    expect(refresh).toContain('gh pr create --head "$BRANCH" --base "$BASE" --title "Refresh live recordings" --body-file recordings-pr.md');
  });
});

test("every pull request, a fork's too, rehearses each adopting stack against live/ with no credentials at all", () => {
  const verify = job("pull-request.yml", "verify");
  // npm run verify rehearses every stack with import blocks against its recordings.
  expect(verify).toContain("run: npm run verify");
  expect(readFileSync(path.join(ROOT, "scripts", "verify.ts"), "utf8")).toMatch(/"rehearse", stack\]/);
  // Nothing a fork lacks: no secret, no cloud login, no condition on where the branch lives.
  expect(verify).not.toMatch(/secrets[.[]|google-github-actions\/auth|SCW_|AWS_|GOOGLE_|head\.repo|\n {4}if:/);
});

test("the full proof's cache is keyed by every script that names a version it caches: a new provider or checkov is built and kept", () => {
  const key = /key: redis-net-verify-\$\{\{ hashFiles\(([^)]*)\) \}\}/.exec(job("pull-request.yml", "verify"))?.[1];
  expect(key?.split(", ").sort()).toEqual(["'scripts/checkov.sh'", "'scripts/provider-modules.sh'", "'scripts/providers.sh'"]);
});

test("checkov runs in the full proof", () => {
  expect(workflows["pull-request.yml"]).toMatch(/ {2}verify:\n[\s\S]*- name: verify \(equivalence, real plans, checkov, variants, rehearsals\)\n\s+run: npm run verify/);
});

test("apply runs on merge to main, per stack, behind the GitHub environment of that stack, one at a time", () => {
  const apply = workflows["apply.yml"];
  expect(apply).toMatch(/on:\n\s+push:\n\s+branches: \[main\]/);
  expect(apply).toContain("environment: ${{ matrix.stack }}");
  expect(apply).toContain("group: apply-${{ matrix.stack }}");
  expect(apply).toContain('scripts/plan.sh "${{ matrix.stack }}" --apply');
});

test("plan and apply take their stacks from the configuration (npm run stacks), never from a list", () => {
  expect(workflows["stacks.yml"]).toMatch(/on:\n\s+workflow_call:/);
  expect(workflows["stacks.yml"]).toContain('stacks="$(npm run --silent stacks)"');
  expect(workflows["stacks.yml"]).toContain('identities="$(npm run --silent stacks -- --identities)"');
  for (const file of ["pull-request.yml", "apply.yml"]) {
    expect(workflows[file]).toMatch(/\n {2}stacks:\n {4}uses: \.\/\.github\/workflows\/stacks\.yml\n/);
    expect(workflows[file]).toContain("stack: ${{ fromJSON(needs.stacks.outputs.stacks) }}");
  }
  const matrices = Object.values(workflows).flatMap((text) => text.match(/^ +stack: .*$/gm) ?? []);
  expect(new Set(matrices.map((line) => line.trim()))).toEqual(new Set(["stack: ${{ fromJSON(needs.stacks.outputs.stacks) }}"]));
});

test("pull requests run both test tiers with every tool the real tier needs, and refuse a skipped test, as .ci/run does", () => {
  const pr = workflows["pull-request.yml"];
  const ci = readFileSync(path.join(ROOT, ".ci/run"), "utf8");
  const fast = "bash scripts/no-skips.sh fast npm test --";
  const real = "bash scripts/no-skips.sh real npm run test:real --";
  for (const text of [pr, ci]) {
    expect(text).toContain(fast);
    expect(text).toContain(real);
    expect(text).not.toMatch(/^\s*(- run: )?npm (test|run test:real)\b/m);
  }
  const installs = ["npm run providers", "bash scripts/tofu.sh", "bash scripts/scw.sh", "bash scripts/storage-servers.sh", "bash scripts/checkov.sh"];
  for (const install of installs) {
    expect(ci.indexOf(install)).toBeGreaterThan(-1);
    expect(ci.indexOf(install)).toBeLessThan(ci.indexOf(real));
    expect(pr.indexOf(install)).toBeGreaterThan(-1);
    expect(pr.indexOf(install)).toBeLessThan(pr.indexOf(real));
  }
  // The tools are cached by the scripts that install them (a changed version builds again), under
  // a key of their own: verify's cache, saved first, would lack the tools verify does not install.
  const key = /key: redis-net-\$\{\{ hashFiles\(([^)]*)\) \}\}/.exec(job("pull-request.yml", "synth"))?.[1];
  expect(key?.split(", ").sort()).toEqual(["checkov.sh", "provider-modules.sh", "providers.sh", "scw.sh", "storage-servers.sh", "tofu.sh"].map((script) => `'scripts/${script}'`));
  expect(pr.indexOf("redis-server openssl")).toBeLessThan(pr.indexOf(real));
  expect(pr).toContain("sudo sysctl -w kernel.apparmor_restrict_unprivileged_userns=0");
});

test("pull requests test on Node 20, 22 and 24, and .ci/run on the same lines", () => {
  expect(workflows["pull-request.yml"]).toMatch(/matrix:\n(\s+# [^\n]*\n)+\s+node: \[20, 22, 24\]/);
  expect(workflows["pull-request.yml"]).toContain("node-version: ${{ matrix.node }}");
  expect(readFileSync(path.join(ROOT, ".ci/run"), "utf8")).toContain("for major in 20 22 24; do");
});

test("every other job runs on the project's Node.js, the line .nvmrc names, which also posts the synth diff", () => {
  const major = readFileSync(path.join(ROOT, ".nvmrc"), "utf8").trim();
  expect(major).toMatch(/^(20|22|24)$/);
  const setups = Object.values(workflows).flatMap((text) => text.match(/^ +node-version(-file)?: .*$/gm) ?? []);
  expect(setups.length).toBeGreaterThan(5);
  for (const line of setups) expect(["node-version-file: .nvmrc", "node-version: ${{ matrix.node }}"]).toContain(line.trim());
  const conditions = workflows["pull-request.yml"].match(/matrix\.node == \d+/g) ?? [];
  expect(conditions).toEqual([`matrix.node == ${major}`, `matrix.node == ${major}`]);
});

test("a deploy whose backend cannot reach Redis fails: the reachability check runs right after each stack's apply", () => {
  const apply = workflows["apply.yml"];
  const applied = apply.indexOf('scripts/plan.sh "${{ matrix.stack }}" --apply');
  const checked = apply.indexOf('npm run reachability -- "$STACK"');
  expect(applied).toBeGreaterThan(0);
  expect(checked).toBeGreaterThan(applied);
  expect(apply).toContain("STACK: ${{ matrix.stack }}");
  // The CLI the Scaleway check calls, at a fixed version.
  expect(apply).toMatch(/run: go install github\.com\/scaleway\/scaleway-cli\/v2\/cmd\/scw@v\d+\.\d+\.\d+\n/);
  expect(apply).not.toContain("continue-on-error");
});

test("a pull request's plans start once the stack list is known, beside the tests, and synthesize their own stack", () => {
  const plan = job("pull-request.yml", "plan");
  expect(plan).toMatch(/\n {4}needs: stacks\n/);
  expect(plan.indexOf("- run: npm run synth")).toBeGreaterThan(0);
  expect(plan.indexOf("- run: npm run synth")).toBeLessThan(plan.indexOf("scripts/plan.sh"));
});

test("every job that runs terraform init keeps Terraform's plugin cache between runs, keyed by the pinned provider versions", () => {
  for (const [file, name] of [["pull-request.yml", "plan"], ["apply.yml", "apply"], ["drift.yml", "drift"]]) {
    const steps = job(file, name);
    const cache = steps.indexOf('echo "TF_PLUGIN_CACHE_DIR=$HOME/.terraform.d/plugin-cache" >> "$GITHUB_ENV"');
    expect([file, cache]).toEqual([file, expect.any(Number)]);
    expect(cache).toBeGreaterThan(0);
    expect(steps).toContain('echo "TF_PLUGIN_CACHE_MAY_BREAK_DEPENDENCY_LOCK_FILE=true" >> "$GITHUB_ENV"');
    expect(steps).toMatch(/uses: actions\/cache@[0-9a-f]{40} # v[\d.]+\n\s+with:\n\s+path: ~\/\.terraform\.d\/plugin-cache\n\s+key: terraform-plugins-\$\{\{ runner\.os \}\}-\$\{\{ hashFiles\('cdktf\.json'\) \}\}\n/);
    // Before anything that runs terraform.
    expect(cache).toBeLessThan(steps.search(/scripts\/plan\.sh|npm run --silent drift/));
  }
});
