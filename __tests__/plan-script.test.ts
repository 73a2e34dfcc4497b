import { spawnSync } from "child_process";
import { tempDir } from "./helpers";
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from "fs";
import * as path from "path";

// scripts/plan.sh is what the pull-request workflow runs per stack.
const script = path.join(__dirname, "..", "scripts", "plan.sh");

function workspace(stacks: string[]) {
  const dir = tempDir("plan-");
  for (const stack of stacks) {
    mkdirSync(path.join(dir, "cdktf.out", "stacks", stack), { recursive: true });
    writeFileSync(path.join(dir, "cdktf.out", "stacks", stack, "cdk.tf.json"), "{}");
  }
  // A terraform stand-in on PATH that records how it was called.
  const bin = path.join(dir, "bin");
  mkdirSync(bin);
  writeFileSync(path.join(bin, "terraform"), `#!/bin/sh\necho "$PWD $*" >> ${dir}/calls\n`);
  chmodSync(path.join(bin, "terraform"), 0o755);
  return { dir, env: { PATH: `${bin}:${process.env.PATH}`, HOME: dir }, calls: () => readFileSync(path.join(dir, "calls"), "utf8") };
}

function plan(stack: string, cwd: string, env: Record<string, string>) {
  return spawnSync("bash", [script, stack], { cwd, env, encoding: "utf8" });
}

test("skips cleanly when the stack's cloud has no credentials", () => {
  const { dir, env } = workspace(["gcp-staging", "scaleway-staging"]);
  for (const stack of ["gcp-staging", "scaleway-staging"]) {
    const run = plan(stack, dir, env);
    expect([run.status, run.stdout.trim()]).toEqual([0, `skipped plan of ${stack}: no credentials for its cloud`]);
  }
  expect(plan("scaleway-staging", dir, { ...env, SCW_ACCESS_KEY: "key" }).stdout).toContain("skipped");
});

test("plans with the stack's credentials, passing each cloud its backend image", () => {
  const { dir, env, calls } = workspace(["gcp-staging", "scaleway-production"]);
  expect(plan("gcp-staging", dir, { ...env, GOOGLE_CREDENTIALS: "{}", GCP_BACKEND_IMAGE: "gcr/x/backend:2.0" }).status).toBe(0);
  expect(plan("scaleway-production", dir, { ...env, SCW_ACCESS_KEY: "k", SCW_SECRET_KEY: "s", BACKEND_IMAGE: "rg/x/backend:1.0" }).status).toBe(0);
  const stacks = path.join(dir, "cdktf.out", "stacks");
  expect(calls().trim().split("\n")).toEqual([
    `${stacks}/gcp-staging init -input=false`,
    `${stacks}/gcp-staging plan -input=false -lock=false -out=plan.bin -var backend_image=gcr/x/backend:2.0`,
    `${stacks}/scaleway-production init -input=false`,
    `${stacks}/scaleway-production plan -input=false -lock=false -out=plan.bin -var backend_image=rg/x/backend:1.0`,
  ]);
});

test("writes the plan as text for the pull request, and applies exactly the plan it made with --apply", () => {
  const { dir, env, calls } = workspace(["scaleway-staging"]);
  const credentials = { ...env, SCW_ACCESS_KEY: "k", SCW_SECRET_KEY: "s", BACKEND_IMAGE: "rg/x/backend:1.0" };
  expect(spawnSync("bash", [script, "scaleway-staging"], { cwd: dir, env: { ...credentials, PLAN_TEXT: "plan.txt" }, encoding: "utf8" }).status).toBe(0);
  expect(spawnSync("bash", [script, "scaleway-staging", "--apply"], { cwd: dir, env: credentials, encoding: "utf8" }).status).toBe(0);
  const stack = path.join(dir, "cdktf.out", "stacks", "scaleway-staging");
  expect(calls().trim().split("\n").slice(2)).toEqual([
    `${stack} show -no-color plan.bin`,
    `${stack} init -input=false`,
    `${stack} plan -input=false -out=plan.bin -var backend_image=rg/x/backend:1.0`,
    `${stack} apply -input=false plan.bin`,
  ]);
  expect(spawnSync("bash", [script, "scaleway-staging", "--yes"], { cwd: dir, env: credentials, encoding: "utf8" }).status).toBe(2);
});

test("refuses a stack that was not synthesized or names no known cloud", () => {
  const { dir, env } = workspace(["aws-staging"]);
  expect(plan("gcp-qa", dir, env)).toMatchObject({ status: 2, stderr: expect.stringContaining("cdktf.out has no stack gcp-qa") });
  expect(plan("aws-staging", dir, env)).toMatchObject({ status: 2, stderr: expect.stringContaining("names no known cloud") });
});
