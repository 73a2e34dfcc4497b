import { ChildProcess, spawn } from "child_process";
import { readFileSync, writeFileSync } from "fs";
import path from "path";
import { synthesize } from "../../../main";
import { createGcsBucket, finished, freePort, rawConfig, ROOT, Run, startFakeGcs, storageServers, tempDir, terraformCli, until } from "../../helpers/helpers";

// The stacks' remote state backends written to for real: moto's S3 server (it honours
// If-None-Match, like Scaleway Object Storage) and fake-gcs-server, started here on 127.0.0.1.
// Each drill runs the real CLI on the stack's own backend block, beside a resource that needs no
// cloud (terraform_data, holding the lock with a sleep while it is replaced).
const servers = storageServers();
const BUCKET = "redis-net-state";

interface Backend {
  name: string;
  /** The synthesized stack whose backend block is used. */
  stack: string;
  /** -backend-config lines pointing the block at the local server. */
  backendConfig(url: string): string;
  start(port: number): ChildProcess;
  /** Makes the versioned bucket; resolves once the server answers. */
  createBucket(url: string): Promise<void>;
  /** Whether the state's lock object exists now. */
  locked(url: string, backend: any): Promise<boolean>;
}

const BACKENDS: Backend[] = [
  {
    name: "S3 (Scaleway Object Storage)",
    stack: "scaleway-staging",
    backendConfig: (url) => `endpoints = { s3 = "${url}" }\nuse_path_style = true\naccess_key = "drill"\nsecret_key = "drill"\n`,
    start: (port) => spawn(path.join(servers!.bin, "moto_server"), ["-H", "127.0.0.1", "-p", String(port)], { stdio: "ignore" }),
    async createBucket(url) {
      await until(async () => (await fetch(`${url}/${BUCKET}`, { method: "PUT" }).catch(() => undefined))?.ok === true);
      const versioning = '<VersioningConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Status>Enabled</Status></VersioningConfiguration>';
      expect((await fetch(`${url}/${BUCKET}?versioning`, { method: "PUT", body: versioning })).ok).toBe(true);
    },
    // Objects are private to their writer; the bucket listing is not.
    locked: async (url, backend) => (await (await fetch(`${url}/${BUCKET}?list-type=2&prefix=${encodeURIComponent(`${backend.key}.tflock`)}`)).text()).includes("<Key>"),
  },
  {
    name: "GCS",
    stack: "gcp-staging",
    backendConfig: (url) => `storage_custom_endpoint = "${url}/storage/v1/"\naccess_token = "drill"\n`,
    start: (port) => startFakeGcs(servers!.fakeGcs, port),
    createBucket: (url) => createGcsBucket(url, BUCKET),
    locked: async (url, backend) => (await fetch(`${url}/storage/v1/b/${BUCKET}/o/${encodeURIComponent(`${backend.prefix}/default.tflock`)}`)).ok,
  },
];

/** A synthesized stack's backend block, with a state bucket configured for both clouds. */
function backendBlock(stack: string, bootstrap: "local" | "bucket" = "local"): any {
  const raw = rawConfig();
  raw.environments.staging.gcp.state = { bucket: BUCKET, bootstrap };
  raw.environments.staging.scaleway.state = { bucket: BUCKET, bootstrap };
  const dir = tempDir("drill-synth-");
  const configFile = path.join(dir, "environments.json");
  writeFileSync(configFile, JSON.stringify(raw));
  synthesize({ configFile, outdir: path.join(dir, "out"), environments: ["staging"] });
  return JSON.parse(readFileSync(path.join(dir, "out", "stacks", stack, "cdk.tf.json"), "utf8")).terraform.backend;
}

(servers ? describe.each(BACKENDS) : describe.skip.each(BACKENDS))("state in $name", (backend) => {
  const cli = servers ? terraformCli() : "";
  let server: ChildProcess;
  let url: string;
  let block: any;
  const type = backend.stack.startsWith("gcp") ? "gcs" : "s3";

  beforeAll(async () => {
    const port = await freePort();
    url = `http://127.0.0.1:${port}`;
    server = backend.start(port);
    await backend.createBucket(url);
    block = backendBlock(backend.stack);
  }, 60_000);

  afterAll(() => server?.kill("SIGKILL"));

  /** A working directory whose state lives in the bucket at its own key (or `backendBody` as given). */
  function workdir(name: string, backendBody?: any) {
    const dir = tempDir(`drill-${name}-`);
    const own = type === "s3" ? { ...block.s3, key: `drills/${name}.tfstate` } : { ...block.gcs, prefix: `drills/${name}` };
    const write = (backend: any) => writeFileSync(path.join(dir, "main.tf.json"), JSON.stringify({
      terraform: { backend },
      variable: { hold: { type: "number", default: 0 } },
      resource: { terraform_data: { hold: { input: name, provisioner: [{ "local-exec": { command: "sleep ${var.hold}" } }] } } },
    }));
    write(backendBody ?? { [type]: own });
    writeFileSync(path.join(dir, "drill.tfbackend"), backend.backendConfig(url));
    const env = { PATH: `${servers!.bin}:${process.env.PATH}`, HOME: dir, CHECKPOINT_DISABLE: "1", TF_IN_AUTOMATION: "1", REDIS_NET_TERRAFORM: cli };
    const start = (...args: string[]) => spawn(cli, [...args, "-no-color"], { cwd: dir, env, detached: true });
    const run = (...args: string[]): Promise<Run> => finished(start(...args));
    const script = (...args: string[]): Promise<Run> => finished(spawn(process.execPath, args, { cwd: ROOT, env }));
    return { dir, own, start, run, script, write };
  }

  async function ready(work: ReturnType<typeof workdir>) {
    expect((await work.run("init", "-input=false", "-backend-config=drill.tfbackend")).status).toBe(0);
    expect((await work.run("apply", "-input=false", "-auto-approve")).status).toBe(0);
  }

  const stateList = async (work: ReturnType<typeof workdir>) => (await work.run("state", "list")).stdout.trim().split("\n").filter(Boolean);

  test("two applies at once: the second fails at once with the lock error and writes nothing; the state stays whole", async () => {
    const work = workdir("concurrent");
    await ready(work);
    const first = finished(work.start("apply", "-input=false", "-auto-approve", "-replace=terraform_data.hold", "-var", "hold=6"));
    await until(() => backend.locked(url, work.own));
    const second = await work.run("apply", "-input=false", "-auto-approve", "-lock-timeout=0s");
    expect(second.status).toBe(1);
    expect(second.stderr).toContain("Error acquiring the state lock");
    expect(second.ms).toBeLessThan(30_000);
    expect((await first).status).toBe(0);
    expect(await stateList(work)).toEqual(["terraform_data.hold"]);
    expect(await backend.locked(url, work.own)).toBe(false);
  }, 120_000);

  test("a killed apply leaves its lock; the ID the next apply prints clears it with force-unlock", async () => {
    const work = workdir("killed");
    await ready(work);
    const victim = work.start("apply", "-input=false", "-auto-approve", "-replace=terraform_data.hold", "-var", "hold=60");
    const gone = finished(victim);
    await until(() => backend.locked(url, work.own));
    process.kill(-victim.pid!, "SIGKILL");
    await gone;
    expect(await backend.locked(url, work.own)).toBe(true);
    const blocked = await work.run("apply", "-input=false", "-auto-approve", "-lock-timeout=0s");
    expect(blocked.status).toBe(1);
    const id = /Lock Info:\s+ID:\s+(\S+)/.exec(blocked.stderr)![1];
    const unlock = await work.run("force-unlock", "-force", id);
    expect([unlock.status, unlock.stderr]).toEqual([0, ""]);
    expect(await backend.locked(url, work.own)).toBe(false);
    expect((await work.run("apply", "-input=false", "-auto-approve")).status).toBe(0);
  }, 120_000);

  test("the bootstrap stack's own state moves from local into the bucket it made (init -migrate-state)", async () => {
    const work = workdir("bootstrap", { local: { path: "bootstrap.tfstate" } });
    expect((await work.run("init", "-input=false")).status).toBe(0);
    expect((await work.run("apply", "-input=false", "-auto-approve")).status).toBe(0);
    // With state.bootstrap = "bucket" the stack's backend is the bucket, under its own key.
    const inBucket = backendBlock(`state-${backend.stack}`, "bucket");
    expect(inBucket[type][type === "s3" ? "key" : "prefix"]).toMatch(new RegExp(`^redis-network/state-${backend.stack}`));
    work.write(inBucket);
    const migrated = await work.run("init", "-input=false", "-migrate-state", "-force-copy", "-backend-config=drill.tfbackend");
    expect([migrated.status, migrated.stderr]).toEqual([0, ""]);
    expect(await stateList(work)).toEqual(["terraform_data.hold"]);
    expect((await work.run("plan", "-input=false", "-detailed-exitcode")).status).toBe(0);
  }, 120_000);

  test("a bad state written over a good one is restored from the previous version (npm run restore-state)", async () => {
    const work = workdir("restore");
    await ready(work);
    expect(await stateList(work)).toEqual(["terraform_data.hold"]);
    expect((await work.run("state", "rm", "terraform_data.hold")).status).toBe(0); // the bad write
    expect(await stateList(work)).toEqual([]);
    const listed = await work.script("scripts/run.js", "restore-state", work.dir);
    expect(listed.status).toBe(0);
    const versions = listed.stdout.trim().split("\n");
    expect(versions[0]).toMatch(/\(current\)$/);
    const previous = versions[1].split(/\s+/)[0];
    const restored = await work.script("scripts/run.js", "restore-state", work.dir, "--version", previous);
    expect(restored.stderr).toBe("");
    expect(restored.stdout).toContain(`restored version ${previous} as the current state`);
    expect(await stateList(work)).toEqual(["terraform_data.hold"]);
    expect((await work.run("plan", "-input=false", "-detailed-exitcode")).status).toBe(0);
  }, 120_000);
});
