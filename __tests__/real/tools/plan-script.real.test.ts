import { spawnSync } from "child_process";
import { tempDir } from "../../helpers/helpers";
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from "fs";
import * as path from "path";
import { planDigest } from "../../../scripts/review/digest";
import { ROOT } from "../../helpers/helpers";

// scripts/plan.sh is what the pull-request workflow runs per stack.
const script = path.join(ROOT, "scripts", "plan.sh");

function workspace(stacks: string[]) {
  const dir = tempDir("plan-");
  for (const stack of stacks) {
    mkdirSync(path.join(dir, "cdktf.out", "stacks", stack), { recursive: true });
    writeFileSync(path.join(dir, "cdktf.out", "stacks", stack, "cdk.tf.json"), "{}");
  }
  // A terraform stand-in on PATH that records how it was called, and shows every plan as one that
  // creates terraform_data.a.
  const bin = path.join(dir, "bin");
  mkdirSync(bin);
  writeFileSync(path.join(dir, "plan.json"), JSON.stringify(PLAN));
  writeFileSync(path.join(bin, "terraform"), `#!/bin/sh\necho "$PWD $*" >> ${dir}/calls\nif [ "$1 $2" = "show -json" ]; then cat ${dir}/plan.json; fi\n`);
  chmodSync(path.join(bin, "terraform"), 0o755);
  return { dir, env: { PATH: `${bin}:${process.env.PATH}`, HOME: dir }, calls: () => readFileSync(path.join(dir, "calls"), "utf8") };
}

const PLAN = { format_version: "1.2", resource_changes: [{ address: "terraform_data.a", change: { actions: ["create"], before: null, after: { input: "v1" } } }] };
const DIGEST = planDigest(PLAN);

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
    `${stacks}/gcp-staging show -json plan.bin`,
    `${stacks}/scaleway-production init -input=false`,
    `${stacks}/scaleway-production plan -input=false -lock=false -out=plan.bin -var backend_image=rg/x/backend:1.0`,
    `${stacks}/scaleway-production show -json plan.bin`,
  ]);
});

test("writes the plan as text and its digest for the pull request; --apply applies only a plan with the reviewed digest", () => {
  const { dir, env, calls } = workspace(["scaleway-staging"]);
  const credentials = { ...env, SCW_ACCESS_KEY: "k", SCW_SECRET_KEY: "s", BACKEND_IMAGE: "rg/x/backend:1.0" };
  const run = (args: string[], extra: Record<string, string> = {}) => spawnSync("bash", [script, "scaleway-staging", ...args], { cwd: dir, env: { ...credentials, ...extra }, encoding: "utf8" });
  expect(run([], { PLAN_TEXT: "plan.txt", PLAN_DIGEST: "plan.digest" }).status).toBe(0);
  expect(readFileSync(path.join(dir, "plan.digest"), "utf8").trim()).toBe(DIGEST);
  expect(run(["--apply"], { REVIEWED_PLAN_DIGEST: DIGEST }).status).toBe(0);
  const stack = path.join(dir, "cdktf.out", "stacks", "scaleway-staging");
  expect(calls().trim().split("\n").slice(2)).toEqual([
    `${stack} show -no-color plan.bin`,
    `${stack} show -json plan.bin`,
    `${stack} init -input=false`,
    `${stack} plan -input=false -out=plan.bin -var backend_image=rg/x/backend:1.0`,
    `${stack} show -json plan.bin`,
    `${stack} apply -input=false plan.bin`,
  ]);
  expect(run(["--yes"]).status).toBe(2);
});

test("--apply refuses, applying nothing, without a reviewed digest, with another one, or without credentials", () => {
  const { dir, env, calls } = workspace(["gcp-production"]);
  const credentials = { ...env, GOOGLE_CREDENTIALS: "{}", GCP_BACKEND_IMAGE: "gcr/x/backend:2.0" };
  const apply = (extra: Record<string, string>) => spawnSync("bash", [script, "gcp-production", "--apply"], { cwd: dir, env: extra, encoding: "utf8" });
  expect(apply(credentials)).toMatchObject({ status: 1, stderr: expect.stringContaining("apply of gcp-production: no reviewed plan") });
  const other = `sha256:${"0".repeat(64)}`;
  expect(apply({ ...credentials, REVIEWED_PLAN_DIGEST: other })).toMatchObject({
    status: 1,
    stderr: expect.stringContaining(`refused: the plan of gcp-production at this commit (${DIGEST}) is not the plan reviewed on its pull request (${other})`),
  });
  expect(apply({ ...env, REVIEWED_PLAN_DIGEST: DIGEST })).toMatchObject({ status: 1, stderr: expect.stringContaining("apply of gcp-production: no credentials for its cloud") });
  expect(calls()).not.toContain(" apply ");
});

test("refuses a stack that was not synthesized or names no known cloud", () => {
  const { dir, env } = workspace(["aws-staging"]);
  expect(plan("gcp-qa", dir, env)).toMatchObject({ status: 2, stderr: expect.stringContaining("cdktf.out has no stack gcp-qa") });
  expect(plan("aws-staging", dir, env)).toMatchObject({ status: 2, stderr: expect.stringContaining("names no known cloud") });
});
