import { spawnSync } from "child_process";
import { readFileSync, rmSync } from "fs";
import path from "path";
import { ROOT, stackNames, tempDir } from "../../helpers/helpers";

// The exit path from cdktf; `npm run verify` proves the HCL validates and plans as the JSON does.
test("npm run synth:hcl writes every stack as plain, formatted HCL", () => {
  const outdir = tempDir("hcl-");
  try {
    const run = spawnSync("node", ["scripts/run.js", "synth-hcl", outdir], { cwd: ROOT, encoding: "utf8" });
    expect(run.status).toBe(0);
    // The environment stacks and their state bootstrap stacks.
    expect(run.stdout.trim().split("\n").map((line) => path.basename(path.dirname(line))).sort()).toEqual([...stackNames(), ...stackNames().map((stack) => `state-${stack}`)].sort());
    const hcl = readFileSync(path.join(outdir, "stacks", "gcp-staging", "cdk.tf"), "utf8");
    expect(hcl).toContain('resource "google_compute_firewall" "allow_vpc_connector_to_redis" {');
    expect(hcl).toMatch(/depends_on = \[\n\s+google_compute_firewall\.allow_vpc_connector_to_redis,\n\s+\]/);
    expect(hcl).not.toContain('"google_compute_firewall.allow_vpc_connector_to_redis"');
    expect(hcl).toMatch(/\n {2}network\s+= google_compute_network\.vpc\.name\n/);
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
});
