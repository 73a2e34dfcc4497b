import { spawn, spawnSync } from "child_process";
import { readdirSync, readFileSync, readlinkSync, rmSync, writeFileSync } from "fs";
import { connect } from "net";
import path from "path";
import { APP_SOURCES, canUnshare, copyProject, finished, providerMirror, rawConfig, ROOT, Run, synthAll, tempDir } from "../../helpers/helpers";
import { liveCopy, withReplay } from "../../helpers/replay-helpers";

// `npm run rehearse`: the real providers answer from recordings of what is live (live/<stack>/),
// and the real terraform (or OpenTofu) plans the stack with its import blocks.
const mirror = providerMirror();
/** prevent_destroy refusing the plan, as Terraform and as OpenTofu word it. */
const PREVENT_DESTROY = /Resource (?:instance )?google_redis_instance\.main has (?:lifecycle\.)?prevent_destroy set/;

interface RehearseOptions {
  live?: string;
  config?: unknown;
  root?: string;
  /** The command to run the rehearsal under, such as unshare. */
  wrap?: string[];
}

function rehearsal(stack: string, options: RehearseOptions): [string, string[], { cwd: string; env: Record<string, string> }] {
  const env: Record<string, string> = { ...(process.env as Record<string, string>) };
  delete env.TF_VAR_backend_image;
  if (options.config) {
    const file = path.join(tempDir("config-"), "environments.json");
    writeFileSync(file, JSON.stringify(options.config));
    env.REDIS_NET_CONFIG = file;
  } else delete env.REDIS_NET_CONFIG;
  const args = [path.join(options.root ?? ROOT, "scripts", "run.js"), "rehearse", stack, ...(options.live ? ["--live", options.live] : [])];
  const [command, ...wrapped] = [...(options.wrap ?? []), process.execPath, ...args];
  return [command, wrapped, { cwd: options.root ?? ROOT, env }];
}

function rehearse(stack: string, options: RehearseOptions = {}) {
  const [command, args, spawnOptions] = rehearsal(stack, options);
  const run = spawnSync(command, args, { ...spawnOptions, encoding: "utf8", timeout: 300_000 });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr, pid: run.pid };
}

/** The same, not waiting: for rehearsals at once. */
function rehearseAsync(stack: string, options: RehearseOptions = {}): Promise<Run> {
  const [command, args, spawnOptions] = rehearsal(stack, options);
  return finished(spawn(command, args, spawnOptions));
}

/** Processes whose working directory starts with `prefix`: terraform and its provider plugins. */
function processesIn(prefix: string): string[] {
  return readdirSync("/proc").filter((pid) => /^\d+$/.test(pid)).filter((pid) => {
    try {
      return readlinkSync(`/proc/${pid}/cwd`).startsWith(prefix);
    } catch {
      return false; // gone, or not ours to read
    }
  });
}

function portAnswers(url: string): Promise<boolean> {
  const { port } = new URL(url);
  return new Promise((resolve) => {
    const socket = connect(Number(port), "127.0.0.1");
    socket.once("connect", () => { socket.destroy(); resolve(true); });
    socket.once("error", () => resolve(false));
  });
}

(mirror ? describe : describe.skip)("rehearsal against the recorded live staging", () => {
  test("gcp-staging: 2 imported, nothing replaced or destroyed, each change to the adopted Redis listed", () => {
    const run = rehearse("gcp-staging");
    expect(run.stderr).toBe("");
    expect(run.stdout).toContain("Plan: 2 to import, 22 to add, 1 to change, 0 to destroy.");
    expect(run.stdout).toContain("google_compute_network.vpc: imported, no change");
    expect(run.stdout).toMatch(/google_redis_instance\.main: imported, update\n\s+deletion_protection: null → true\n/);
    expect(run.stdout).toContain("rehearsal passed");
    expect(run.status).toBe(0);
  }, 300_000);

  test("scaleway-staging, step public: 3 imported, nothing replaced, the cluster's endpoint and ACL untouched", () => {
    const run = rehearse("scaleway-staging");
    expect(run.stdout).toContain("Plan: 3 to import, 3 to add, 3 to change, 0 to destroy.");
    expect(run.stdout).toContain("scaleway_redis_cluster.main: imported, update");
    expect(run.stdout).not.toMatch(/acl|private_network\[0\]/);
    expect(run.status).toBe(0);
  }, 300_000);

  test("scaleway-staging, step private: the endpoint moves in place, and the rehearsal says the public one goes in the same apply", () => {
    const config = rawConfig();
    const redis = config.environments.staging.scaleway.adopt.redis;
    redis.step = "private";
    delete redis.publicAcl;
    const run = rehearse("scaleway-staging", { config });
    expect(run.stdout).toContain("Plan: 3 to import, 3 to add, 3 to change, 0 to destroy.");
    expect(run.stdout).toContain("private_network[0].id: (unset) → (known after apply)");
    expect(run.stdout).toContain("note: scaleway_redis_cluster.main: attaching the private network replaces the cluster's endpoints (the provider's SetEndpoints): the public endpoint 51.159.74.212:6379 goes away in this apply");
    expect(run.status).toBe(0);
  }, 300_000);

  test("the reserved_ip_range replacement of the first cut-over is caught: set on the adopted instance, Google never reports it back", () => {
    const copy = copyProject([...APP_SOURCES, "scripts", "live"]);
    const memorystore = path.join(copy, "constructs", "gcp", "memorystore.ts");
    const source = readFileSync(memorystore, "utf8");
    const withoutIgnore = source.replace('ignoreChanges: adopted ? ["reserved_ip_range"] : undefined', "ignoreChanges: undefined");
    expect(withoutIgnore).not.toBe(source);
    writeFileSync(memorystore, withoutIgnore);
    const run = rehearse("gcp-staging", { root: copy });
    expect(run.stderr).toMatch(PREVENT_DESTROY);
    expect(run.stderr).toContain("refused by prevent_destroy: google_redis_instance.main would be replaced (its data lost): reserved_ip_range forces replacement");
    expect(run.status).toBe(1);
  }, 300_000);

  test("a genuinely needed Redis replacement (a new tier) is refused at plan, naming the attribute: never a 409 at apply", () => {
    const config = rawConfig();
    config.environments.staging.gcp.redis.tier = "STANDARD_HA";
    const run = rehearse("gcp-staging", { config });
    expect(run.stderr).toMatch(PREVENT_DESTROY);
    expect(run.stderr).toContain("refused by prevent_destroy: google_redis_instance.main would be replaced (its data lost): tier forces replacement");
    expect(run.status).toBe(1);
  }, 300_000);

  test("a new range overlapping a live one is refused with both ranges and their owners", () => {
    const config = rawConfig();
    config.environments.staging.gcp.connector.cidr = "10.2.0.0/28";
    const run = rehearse("gcp-staging", { config });
    expect(run.stderr).toContain("google_compute_subnetwork.connector (staging-connector-subnet): its range 10.2.0.0/28 overlaps 10.2.0.0/28 of live subnet vpc-connector-subnet; choose a free range in the configuration");
    expect(run.status).toBe(1);
  }, 300_000);

  test("a configured Redis range the live instance does not have is refused (the provider cannot compare it)", () => {
    const config = rawConfig();
    config.environments.staging.gcp.redis.cidr = "10.166.204.88/29";
    const run = rehearse("gcp-staging", { config });
    expect(run.stderr).toContain('google_redis_instance.main: reserved_ip_range is "10.166.204.88/29" in the configuration (redis.cidr) but "10.166.204.80/29" on the live object');
    expect(run.status).toBe(1);
  }, 300_000);

  test("a request the recording cannot answer fails with the command that records it, and nothing is left running", async () => {
    const live = liveCopy();
    rmSync(path.join(live, "redis-auth.staging-redis-f1adc35c.json"));
    const run = rehearse("gcp-staging", { live });
    expect(run.stderr).toContain(
      `GET /redis/v1/projects/netra-staging/locations/us-central1/instances/staging-redis-f1adc35c/authString: not in the recording; record it with: gcloud redis instances get-auth-string staging-redis-f1adc35c --region us-central1 --project netra-staging --format=json > ${path.join(live, "redis-auth.staging-redis-f1adc35c.json")}`,
    );
    expect(run.status).toBe(1);
    const replay = /^replay: (\S+)/m.exec(run.stdout)![1];
    expect(await portAnswers(replay)).toBe(false);
    // Only this run's work directory (run-<pid>-<id>): other test files rehearse at the same time.
    expect(processesIn(path.join(ROOT, "cdktf.out.rehearse", "gcp-staging", `run-${run.pid}-`))).toEqual([]);
  }, 300_000);

  test("two rehearsals of one stack at once, with different recordings, each give their own verdict (they shared a work directory and a replay)", async () => {
    // Recordings in which the live instance has another tier: the plan must replace it.
    const otherTier = liveCopy();
    const redisFile = path.join(otherTier, "redis.staging-redis-f1adc35c.json");
    writeFileSync(redisFile, JSON.stringify({ ...JSON.parse(readFileSync(redisFile, "utf8")), tier: "STANDARD_HA" }));
    for (let round = 0; round < 3; round++) {
      const [shipped, replaced] = await Promise.all([rehearseAsync("gcp-staging"), rehearseAsync("gcp-staging", { live: otherTier })]);
      expect([shipped.status, shipped.stderr]).toEqual([0, ""]);
      expect(shipped.stdout).toContain("rehearsal passed");
      expect(shipped.stdout).toContain("3 API read(s) answered from the recording");
      expect(replaced.status).toBe(1);
      expect(replaced.stderr).toContain("refused by prevent_destroy: google_redis_instance.main would be replaced (its data lost): tier forces replacement");
      const workOf = (run: { stdout: string }) => /^work directory: (\S+)/m.exec(run.stdout)![1];
      expect(workOf(shipped)).not.toBe(workOf(replaced));
    }
  }, 600_000);

  test("--live is read from the directory it was typed in, under npm run too", () => {
    const run = spawnSync("npm", ["run", "--silent", "rehearse", "--", "gcp-staging", "--live", "gcp-staging"], { cwd: path.join(ROOT, "live"), encoding: "utf8", timeout: 300_000 });
    expect(run.stdout).toContain("rehearsal of gcp-staging: 4 recording(s) from --live gcp-staging");
    expect([run.status, run.stderr]).toEqual([0, ""]);
  }, 300_000);

  test("a file that is not a recording is named, and nothing runs", () => {
    const live = tempDir("live-");
    writeFileSync(path.join(live, "redis.staging-redis-f1adc35c.json"), "Listed 0 items.\n");
    const run = rehearse("gcp-staging", { live });
    expect(run.stderr).toContain(`${path.join(live, "redis.staging-redis-f1adc35c.json")}: not JSON (line 1, column 1: unexpected "L"), so not a Memorystore instance as gcloud redis instances describe prints it; it starts with "Listed 0 items."; record it again with: gcloud redis instances describe staging-redis-f1adc35c --region <region> --project <project> --format=json > `);
    expect(run.status).toBe(2);
    expect(run.stdout).not.toContain("replay:");
  }, 120_000);
});

// No network at all, not even a route to a DNS server: the google provider used to wait out the
// 5-minute timeout on its configure-time userinfo request, then fail printing nothing.
(mirror && canUnshare("--net") ? test : test.skip)("the rehearsal passes in a network namespace with only loopback, in its usual time", () => {
  const offline = ["unshare", "--map-root-user", "--net", "sh", "-c", '[ -z "$(ip route show default)" ] && ip link set lo up && exec "$@"', "sh"];
  const started = Date.now();
  const run = rehearse("gcp-staging", { wrap: offline });
  const seconds = (Date.now() - started) / 1000;
  expect(run.stderr).toBe("");
  expect(run.stdout).toContain("Plan: 2 to import, 22 to add, 1 to change, 0 to destroy.");
  expect(run.status).toBe(0);
  expect(seconds).toBeLessThan(120);
}, 300_000);

(mirror ? test : test.skip)("the adopted Redis is protected from destroy: prevent_destroy refuses the plan, deletion_protection the apply", async () => {
  const stack = synthAll()["gcp-staging"];
  // The live staging once the cut-over has labelled it: adopting it then changes nothing on
  // Google's side, so the apply below writes only state (the replay refuses any write).
  const live = liveCopy();
  const redisFile = path.join(live, "redis.staging-redis-f1adc35c.json");
  writeFileSync(redisFile, JSON.stringify({ ...JSON.parse(readFileSync(redisFile, "utf8")), labels: { environment: "staging" } }));
  await withReplay(stack, live, async (run, replay, dir) => {
    const adopted = await run("apply", "-input=false", "-auto-approve", "-target=google_redis_instance.main");
    expect(adopted.stdout).toContain("Apply complete! Resources: 2 imported, 0 added, 1 changed, 0 destroyed.");

    const destroyPlan = await run("plan", "-destroy", "-input=false");
    expect(destroyPlan.status).toBe(1);
    expect(destroyPlan.stderr).toMatch(PREVENT_DESTROY);

    // Without prevent_destroy, the provider itself refuses at apply, before any call to Google.
    const { lifecycle, ...redis } = stack.resource.google_redis_instance.main;
    expect(lifecycle.prevent_destroy).toBe(true);
    writeFileSync(path.join(dir, "cdk.tf.json"), JSON.stringify({ ...stack, import: undefined, resource: { ...stack.resource, google_redis_instance: { main: redis } } }));
    const destroy = await run("apply", "-destroy", "-input=false", "-auto-approve", "-target=google_redis_instance.main");
    expect(destroy.status).toBe(1);
    expect(destroy.stderr).toContain("cannot destroy redis instance without setting deletion_protection=false");
    expect(replay.refused).toEqual([]);
  });
}, 300_000);

(mirror ? test : test.skip)("where Redis is not protected, a needed replacement deletes first, then creates: never create-first into a 409", async () => {
  // A staging that made its own Redis (`staging-redis`, in state), now asked for another tier.
  const config = rawConfig();
  delete config.environments.staging.gcp.adopt.redis;
  config.environments.staging.gcp.redis.tier = "STANDARD_HA";
  const live = liveCopy();
  for (const kind of ["redis", "redis-auth"]) {
    const json = JSON.parse(readFileSync(path.join(live, `${kind}.staging-redis-f1adc35c.json`), "utf8"));
    if (json.name) json.name = json.name.replace("staging-redis-f1adc35c", "staging-redis");
    writeFileSync(path.join(live, `${kind}.staging-redis.json`), JSON.stringify(json));
    rmSync(path.join(live, `${kind}.staging-redis-f1adc35c.json`));
  }
  await withReplay(synthAll(config)["gcp-staging"], live, async (run, replay) => {
    const imported = await run("import", "-input=false", "google_redis_instance.main", "projects/netra-staging/locations/us-central1/instances/staging-redis");
    expect(imported.stdout).toContain("Import successful!");
    expect((await run("plan", "-input=false", "-out=plan.bin")).status).toBe(0);
    const shown = JSON.parse((await run("show", "-json", "plan.bin")).stdout);
    const redis = shown.resource_changes.find((c: any) => c.address === "google_redis_instance.main");
    expect(redis.change.actions).toEqual(["delete", "create"]);
    expect(redis.change.replace_paths).toContainEqual(["tier"]);
    expect(replay.refused).toEqual([]);
  });
}, 300_000);
