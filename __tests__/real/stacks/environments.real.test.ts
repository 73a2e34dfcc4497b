import { spawnSync } from "child_process";
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from "fs";
import path from "path";
import { providerMirror, ROOT, stackNames, tempDir } from "../../helpers/helpers";
import { projectWithQa, QA_STACKS, withQa } from "../../helpers/qa-environment";
import { verify } from "../../helpers/verify-helpers";

// The environment __tests__/fast/config/environments.test.ts adds, through the project's scripts:
// `npm run stacks` lists it, and the proof's fast and real tiers find it equivalent under the
// deviations and the beyond list already written (neither names it), the reference's values from
// environments.json alone.

test("npm run stacks prints the list as JSON for the workflows' matrices, from the configuration it is given", () => {
  const stacks = (env: Record<string, string> = {}) => spawnSync("node", ["scripts/run.js", "stacks"], { cwd: ROOT, encoding: "utf8", env: { ...process.env, ...env } });
  expect(stacks()).toMatchObject({ status: 0, stderr: "", stdout: `${JSON.stringify(stackNames())}\n` });
  const configFile = path.join(tempDir("qa-config-"), "environments.json");
  writeFileSync(configFile, JSON.stringify(withQa()));
  expect(JSON.parse(stacks({ REDIS_NET_CONFIG: configFile }).stdout)).toEqual([...new Set([...stackNames(), ...QA_STACKS])]);
  expect(stacks({ REDIS_NET_CONFIG: configFile, REDIS_NET_ENVIRONMENTS: "qa,uat" })).toMatchObject({ status: 1, stdout: "", stderr: expect.stringContaining('environment "uat": is not configured') });
});

test("adding an environment is environments.json alone: npm run stacks and the proof's fast tier take it up", () => {
  const copy = projectWithQa();
  // Nothing in reference/ names qa: its values are the configuration's.
  expect(spawnSync("grep", ["-rlw", "qa", path.join(copy, "reference")], { encoding: "utf8" }).stdout).toBe("");

  const listed = spawnSync("node", ["scripts/run.js", "stacks"], { cwd: copy, encoding: "utf8" });
  expect(JSON.parse(listed.stdout)).toEqual(stackNames(withQa()));
  const run = verify(copy, "--fast");
  expect(run.stderr).toBe("");
  const lines = run.stdout.trim().split("\n");
  expect(lines.filter((line) => !/^ {2}(declared|beyond the reference)/.test(line))).toEqual(stackNames(withQa()).sort().map((stack) => `fast ${stack}: equivalent`));
  // What qa has beyond the reference is what reference/beyond.json lists already (alerts are off outside production).
  expect(run.stdout).toMatch(/^fast gcp-qa: equivalent\n {2}beyond the reference \(reference\/beyond\.json\): Memorystore; Redis settings in Secret Manager; Cloud Run backend; Connectivity Test; GCP outputs\n/m);
  expect(run.stdout).toMatch(/^fast scaleway-qa: equivalent\n {2}declared: scaleway_redis_cluster\.main lifecycle: [^\n]+\nfast /m);
  expect(run.status).toBe(0);
});

// terraform plan on both sides. Needs `npm run providers`.
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
