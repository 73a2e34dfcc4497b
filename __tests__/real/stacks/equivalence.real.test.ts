import { rmSync } from "fs";
import { providerMirror } from "../../helpers/helpers";
import { projectWithRedisRulePriority, unlistFeature, verify } from "../../helpers/verify-helpers";

// The real tier needs the providers built from their Go modules (`npm run providers`); .ci/run
// builds them before the tests and refuses a run that skipped any test.
(providerMirror() ? test : test.skip)("a changed construct attribute, and a resource neither the reference nor reference/beyond.json has, fail the real tier: terraform plan on both sides", () => {
  const copy = projectWithRedisRulePriority(900);
  try {
    unlistFeature(copy, "Connectivity Test");
    const run = verify(copy, "--equivalence-only", "--stack", "gcp-staging");
    expect(run.stderr).toBe("");
    expect(run.status).toBe(1);
    expect(run.stdout).toMatch(new RegExp([
      String.raw`\nplan gcp-staging: NOT equivalent \(\d+ resources, \d+ outputs, [\d.]+ s\): 2 difference\(s\)`,
      String.raw` {2}~ google_compute_firewall\.allow_vpc_connector_to_redis after\.priority`,
      String.raw` {6}reference: 1000`,
      String.raw` {6}stack: {5}900`,
      String.raw` {2}\+ google_network_management_connectivity_test\.serverless_to_redis: only in the stack, and not in reference/beyond\.json `,
    ].join("\n")));
  } finally {
    rmSync(copy, { recursive: true, force: true });
  }
}, 600_000);
