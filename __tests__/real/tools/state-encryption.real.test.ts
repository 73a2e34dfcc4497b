import { spawnSync } from "child_process";
import { readFileSync, writeFileSync } from "fs";
import path from "path";
import { synthesize } from "../../../main";
import { providerMirror, rawConfig, tempDir, tofuCli } from "../../helpers/helpers";

// OpenTofu state encryption on a Scaleway stack (scaleway.encryptState), with the real `tofu`: the
// state it writes is unreadable without the passphrase, and the stack plans with it.
const tofu = tofuCli();
const mirror = providerMirror();
const PASSPHRASE = "correct-horse-battery-staple-42";

function encryptedStack(): any {
  const raw = rawConfig();
  raw.environments.production.scaleway.encryptState = true;
  const dir = tempDir("encrypt-synth-");
  writeFileSync(path.join(dir, "environments.json"), JSON.stringify(raw));
  synthesize({ configFile: path.join(dir, "environments.json"), outdir: path.join(dir, "out"), environments: ["production"] });
  return JSON.parse(readFileSync(path.join(dir, "out", "stacks", "scaleway-production", "cdk.tf.json"), "utf8"));
}

(tofu && mirror ? describe : describe.skip)("OpenTofu state encryption", () => {
  const stack = encryptedStack();
  const run = (dir: string, passphrase: string | undefined, ...args: string[]) => spawnSync(tofu!, [...args, "-no-color"], {
    cwd: dir,
    encoding: "utf8",
    timeout: 120_000,
    env: {
      PATH: process.env.PATH!, HOME: dir, CHECKPOINT_DISABLE: "1", TF_CLI_CONFIG_FILE: mirror!,
      SCW_ACCESS_KEY: "SCWXXXXXXXXXXXXXXXXX", SCW_SECRET_KEY: "11111111-1111-1111-1111-111111111111", SCW_DEFAULT_PROJECT_ID: "22222222-2222-2222-2222-222222222222",
      TF_VAR_backend_image: "rg.fr-par.scw.cloud/x/backend:1.0.0",
      ...(passphrase ? { TF_VAR_state_passphrase: passphrase } : {}),
    },
  });

  test("the state written is unreadable without the passphrase, and readable with it", () => {
    // The stack's own terraform block (encryption and all) beside a resource that needs no cloud.
    const dir = tempDir("encrypt-");
    writeFileSync(path.join(dir, "main.tf.json"), JSON.stringify({
      terraform: { ...stack.terraform, required_providers: undefined, backend: { local: { path: "state.tfstate" } } },
      variable: { state_passphrase: stack.variable.state_passphrase },
      resource: { terraform_data: { secret: { input: "redis-password-stand-in" } } },
    }));
    expect(run(dir, PASSPHRASE, "init", "-input=false").status).toBe(0);
    expect(run(dir, PASSPHRASE, "apply", "-input=false", "-auto-approve").status).toBe(0);
    const stored = readFileSync(path.join(dir, "state.tfstate"), "utf8");
    expect(JSON.parse(stored)).toHaveProperty("encrypted_data");
    expect(stored).not.toContain("redis-password-stand-in");
    expect(stored).not.toContain("terraform_data");

    const without = run(dir, undefined, "state", "list");
    expect(without.status).toBe(1);
    expect(without.stderr).toContain("no passphrase provided");
    const wrong = run(dir, "not-the-passphrase-at-all", "state", "list");
    expect(wrong.status).toBe(1);
    expect(run(dir, PASSPHRASE, "state", "list").stdout.trim()).toBe("terraform_data.secret");
  }, 120_000);

  test("the stack plans with the passphrase (real providers), and init refuses to start without it", () => {
    const dir = tempDir("encrypt-plan-");
    writeFileSync(path.join(dir, "cdk.tf.json"), JSON.stringify({ ...stack, terraform: { ...stack.terraform, backend: { local: { path: "state.tfstate" } } } }));
    const without = run(dir, undefined, "init", "-input=false");
    expect(without.status).toBe(1);
    expect(without.stderr).toContain("no passphrase provided");
    expect(run(dir, PASSPHRASE, "init", "-input=false").status).toBe(0);
    const plan = run(dir, PASSPHRASE, "plan", "-refresh=false", "-input=false", "-out=plan.bin");
    // Production: the six resources of the path and Cockpit's alert manager.
    expect(plan.stdout).toContain("Plan: 7 to add, 0 to change, 0 to destroy.");
    // Plans are encrypted too: the saved plan is not a readable zip of the configuration.
    expect(readFileSync(path.join(dir, "plan.bin")).subarray(0, 2).toString()).not.toBe("PK");
  }, 120_000);
});
