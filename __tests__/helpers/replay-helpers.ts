import { cpSync, writeFileSync } from "fs";
import path from "path";
import { userPath } from "../../input/user-path";
import { providerMirror, ROOT, tempDir } from "./helpers";

// Terraform against a replay of recorded live API replies (npm run rehearse's own pieces), for
// tests that need a real provider reading "live" objects: adopted state, drift.
const mirror = providerMirror();

/**
 * Runs `body` with terraform in a fresh directory holding `stack`, its providers pointed at a
 * replay of the recordings in `live` (the rehearsal's own pieces); the replay is closed after.
 */
export async function withReplay(stack: any, live: string | Map<string, unknown>, body: (run: (...args: string[]) => Promise<any>, replay: any, dir: string) => Promise<void>) {
  const { override, runCli } = require("../../scripts/rehearse");
  const { installed } = require("../../scripts/verify/terraform");
  const { readRecordings, routes } = require("../../scripts/rehearse/recordings");
  const { startReplay } = require("../../scripts/rehearse/replay");
  const replay = await startReplay(typeof live === "string" ? routes(readRecordings(userPath(live))) : live);
  const dir = tempDir("replay-");
  try {
    writeFileSync(path.join(dir, "rehearsal_override.tf.json"), JSON.stringify(override("gcp", stack, replay.url)));
    writeFileSync(path.join(dir, "cdk.tf.json"), JSON.stringify(stack));
    const env = { PATH: process.env.PATH!, HOME: dir, TF_CLI_CONFIG_FILE: mirror!, CHECKPOINT_DISABLE: "1", TF_VAR_backend_image: "us-central1-docker.pkg.dev/x/backend/backend:1.0.0" };
    const run = (...args: string[]) => runCli(installed("terraform.sh"), args, dir, env, new Set());
    expect((await run("init", "-input=false")).status).toBe(0);
    await body(run, replay, dir);
  } finally {
    await replay.close();
  }
}

/** A copy of the shipped staging recordings, for a test to change. */
export function liveCopy(): string {
  const live = tempDir("live-");
  cpSync(path.join(ROOT, "live", "gcp-staging"), live, { recursive: true });
  return live;
}

