import { spawnSync } from "child_process";
import { rmSync } from "fs";
import path from "path";
import { providerMirror, ROOT, tempDir } from "./helpers";

// The real cdktf CLI, as CI runs it: no terminal on stdin, providers from the local mirror (the
// registry is out of reach, hence --skip-provider-lock), placeholder Scaleway credentials.
const mirror = providerMirror();

function cdktf(args: string[], env: Record<string, string> = {}) {
  const scratch = tempDir("deploy-");
  try {
    return spawnSync("npx", ["cdktf", ...args, "--skip-provider-lock", "--output", path.join(scratch, "out")], {
      cwd: ROOT,
      input: "",
      encoding: "utf8",
      timeout: 90_000,
      env: {
        PATH: process.env.PATH!,
        HOME: scratch,
        CHECKPOINT_DISABLE: "1",
        // As in CI: the CLI prints its log once instead of redrawing it (a redraw can drop the end).
        CI: "true",
        TF_CLI_CONFIG_FILE: mirror!,
        SCW_ACCESS_KEY: "SCWXXXXXXXXXXXXXXXXX",
        SCW_SECRET_KEY: "11111111-1111-1111-1111-111111111111",
        SCW_DEFAULT_PROJECT_ID: "11111111-1111-1111-1111-111111111111",
        ...env,
      },
    });
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

const plain = (text: string) => text.replace(/\x1b\[[0-9;]*[A-Za-z]/g, "").replace(/[│╷╵]/g, "").replace(/\s+/g, " ");

(mirror ? describe : describe.skip)("cdktf without a terminal", () => {
  test("deploy without an image fails at once, saying how to give one (it used to wait at a prompt forever)", () => {
    const run = cdktf(["deploy", "scaleway-staging"]);
    expect(run.error).toBeUndefined(); // not killed by the timeout
    expect(run.status).not.toBe(0);
    expect(plain(run.stdout + run.stderr)).toContain(
      "backend_image must name an image with a tag or a sha256 digest (no implicit latest); set it with -var backend_image=<image>, TF_VAR_backend_image, or the environment's image in config/environments.json.",
    );
  }, 120_000);

  test("the image from TF_VAR_backend_image plans", () => {
    const run = cdktf(["diff", "scaleway-staging"], { TF_VAR_backend_image: "rg.fr-par.scw.cloud/x/backend:1.0.0" });
    expect(run.error).toBeUndefined();
    expect(plain(run.stdout)).toMatch(/Plan: \d+ to add, 0 to change, 0 to destroy/);
    expect(run.status).toBe(0);
  }, 120_000);
});
