import { ChildProcess, spawn } from "child_process";
import { existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from "fs";
import path from "path";
import { createGcsBucket, finished, freePort, ROOT, startFakeGcs, storageServers, synthAll, tempDir, terraformCli, tofuCli } from "../../helpers/helpers";

// The first day, walked with the very script the workflows run (scripts/plan.sh) and the real CLI:
// a pull request's plan with its digest, the apply on merge of exactly that plan, the next plan
// (no changes), a second pull request's plan made stale by the first apply (refused, the state
// intact), and CI's refusal of a local backend. The stack is gcp-staging's own backend block,
// pointed at fake-gcs-server on 127.0.0.1, beside resources that need no cloud. With Terraform,
// and with OpenTofu as the Scaleway team runs it (each with a server of its own).
const servers = storageServers();
const CLIS = [{ name: "terraform", path: terraformCli() }, { name: "OpenTofu", path: tofuCli() ?? "" }];
const BUCKET = "netra-staging-tfstate";
const STACK = "gcp-drill";

/** The stack at two commits: the first pull request adds `a`, the second adds `b` as well. */
function stackAt(commit: "v1" | "v2", backend: object): object {
  return {
    terraform: { backend },
    // plan.sh passes every GCP stack its image, as the real stacks declare it.
    variable: { backend_image: { type: "string", default: "" } },
    resource: { terraform_data: { a: { input: "v1" }, ...(commit === "v2" ? { b: { input: "v2" } } : {}) } },
  };
}

(servers && tofuCli() ? describe.each(CLIS) : describe.skip.each(CLIS))("the first day, from pull request to the next merge ($name)", (cli) => {
  let server: ChildProcess;
  let url: string;
  let ws: string;
  let env: NodeJS.ProcessEnv;

  beforeAll(async () => {
    const port = await freePort();
    url = `http://127.0.0.1:${port}`;
    server = startFakeGcs(servers!.fakeGcs, port);
    await createGcsBucket(url, BUCKET);
    ws = tempDir("first-day-");
    const bin = path.join(ws, "bin");
    mkdirSync(bin);
    symlinkSync(cli.path, path.join(bin, "terraform"));
    // A CI runner: CI set, the cloud's credentials present (the backend below uses its own token).
    env = {
      PATH: `${bin}:${path.dirname(process.execPath)}:/usr/bin:/bin`,
      HOME: ws,
      REDIS_NET_STATE_DIR: path.join(ws, "terraform-state"),
      CI: "true",
      CHECKPOINT_DISABLE: "1",
      TF_IN_AUTOMATION: "1",
      GOOGLE_APPLICATION_CREDENTIALS: path.join(ws, "unused.json"),
      GCP_BACKEND_IMAGE: "us-central1-docker.pkg.dev/drill/backend/backend:1.0.0",
    };
  }, 60_000);

  afterAll(() => server?.kill("SIGKILL"));

  /** The shipped gcp-staging backend block, at the local server. */
  function backend(): object {
    const { gcs } = synthAll()["gcp-staging"].terraform.backend;
    expect(gcs).toMatchObject({ bucket: BUCKET, prefix: "redis-network/gcp-staging" });
    return { gcs: { ...gcs, storage_custom_endpoint: `${url}/storage/v1/`, access_token: "drill" } };
  }

  function checkout(stack: string, body: object): void {
    const dir = path.join(ws, "cdktf.out", "stacks", stack);
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, "cdk.tf.json"), JSON.stringify(body));
  }

  const plan = (stack: string, extra: NodeJS.ProcessEnv = {}) => finished(spawn("bash", [path.join(ROOT, "scripts", "plan.sh"), stack], { cwd: ws, env: { ...env, PLAN_TEXT: "plan.txt", PLAN_DIGEST: "plan.digest", ...extra } }));
  const apply = (stack: string, digest: string) => finished(spawn("bash", [path.join(ROOT, "scripts", "plan.sh"), stack, "--apply"], { cwd: ws, env: { ...env, REVIEWED_PLAN_DIGEST: digest } }));
  const reviewed = () => ({ text: readFileSync(path.join(ws, "plan.txt"), "utf8"), digest: readFileSync(path.join(ws, "plan.digest"), "utf8").trim() });
  const state = async () => {
    const response = await fetch(`${url}/storage/v1/b/${BUCKET}/o/${encodeURIComponent("redis-network/gcp-staging/default.tfstate")}?alt=media`);
    return response.ok ? await response.text() : undefined;
  };
  const lock = async () => (await fetch(`${url}/storage/v1/b/${BUCKET}/o/${encodeURIComponent("redis-network/gcp-staging/default.tflock")}`)).ok;

  test("what is applied is what was reviewed; a plan made stale by an earlier merge is refused; the state survives", async () => {
    const began = Date.now();
    const block = backend();

    // Pull request 1 adds `a`; pull request 2, opened beside it, adds `a` and `b`.
    checkout(STACK, stackAt("v1", block));
    const first = await plan(STACK);
    expect([first.status, first.stderr]).toEqual([0, ""]);
    const pr1 = reviewed();
    expect(pr1.text).toContain("Plan: 1 to add, 0 to change, 0 to destroy.");
    expect(first.stdout).toContain(`plan digest of ${STACK}: ${pr1.digest}`);
    checkout(STACK, stackAt("v2", block));
    expect((await plan(STACK)).status).toBe(0);
    const pr2 = reviewed();
    expect(pr2.text).toContain("Plan: 2 to add, 0 to change, 0 to destroy.");
    expect(pr2.digest).not.toBe(pr1.digest);
    // init makes the workspace's empty state; plans write nothing into it.
    expect(JSON.parse((await state()) ?? "{}").resources ?? []).toEqual([]);

    // Merge 1: the apply finds the reviewed plan again and applies it; the state is in the bucket.
    checkout(STACK, stackAt("v1", block));
    const merged = await apply(STACK, pr1.digest);
    expect([merged.status, merged.stderr]).toEqual([0, ""]);
    expect(merged.stdout).toMatch(/Apply complete! Resources: 1 added, 0 changed, 0 destroyed\./);
    const applied = await state();
    expect(JSON.parse(applied!).resources.map((r: any) => `${r.type}.${r.name}`)).toEqual(["terraform_data.a"]);

    // The next plan, on a fresh runner (no .terraform), reads that state: nothing to do.
    const next = await plan(STACK);
    expect(next.status).toBe(0);
    expect(reviewed().text).toContain("No changes.");

    // Merge 2: its reviewed plan created `a` too, which now exists; the apply refuses it.
    checkout(STACK, stackAt("v2", block));
    const stale = await apply(STACK, pr2.digest);
    expect(stale.status).toBe(1);
    expect(stale.stderr).toContain(`refused: the plan of ${STACK} at this commit`);
    expect(stale.stderr).toContain(`is not the plan reviewed on its pull request (${pr2.digest})`);
    expect(stale.stderr).toContain("Plan: 1 to add, 0 to change, 0 to destroy.");
    expect(stale.stdout).not.toContain("Apply complete");
    expect(await state()).toBe(applied);
    expect(await lock()).toBe(false);

    // Without a reviewed digest nothing is applied either.
    const unreviewed = await apply(STACK, "");
    expect([unreviewed.status, unreviewed.stderr]).toEqual([1, expect.stringContaining(`apply of ${STACK}: no reviewed plan`)]);
    expect(await state()).toBe(applied);
    console.log(`first-day drill (${cli.name}): ${Date.now() - began} ms`);
  }, 180_000);

  test("the bootstrap stack is applied with local state, then moved into the bucket (scripts/bootstrap.sh); run again, it stops", async () => {
    const { gcs } = synthAll()["state-gcp-staging"].terraform.backend;
    expect(gcs).toMatchObject({ bucket: BUCKET, prefix: "redis-network/state-gcp-staging" });
    const local = { storage_custom_endpoint: `${url}/storage/v1/`, access_token: "drill" };
    checkout("state-gcp-staging", { terraform: { backend: { gcs: { ...gcs, ...local } } }, resource: { terraform_data: { bucket: { input: BUCKET } } } });
    // The environment stack, at a prefix of its own here (the drill above used gcp-staging's).
    const first = "redis-network/bootstrapped/gcp-staging";
    checkout("gcp-staging", stackAt("v1", { gcs: { ...gcs, prefix: first, ...local } }));
    const object = (name: string) => fetch(`${url}/storage/v1/b/${BUCKET}/o/${encodeURIComponent(name)}?alt=media`);
    const bootstrap = () => finished(spawn("bash", [path.join(ROOT, "scripts", "bootstrap.sh"), "state-gcp-staging", "-auto-approve"], { cwd: ws, env: { ...env, CI: "" } }));
    expect((await object(`${first}/default.tfstate`)).ok).toBe(false);
    const bootstrapped = await bootstrap();
    expect([bootstrapped.status, bootstrapped.stderr]).toEqual([0, ""]);
    expect(bootstrapped.stdout).toContain("state-gcp-staging: its state is now in the bucket it created");
    const state = await object("redis-network/state-gcp-staging/default.tfstate");
    expect(JSON.parse(await state.text()).resources.map((r: any) => r.name)).toEqual(["bucket"]);
    expect(existsSync(path.join(ws, "cdktf.out", "stacks", "state-gcp-staging", "bootstrap_override.tf.json"))).toBe(false);
    // The environment stack's first state, which a read-only plan identity could not write.
    expect(bootstrapped.stdout).toContain("gcp-staging: its state is initialised in the bucket; pull requests can plan it.");
    expect(JSON.parse(await (await object(`${first}/default.tfstate`)).text())).toMatchObject({ version: 4, resources: [] });
    const again = await bootstrap();
    expect([again.status, again.stdout.trim().split("\n")[0]]).toEqual([0, "state-gcp-staging is already bootstrapped: its state is in its bucket. Plan and apply it as any stack."]);
  }, 120_000);

  test("under CI, a stack with local state is refused before terraform init, naming the field to set", async () => {
    checkout("gcp-qa", stackAt("v1", { local: { path: "../../../terraform-state/gcp-qa.tfstate" } }));
    for (const attempt of [() => plan("gcp-qa"), () => apply("gcp-qa", `sha256:${"0".repeat(64)}`)]) {
      const refused = await attempt();
      expect(refused.status).toBe(1);
      expect(refused.stderr).toContain("refused: gcp-qa: its state is local (backend local), and this CI runner loses it when the job ends");
      expect(refused.stderr).toContain("Set environments.qa.gcp.state.bucket in config/environments.json");
    }
    expect(existsSync(path.join(ws, "cdktf.out", "stacks", "gcp-qa", ".terraform"))).toBe(false);
    // Outside CI (a laptop), local state is allowed.
    expect((await plan("gcp-qa", { CI: "" })).status).toBe(0);
  }, 120_000);
});
