import { ChildProcess, spawn, spawnSync } from "child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, realpathSync, writeFileSync } from "fs";
import { createServer, Server, Socket } from "net";
import path from "path";
import { freePort, ROOT, tempDir } from "../../helpers/helpers";

// What the tools say about what they were given, as a new user gives it, each run as a process:
// the path as typed and resolved from where it was typed, the file and what it holds instead of
// what it should, the endpoint and why it did not answer. Never a JavaScript error's text.
// The recordings' messages, read in-process: __tests__/fast/tools/tool-input.test.ts.

/** Runs a tool as `npm run <tool>` would from `from`: in the project's root, with npm's INIT_CWD. */
function tool(from: string, ...args: string[]) {
  const env = { ...process.env, INIT_CWD: from, npm_package_json: path.join(ROOT, "package.json") };
  const run = spawnSync(process.execPath, [path.join(ROOT, "scripts", "run.js"), ...args], { cwd: ROOT, env, encoding: "utf8", timeout: 60_000 });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

function started(from: string, ...args: string[]): { child: ChildProcess; exited: Promise<{ status: number | null; stderr: string }> } {
  const env = { ...process.env, INIT_CWD: from, npm_package_json: path.join(ROOT, "package.json") };
  const child = spawn(process.execPath, [path.join(ROOT, "scripts", "run.js"), ...args], { cwd: ROOT, env, stdio: ["ignore", "ignore", "pipe"] });
  let stderr = "";
  child.stderr!.on("data", (d) => (stderr += d));
  return { child, exited: new Promise((resolve) => child.on("close", (status) => resolve({ status, stderr }))) };
}

/** A stack directory initialised against a GCS bucket at `endpoint`, as terraform init records it. */
function initialisedStack(endpoint: string): string {
  const dir = path.join(tempDir("stack-"), "gcp-staging");
  mkdirSync(path.join(dir, ".terraform"), { recursive: true });
  const backend = { type: "gcs", config: { bucket: "netra-staging-tfstate", prefix: "redis-network/gcp-staging", storage_custom_endpoint: `${endpoint}/storage/v1/`, access_token: "test" }, hash: 1 };
  writeFileSync(path.join(dir, ".terraform", "terraform.tfstate"), JSON.stringify({ version: 3, terraform_version: "1.11.4", backend }));
  return dir;
}

test("a tool name is a script's name: another path is refused before anything runs or is kept", () => {
  // What either would have kept, named for it (other tests' tools may add their own meanwhile).
  const cache = path.join(realpathSync(path.join(ROOT, "dist")), ".v8-compile-cache");
  const kept = () => (existsSync(cache) ? readdirSync(cache) : []).filter((file) => /no-such-tool|zSscriptszSmain\./.test(file));
  expect(tool(ROOT, "../main")).toEqual({ status: 2, stdout: "", stderr: 'run: tool "../main": must be the name of a script in scripts/ (lowercase letters, digits and hyphens), such as verify\n' });
  expect(tool(ROOT, "no-such-tool")).toEqual({ status: 2, stdout: "", stderr: "run: no tool scripts/no-such-tool.ts\n" });
  expect(kept()).toEqual([]);
});

describe("restore-state and drift: directories and files as the user typed them", () => {
  test("a mistyped stack directory is missing, with what its parent holds (it used to be `not initialised`)", () => {
    const project = tempDir("project-");
    mkdirSync(path.join(project, "cdktf.out", "stacks", "gcp-staging"), { recursive: true });
    mkdirSync(path.join(project, "cdktf.out", "stacks", "scaleway-staging"));
    expect(tool(project, "restore-state", "cdktf.out/stacks/gcp-stagng")).toEqual({
      status: 1, stdout: "", stderr: "restore-state: cdktf.out/stacks/gcp-stagng: no such directory (cdktf.out/stacks holds gcp-staging, scaleway-staging)\n",
    });
    expect(tool(project, "drift", "--dir", "cdktf.out/stacks/gcp-stagng").stderr).toBe("drift: --dir cdktf.out/stacks/gcp-stagng: no such directory (cdktf.out/stacks holds gcp-staging, scaleway-staging)\n");
  });

  test("`.` is the directory the user is in, not the project's root (under npm run, INIT_CWD)", () => {
    const stack = path.join(tempDir("stack-"), "gcp-staging");
    mkdirSync(stack);
    expect(tool(stack, "restore-state", ".").stderr).toBe("restore-state: .: not initialised (it has no .terraform/terraform.tfstate); run terraform init there first\n");
    const report = tool(stack, "drift", "--dir", ".", "--report", "nowhere/drift.md");
    expect(report.stderr).toBe("drift: --report nowhere/drift.md: nowhere does not exist\n");
  });

  test("a truncated .terraform/terraform.tfstate is named, with where the JSON breaks (it used to be `Unterminated string in JSON at position 48`)", () => {
    const stack = initialisedStack("http://127.0.0.1:9");
    const file = path.join(stack, ".terraform", "terraform.tfstate");
    writeFileSync(file, readFileSync(file, "utf8").slice(0, 48));
    expect(tool(stack, "restore-state", ".").stderr).toBe(
      `restore-state: .terraform/terraform.tfstate: not JSON (line 1, column 43: malformed string (unclosed, a control character, or a bad escape)), so not the backend terraform init recorded; it starts with ${JSON.stringify(readFileSync(file, "utf8"))}; run terraform init there again\n`,
    );
  });
});

describe("one run per stack directory; a bucket that does not answer is named", () => {
  let silent: Server;
  let port: number;
  const connections = new Set<Socket>();
  const stop = () => new Promise<void>((resolve) => {
    for (const socket of connections) socket.destroy();
    silent.close(() => resolve());
  });

  beforeAll(async () => {
    port = await freePort();
    // Accepts, and never answers: a run asking it holds its lock until it is killed.
    silent = createServer((socket) => void connections.add(socket)).listen(port, "127.0.0.1");
  });
  afterAll(() => (silent.listening ? stop() : undefined));

  test("a second run is refused at once naming the first; a killed run's lock holds nobody back; an unreachable endpoint is named with why", async () => {
    const stack = initialisedStack(`http://127.0.0.1:${port}`);
    const lock = path.join(stack, ".redis-net.lock");
    const first = started(stack, "restore-state", ".");
    const deadline = Date.now() + 30_000;
    while (!existsSync(lock) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    const second = tool(stack, "restore-state", ".");
    expect([second.status, second.stderr]).toEqual([1, expect.stringMatching(/^restore-state: \.: in use by another run \(pid \d+, since [^)]+: restore-state \.\); wait for it to end\n$/)]);
    expect(second.stderr).toContain(`(pid ${first.child.pid}, since `);
    expect(tool(path.dirname(stack), "drift", "--dir", "gcp-staging").stderr).toContain(`drift: --dir gcp-staging: in use by another run (pid ${first.child.pid}`);

    first.child.kill("SIGKILL");
    await first.exited;
    expect(existsSync(lock)).toBe(true); // left by the killed run; the next one takes it over
    await stop();
    const third = tool(stack, "restore-state", ".");
    const url = `http://127.0.0.1:${port}/storage/v1/b/netra-staging-tfstate/o?prefix=${encodeURIComponent("redis-network/gcp-staging/default.tfstate")}&versions=true`;
    // It used to be `restore-state: fetch failed`.
    expect(third).toEqual({ status: 1, stdout: "", stderr: `restore-state: GET ${url}: nothing listens at 127.0.0.1:${port} (connection refused)\n` });
    expect(existsSync(lock)).toBe(false);
  }, 60_000);
});

test("a rehearsal step that does not finish is stopped, and its message names what it waited for", async () => {
  const { runCli, stepFailure } = require("../../../scripts/rehearse");
  const dir = tempDir("hang-");
  writeFileSync(path.join(dir, "hang.js"), "setInterval(() => {}, 1000);");
  const hang = await runCli(process.execPath, ["hang.js"], dir, process.env, new Set(), 300);
  expect(hang.timedOutAfterMs).toBe(300);
  expect(stepFailure("plan", hang, { url: "http://127.0.0.1:1234", requests: ["GET /compute/v1/projects/p/global/networks/vpc"] })).toBe(
    "terraform plan did not finish within 0.3 s and was stopped with its provider plugins; the replay at http://127.0.0.1:1234 had answered 1 request(s), the last GET /compute/v1/projects/p/global/networks/vpc, so they were waiting on something else, printing nothing",
  );
});

test("npm run mutate -- --tests names a folder of the fast tier, or says which there are and writes nothing", () => {
  for (const layer of ["nope", "../config", ""]) {
    const run = spawnSync("bash", [path.join(ROOT, "scripts", "mutate.sh"), "--tests", layer], { cwd: ROOT, encoding: "utf8", timeout: 60_000 });
    expect(run.status).toBe(2);
    expect(run.stderr).toBe(`npm run mutate: --tests '${layer}': must name a folder of __tests__/fast/ (build config constructs policy project stacks tools)\n`);
    expect(existsSync(path.join(ROOT, "reports", "mutation", `incremental-${layer}.json`))).toBe(false);
  }
});
