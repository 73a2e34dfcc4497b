import { existsSync, readdirSync, readFileSync, rmSync } from "fs";
import path from "path";
import { providerMirror } from "../../helpers/helpers";
import { projectWithQa } from "../../helpers/qa-environment";
import { verify } from "../../helpers/verify-helpers";

// The environment environments.test.ts adds, through the proof's real tier: terraform plan on both
// sides, under the deviations and the beyond list already written (neither names it), the
// reference's values from environments.json alone. Needs `npm run providers`.
(providerMirror() ? test : test.skip)("a new environment plans equivalent to the reference with the deviations already declared", () => {
  const copy = projectWithQa();
  try {
    const run = verify(copy, "--equivalence-only", "--stack", "gcp-qa", "--stack", "scaleway-qa");
    expect(run.stderr).toBe("");
    expect(run.stdout).toMatch(/^plan gcp-qa: equivalent \(\d+ resources, \d+ outputs, [\d.]+ s\)\n {2}beyond the reference \(reference\/beyond\.json\): Memorystore; Redis settings in Secret Manager; Cloud Run backend; Connectivity Test; GCP outputs\n/m);
    expect(run.stdout).toMatch(/^plan scaleway-qa: equivalent /m);
    expect(run.stdout).not.toContain("stale");
    expect(run.status).toBe(0);
    // The values were written for terraform in the reference's work directory, never in reference/.
    const inputs = JSON.parse(readFileSync(path.join(copy, "cdktf.out.verify", "gcp-qa", "reference", "qa.tfvars.json"), "utf8"));
    expect(inputs).toMatchObject({ environment: "qa", connector_cidr: "10.4.0.0/28", redis_port: 6378, nat_enabled: false });
    expect(readdirSync(path.join(copy, "reference", "gcp")).filter((file) => file.includes("tfvars"))).toEqual([]);
    expect(existsSync(path.join(copy, "reference", "scaleway", "qa.tfvars.json"))).toBe(false);
  } finally {
    rmSync(copy, { recursive: true, force: true });
  }
}, 600_000);
