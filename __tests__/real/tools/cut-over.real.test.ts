import { spawnSync } from "child_process";
import { readFileSync, rmSync, writeFileSync } from "fs";
import path from "path";
import { providerMirror, synthAll, terraformCli, tempDir } from "../../helpers/helpers";
import { ROOT } from "../../helpers/helpers";

// The import blocks that adopt the live staging resources, checked by the real CLI against the
// real provider: `terraform validate` reads the import targets and ids. (Planning them would read
// the live resources, which needs Google credentials.)
const mirror = providerMirror();

(mirror ? test : test.skip)("gcp-staging with its import blocks passes terraform validate", () => {
  const stack = synthAll()["gcp-staging"];
  expect(stack.import).toHaveLength(2);
  const dir = tempDir("cutover-");
  try {
    writeFileSync(path.join(dir, "cdk.tf.json"), JSON.stringify(stack));
    const env = { PATH: process.env.PATH!, HOME: dir, TF_CLI_CONFIG_FILE: mirror!, CHECKPOINT_DISABLE: "1" };
    const run = (...args: string[]) => spawnSync(terraformCli(), [...args, "-no-color"], { cwd: dir, env, encoding: "utf8" });
    expect(run("init", "-input=false", "-backend=false").status).toBe(0);
    const validate = run("validate", "-json");
    expect(JSON.parse(validate.stdout)).toMatchObject({ valid: true, error_count: 0, warning_count: 0 });
    // validate reads the blocks: a malformed one fails it. (It does not look targets up; below.)
    writeFileSync(path.join(dir, "cdk.tf.json"), JSON.stringify({ ...stack, import: [{ to: "google_compute_network", id: "x" }] }));
    expect(JSON.parse(run("validate", "-json").stdout).valid).toBe(false);
    for (const { to } of stack.import) expect(Object.keys(stack.resource[to.split(".")[0]] ?? {})).toContain(to.split(".")[1]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}, 120_000);

test("the import blocks synthesize where no terraform is installed (cdktf's importFrom would run terraform version)", () => {
  const out = tempDir("no-terraform-");
  const run = spawnSync(process.execPath, ["scripts/run.js"], {
    cwd: ROOT,
    encoding: "utf8",
    env: { PATH: "/nonexistent", CDKTF_OUTDIR: path.join(out, "cdktf.out"), REDIS_NET_STATE_DIR: path.join(out, "state"), REDIS_NET_ENVIRONMENTS: "staging" },
  });
  expect(run.stderr).toBe("");
  expect(run.status).toBe(0);
  const stack = JSON.parse(readFileSync(path.join(out, "cdktf.out", "stacks", "gcp-staging", "cdk.tf.json"), "utf8"));
  expect(stack.import).toHaveLength(2);
});
