import { spawn } from "child_process";
import { readFileSync, writeFileSync } from "fs";
import path from "path";
import { providerMirror, ROOT, synthAll, tempDir, terraformCli } from "./helpers";
import { liveCopy, withReplay } from "./replay-helpers";

// npm run drift, with the real provider refreshing against a replay of the live staging: silent
// while what is live matches the state, and naming the resource and attribute once it does not.
const mirror = providerMirror();

(mirror ? test : test.skip)("drift: nothing reported while live matches the state; a Redis resized by hand is named with its attribute", async () => {
  // The network and the Redis of the staging stack, already applied (in state) and labelled.
  const full = synthAll()["gcp-staging"];
  const stack = {
    ...full,
    output: undefined,
    variable: undefined,
    resource: { google_compute_network: full.resource.google_compute_network, google_redis_instance: full.resource.google_redis_instance },
  };
  const live = liveCopy();
  const redisFile = path.join(live, "redis.staging-redis-f1adc35c.json");
  const redis = { ...JSON.parse(readFileSync(redisFile, "utf8")), labels: { environment: "staging" } };
  writeFileSync(redisFile, JSON.stringify(redis));
  const { readRecordings, routes } = require("../scripts/rehearse/recordings");
  const byPath: Map<string, unknown> = routes(readRecordings(live));
  await withReplay(stack, byPath, async (run, replay, dir) => {
    expect((await run("apply", "-input=false", "-auto-approve")).stdout).toContain("Apply complete! Resources: 2 imported, 0 added, 1 changed, 0 destroyed.");
    // Not spawnSync: the replay answering terraform runs in this process.
    const drift = async () => {
      const report = path.join(tempDir("drift-"), "drift.md");
      const child = spawn(process.execPath, [path.join(ROOT, "scripts", "run.js"), "drift", "--dir", dir, "--report", report], {
        env: { PATH: process.env.PATH!, HOME: dir, TF_CLI_CONFIG_FILE: mirror!, CHECKPOINT_DISABLE: "1", REDIS_NET_TERRAFORM: terraformCli() },
      });
      let output = "";
      child.stdout.on("data", (d) => (output += d));
      child.stderr.on("data", (d) => (output += d));
      const status = await new Promise<number | null>((resolve) => child.on("close", resolve));
      return { status, output, report: readFileSync(report, "utf8") };
    };
    const quiet = await drift();
    expect([quiet.status, quiet.report, quiet.output]).toEqual([0, "", expect.stringContaining("no drift, nothing to change")]);

    // Someone resizes the instance in the console.
    byPath.set(`/redis/v1/${redis.name}`, { ...redis, memorySizeGb: 2 });
    const drifted = await drift();
    expect(drifted.status).toBe(2);
    expect(drifted.report).toContain("## replay-");
    expect(drifted.report).toContain("Changed outside Terraform:\n\n- `google_redis_instance.main`\n  - memory_size_gb: 1 → 2");
    expect(drifted.report).toContain("The next apply would:\n\n- update `google_redis_instance.main`");
    expect(replay.refused).toEqual([]);
  });
}, 300_000);
