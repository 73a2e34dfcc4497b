import { rmSync } from "fs";
import { providerMirror } from "./helpers";
import { projectWithQa } from "./qa-environment";
import { verify } from "./verify-helpers";

// The environment environments.test.ts adds, through the proof's real tier: terraform plan on both
// sides, under the deviations already declared (none names it). Needs `npm run providers`.
(providerMirror() ? test : test.skip)("a new environment plans equivalent to the reference with the deviations already declared", () => {
  const copy = projectWithQa();
  try {
    const run = verify(copy, "--equivalence-only", "--stack", "gcp-qa", "--stack", "scaleway-qa");
    expect(run.stderr).toBe("");
    expect(run.stdout).toMatch(/^plan gcp-qa: equivalent \(\d+ resources, \d+ outputs, [\d.]+ s\)\n {2}beyond the reference \(reference\/beyond\.json\): Memorystore; Redis settings in Secret Manager; Cloud Run backend; Connectivity Test; GCP outputs\n/m);
    expect(run.stdout).toMatch(/^plan scaleway-qa: equivalent /m);
    expect(run.stdout).not.toContain("stale");
    expect(run.status).toBe(0);
  } finally {
    rmSync(copy, { recursive: true, force: true });
  }
}, 600_000);
