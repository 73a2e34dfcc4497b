import { spawn } from "child_process";
import { readFileSync, writeFileSync } from "fs";
import path from "path";
import { userPath } from "../../../input/user-path";
import { providerMirror, ROOT, synthAll, tempDir, terraformCli } from "../../helpers/helpers";
import { liveCopy, withReplay } from "../../helpers/replay-helpers";

// npm run drift, with the real provider refreshing against a replay of the live staging: nothing
// to report while what is live matches the state, the resource and attribute once it does not, and
// that drift still reported beside another stack whose plan failed.
const mirror = providerMirror();

(mirror ? test : test.skip)("drift: nothing reported while live matches the state; a Redis resized by hand is named with its attribute, also when another stack's plan fails", async () => {
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
  const { readRecordings, routes } = require("../../../scripts/rehearse/recordings");
  const byPath: Map<string, unknown> = routes(readRecordings(userPath(live)));
  await withReplay(stack, byPath, async (run, replay, dir) => {
    expect((await run("apply", "-input=false", "-auto-approve")).stdout).toContain("Apply complete! Resources: 2 imported, 0 added, 1 changed, 0 destroyed.");
    const runUrl = "https://github.com/o/r/actions/runs/42";
    // Not spawnSync: the replay answering terraform runs in this process.
    const drift = async (dirs: string[]) => {
      const out = tempDir("drift-");
      const files = { report: path.join(out, "drift.md"), issue: path.join(out, "issue.md") };
      const args = ["--report", files.report, "--issue", files.issue, "--run-url", runUrl];
      const child = spawn(process.execPath, [path.join(ROOT, "scripts", "run.js"), "drift", ...dirs.flatMap((d) => ["--dir", d]), ...args], {
        env: { PATH: process.env.PATH!, HOME: dir, TF_CLI_CONFIG_FILE: mirror!, CHECKPOINT_DISABLE: "1", REDIS_NET_TERRAFORM: terraformCli() },
      });
      let output = "";
      child.stdout.on("data", (d) => (output += d));
      child.stderr.on("data", (d) => (output += d));
      const status = await new Promise<number | null>((resolve) => child.on("close", resolve));
      return { status, output, report: readFileSync(files.report, "utf8"), issue: readFileSync(files.issue, "utf8") };
    };
    const name = path.basename(dir);
    const quiet = await drift([dir]);
    expect([quiet.status, quiet.report, quiet.output]).toEqual([0, `| Stack | Result |\n| --- | --- |\n| \`${name}\` | no drift, nothing to change |\n`, expect.stringContaining("no drift, nothing to change")]);

    // Someone resizes the instance in the console.
    byPath.set(`/redis/v1/${redis.name}`, { ...redis, memorySizeGb: 2 });
    const drifted = await drift([dir]);
    expect(drifted.status).toBe(2);
    expect(drifted.report).toContain(`| \`${name}\` | 1 resource changed outside Terraform, 1 change to apply |`);
    expect(drifted.report).toContain(`## ${name}`);
    expect(drifted.report).toContain("Changed outside Terraform:\n\n- `google_redis_instance.main`\n  - memory_size_gb: 1 → 2");
    expect(drifted.report).toContain("The next apply would:\n\n- update `google_redis_instance.main`");
    expect(replay.refused).toEqual([]);

    // A second stack, in its own replay, whose API stops answering for its network: its plan fails.
    // The drift in the first is still reported, beside the failure; the status says both (2 | 1).
    const brokenPaths: Map<string, unknown> = routes(readRecordings(userPath(live)));
    await withReplay(stack, brokenPaths, async (runBroken, broken, brokenDir) => {
      expect((await runBroken("apply", "-input=false", "-auto-approve")).status).toBe(0);
      const network = [...brokenPaths.keys()].find((key) => /\/global\/networks\/[^/]+$/.test(key))!;
      brokenPaths.delete(network);
      const brokenName = path.basename(brokenDir);
      const mixed = await drift([dir, brokenDir]);
      expect(mixed.status).toBe(3);
      expect(mixed.report).toContain(`| \`${name}\` | 1 resource changed outside Terraform, 1 change to apply |`);
      expect(mixed.report).toContain(`| \`${brokenName}\` | failed: terraform plan exited 1 |`);
      expect(mixed.report).toContain("Changed outside Terraform:\n\n- `google_redis_instance.main`\n  - memory_size_gb: 1 → 2");
      expect(mixed.report).toContain(`## ${brokenName}\n\nterraform plan exited 1; the end of its output:\n\n\`\`\`text\n`);
      expect(mixed.report).toContain(`rehearsal: GET ${network} is not in the recording`);
      expect(mixed.issue).toBe(`${mixed.report}\n\n[The whole report, in the job summary of the run](${runUrl})\n`);
      expect(broken.refused).toContainEqual({ method: "GET", path: network });
    });
  });
}, 300_000);
