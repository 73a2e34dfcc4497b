import { execFileSync, spawnSync } from "child_process";
import { readFileSync, writeFileSync } from "fs";
import * as path from "path";
import { APP_SOURCES, copyProject } from "../../helpers/helpers";

// npm run diff end to end: a git repository of the project, each commit built and synthesized.
test("npm run diff compares two real commits", () => {
  const repo = copyProject([...APP_SOURCES, "scripts", "providers", "cdktf.json", "package.json", "tsconfig.json", ".gitignore"]);
  const git = (...args: string[]) => execFileSync("git", ["-c", "user.name=test", "-c", "user.email=test@example.com", ...args], { cwd: repo, stdio: "pipe" });
  git("init", "--quiet");
  git("add", "-A");
  git("commit", "--quiet", "-m", "base");
  const configFile = path.join(repo, "config", "environments.json");
  const config = JSON.parse(readFileSync(configFile, "utf8"));
  config.environments.staging.gcp.connector.maxInstances = 9;
  config.environments.production.gcp.nat.enabled = true;
  config.environments.staging.scaleway.redis.tls = true;
  writeFileSync(configFile, JSON.stringify(config, null, 2));
  git("commit", "--quiet", "-am", "change");

  const run = spawnSync("node", ["scripts/run.js", "synth-diff", "--base", "HEAD~1"], { cwd: repo, encoding: "utf8" });
  expect(run.stderr).not.toContain("diff failed");
  expect(run.status).toBe(1);
  expect(run.stdout).toContain("gcp-staging: 0 to add, 1 to update, 0 to replace, 0 to remove");
  expect(run.stdout).toContain("max_instances: 10 → 9");
  expect(run.stdout).toContain("gcp-production: 2 to add, 0 to update, 0 to replace, 0 to remove");
  expect(run.stdout).toContain("+ google_compute_router_nat.nat");
  expect(run.stdout).toContain("-/+ scaleway_redis_cluster.main  (replaced: a changed attribute forces a new resource)");
  expect(run.stdout).toContain("tls_enabled: false → true  [forces replacement]");
  expect(run.stdout).toContain("scaleway-production: no changes");

  const same = spawnSync("node", ["scripts/run.js", "synth-diff", "--base", "HEAD"], { cwd: repo, encoding: "utf8" });
  expect(same.status).toBe(0);
}, 60_000);
