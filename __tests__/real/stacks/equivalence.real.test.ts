import { rmSync } from "fs";
import { providerMirror } from "../../helpers/helpers";
import { projectWithRedisRulePriority, verify } from "../../helpers/verify-helpers";

// The real tier needs the providers built from their Go modules (`npm run providers`); .ci/run
// builds them before the tests and refuses a run that skipped any test.
(providerMirror() ? test : test.skip)("a changed construct attribute fails the real tier: terraform plan on both sides", () => {
  const copy = projectWithRedisRulePriority(900);
  try {
    const run = verify(copy, "--equivalence-only", "--stack", "gcp-staging");
    expect(run.stderr).toBe("");
    expect(run.status).toBe(1);
    expect(run.stdout).toMatch(/plan gcp-staging: NOT equivalent \(\d+ resources, \d+ outputs, [\d.]+ s\): 1 difference\(s\)/);
    expect(run.stdout).toMatch(/ {2}~ google_compute_firewall\.allow_vpc_connector_to_redis after\.priority\n {6}reference: 1000\n {6}stack: {5}900/);
  } finally {
    rmSync(copy, { recursive: true, force: true });
  }
}, 600_000);
