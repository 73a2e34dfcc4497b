import { rmSync } from "fs";
import { APP_SOURCES, copyProject, ROOT, stackNames } from "../../helpers/helpers";
import { projectWithRedisRulePriority, unlistFeature, verify } from "../../helpers/verify-helpers";

// `npm run verify --fast` as a process, on the project and on copies with one change: real tier,
// as it starts a synth per run (the in-process comparison is in __tests__/fast/tools/equivalence.test.ts).

/** The proof's verdict lines, without what it reports besides: declared deviations, what is beyond the reference. */
const verdicts = (stdout: string) => stdout.trim().split("\n").filter((line) => !/^ {2}(declared|beyond the reference)/.test(line));

test("every stack is equivalent to the hand-written reference (fast tier)", () => {
  const run = verify(ROOT, "--fast");
  expect(run.stderr).toBe("");
  expect(verdicts(run.stdout)).toEqual(stackNames().sort().map((stack) => `fast ${stack}: equivalent`));
  // The proof reports what reference/deviations.json excuses, and what reference/beyond.json lists.
  expect(run.stdout).toMatch(/^ {2}declared: scaleway_redis_cluster\.main lifecycle: Terraform's lifecycle block takes no variables/m);
  expect(run.stdout).toMatch(/^fast gcp-production: equivalent\n {2}beyond the reference \(reference\/beyond\.json\): Memorystore; Redis settings in Secret Manager; Cloud Run backend; alerts on the Redis path; Connectivity Test; GCP outputs$/m);
  expect(run.stdout).toMatch(/^fast scaleway-staging: equivalent$/m);
  expect(run.status).toBe(0);
});

test("a changed construct attribute fails the fast tier with a readable diff", () => {
  const copy = projectWithRedisRulePriority(900);
  try {
    const run = verify(copy, "--fast", "--stack", "gcp-staging");
    expect(run.status).toBe(1);
    expect(run.stdout).toContain([
      "fast gcp-staging: NOT equivalent: 1 difference(s)",
      "  ~ google_compute_firewall.allow_vpc_connector_to_redis priority",
      "      reference: 1000",
      "      stack:     900",
    ].join("\n"));
  } finally {
    rmSync(copy, { recursive: true, force: true });
  }
});

test("a stack's resource that neither the reference nor reference/beyond.json has fails the fast tier, naming it", () => {
  const copy = copyProject([...APP_SOURCES, "scripts", "reference"]);
  try {
    expect(unlistFeature(copy, "Connectivity Test")).toEqual(["google_network_management_connectivity_test.serverless_to_redis"]);
    const run = verify(copy, "--fast", "--stack", "gcp-staging");
    expect(run.stdout).toContain([
      "fast gcp-staging: NOT equivalent: 1 difference(s)",
      "  + google_network_management_connectivity_test.serverless_to_redis: only in the stack, and not in reference/beyond.json (list it there with its reason, or add it to reference/)",
      "  beyond the reference (reference/beyond.json): Memorystore; Redis settings in Secret Manager; Cloud Run backend; GCP outputs",
    ].join("\n"));
    expect(run.status).toBe(1);
  } finally {
    rmSync(copy, { recursive: true, force: true });
  }
});
