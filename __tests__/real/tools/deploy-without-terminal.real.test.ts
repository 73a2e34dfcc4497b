import { spawnSync } from "child_process";
import path from "path";
import { localStateConfigFile, providerMirror, ROOT, tempDir, terraformCli } from "../../helpers/helpers";

// The real cdktf CLI, as CI runs it: no terminal on stdin, providers from the local mirror (the
// registry is out of reach, hence --skip-provider-lock), placeholder Scaleway credentials, and
// local state (the shipped buckets are out of reach too).
const mirror = providerMirror();

/** The environment terraform runs in: the mirror, placeholder credentials, no real HOME. */
function terraformEnv(home: string): Record<string, string> {
  return {
    PATH: process.env.PATH!,
    HOME: home,
    CHECKPOINT_DISABLE: "1",
    // As in CI: the CLI prints its log once instead of redrawing it.
    CI: "true",
    TF_CLI_CONFIG_FILE: mirror!,
    // cdktf runs this binary: terraform, or OpenTofu where there is none.
    TERRAFORM_BINARY_NAME: terraformCli(),
    SCW_ACCESS_KEY: "SCWXXXXXXXXXXXXXXXXX",
    SCW_SECRET_KEY: "11111111-1111-1111-1111-111111111111",
    SCW_DEFAULT_PROJECT_ID: "11111111-1111-1111-1111-111111111111",
  };
}

/** Runs the cdktf CLI with no terminal into a scratch output; `inspect` sees the output first. */
function cdktf(args: string[], env: Record<string, string> = {}, inspect?: (outdir: string) => void) {
  const scratch = tempDir("deploy-");
  const outdir = path.join(scratch, "out");
  const run = spawnSync("npx", ["cdktf", ...args, "--skip-provider-lock", "--output", outdir], {
    cwd: ROOT,
    input: "",
    encoding: "utf8",
    timeout: 90_000,
    env: { ...terraformEnv(scratch), REDIS_NET_STATE_DIR: path.join(scratch, "state"), REDIS_NET_CONFIG: localStateConfigFile(), ...env },
  });
  inspect?.(outdir);
  return run;
}

const plain = (text: string) => text.replace(/\x1b\[[0-9;]*[A-Za-z]/g, "").replace(/[│╷╵]/g, "").replace(/\s+/g, " ");

// cdktf 0.21's CLI loads node-pty, whose prebuilt binaries stop at Node 22 (ABI 127).
const major = Number(process.versions.node.split(".")[0]);

if (major > 22) {
  test(`on Node ${major} cdktf 0.21's CLI cannot start: node-pty has no binary for it (once it can, run the tests below here too)`, () => {
    const run = spawnSync("npx", ["cdktf", "synth", "--output", path.join(tempDir("deploy-"), "out")], { cwd: ROOT, input: "", encoding: "utf8", timeout: 90_000 });
    expect(run.error).toBeUndefined();
    expect(run.status).not.toBe(0);
    expect(run.stderr).toMatch(/Cannot find module '[^']*pty\.node'/);
    expect(run.stderr).toContain("node-pty-prebuilt-multiarch");
  }, 120_000);
}

// Not registered at all where the CLI cannot start (the test above says so): CI refuses skips.
const whereCliStarts: (name: string, tests: () => void) => void = major > 22 ? () => undefined : mirror ? describe : describe.skip;

whereCliStarts("cdktf without a terminal", () => {
  test("deploy without an image fails at once (it used to wait at a prompt forever), and terraform says how to give one", () => {
    const run = cdktf(["deploy", "scaleway-production"], {}, (out) => {
      // cdktf sometimes drops terraform's last lines when it exits, so the message itself is read
      // from terraform, run the same way (no terminal) in the stack cdktf synthesized.
      const plan = spawnSync(terraformCli(), ["plan", "-no-color", "-refresh=false"], { cwd: path.join(out, "stacks", "scaleway-production"), input: "", encoding: "utf8", env: terraformEnv(out), timeout: 60_000 });
      expect(plan.error).toBeUndefined();
      expect(plan.status).toBe(1);
      expect(plain(plan.stderr)).toContain(
        "backend_image must name an image with a tag or a sha256 digest (no implicit latest); set it with -var backend_image=<image>, TF_VAR_backend_image, or the environment's image in config/environments.json.",
      );
    });
    expect(run.error).toBeUndefined(); // not killed by the timeout
    expect(run.status).not.toBe(0);
    expect(plain(run.stdout + run.stderr)).toContain("Invoking Terraform CLI failed with exit code 1");
  }, 180_000);

  test("the image from TF_VAR_backend_image plans", () => {
    const run = cdktf(["diff", "scaleway-production"], { TF_VAR_backend_image: "rg.fr-par.scw.cloud/x/backend:1.0.0" });
    expect(run.error).toBeUndefined();
    expect(plain(run.stdout)).toMatch(/Plan: \d+ to add, 0 to change, 0 to destroy/);
    expect(run.status).toBe(0);
  }, 120_000);
});
