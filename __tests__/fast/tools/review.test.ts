import { mkdirSync, writeFileSync } from "fs";
import { createServer, IncomingMessage, Server, ServerResponse } from "http";
import { AddressInfo } from "net";
import * as path from "path";
import { main as prComment } from "../../../scripts/pr-comment";
import { localStateProblem } from "../../../scripts/remote-state";
import { failedPlanComment, planComment, reviewedPlanOf } from "../../../scripts/review/comment";
import { planDigest } from "../../../scripts/review/digest";
import { GitHub } from "../../../scripts/review/github";
import { reviewedDigest } from "../../../scripts/reviewed-plan";
import { freePort, tempDir } from "../../helpers/helpers";

// What ties an apply on merge to the plan reviewed on the pull request: the digest of a plan's
// changes, the plan comments that carry it (one per stack, edited in place), and the lookup of
// the reviewed digest for a merge commit, against a GitHub REST API served here.

const create = (after: object, sensitive: object = {}) => ({ address: "terraform_data.a", change: { actions: ["create"], before: null, after, after_sensitive: sensitive } });
const HEAD = "a".repeat(40);
const MERGE = "b".repeat(40);

describe("plan digest", () => {
  test("equal changes give equal digests, whatever the key order; unchanged resources do not count", () => {
    const noOp = { address: "terraform_data.z", change: { actions: ["no-op"], before: { input: 1 }, after: { input: 1 } } };
    expect(planDigest({ resource_changes: [create({ input: "v1", other: 2 })] })).toBe(planDigest({ resource_changes: [noOp, create({ other: 2, input: "v1" })] }));
    expect(planDigest({ resource_changes: [create({ input: "v1" })] })).toMatch(/^sha256:[0-9a-f]{64}$/);
  });

  test("any other action, value, import or output change gives another digest", () => {
    const base = planDigest({ resource_changes: [create({ input: "v1" })] });
    const others = [
      { resource_changes: [create({ input: "v2" })] },
      { resource_changes: [{ ...create({ input: "v1" }), change: { ...create({ input: "v1" }).change, actions: ["delete", "create"] } }] },
      { resource_changes: [{ ...create({ input: "v1" }), change: { ...create({ input: "v1" }).change, importing: { id: "x" } } }] },
      { resource_changes: [create({ input: "v1" })], output_changes: { url: { actions: ["create"], before: null, after: "https://x" } } },
      { resource_changes: [create({ input: "v1" }), { ...create({}), address: "terraform_data.b" }] },
    ];
    for (const plan of others) expect(planDigest(plan)).not.toBe(base);
  });

  test("a sensitive value is not in the digest, but whether it changes is", () => {
    const update = (before: string, after: string) => ({
      resource_changes: [{ address: "random_password.p", change: { actions: ["update"], before: { result: before, length: 32 }, after: { result: after, length: 33 }, before_sensitive: { result: true }, after_sensitive: { result: true } } }],
    });
    expect(planDigest(update("secret-1", "secret-1"))).toBe(planDigest(update("other-1", "other-1")));
    expect(planDigest(update("secret-1", "secret-2"))).not.toBe(planDigest(update("secret-1", "secret-1")));
  });
});

describe("plan comments", () => {
  const digest = planDigest({ resource_changes: [create({ input: "v1" })] });

  test("a plan comment starts with its stack's marker and carries the reviewed head and digest", () => {
    const body = planComment("gcp-staging", { head: HEAD, digest }, "Terraform will perform...\nPlan: 1 to add, 0 to change, 0 to destroy.\n");
    expect(body.split("\n").slice(0, 3)).toEqual([
      "<!-- plan:gcp-staging -->",
      `<!-- reviewed-plan head=${HEAD} digest=${digest} -->`,
      "<details><summary><code>gcp-staging</code>: Plan: 1 to add, 0 to change, 0 to destroy.</summary>",
    ]);
    expect(reviewedPlanOf(body)).toEqual({ head: HEAD, digest });
    expect(planComment("gcp-staging", { head: HEAD, digest }, "x".repeat(200_000)).length).toBeLessThan(65_536);
  });

  test("a failed plan's comment carries no digest, and bad heads or digests are refused", () => {
    const failed = failedPlanComment("scaleway-production", HEAD, "Error: 403\n".repeat(20_000));
    expect(failed.startsWith("<!-- plan:scaleway-production -->\n**`scaleway-production`: the plan failed**")).toBe(true);
    expect(failed.length).toBeLessThan(65_536);
    expect(reviewedPlanOf(failed)).toBeUndefined();
    expect(() => planComment("gcp-staging", { head: "main", digest }, "")).toThrow('head "main": must be a full commit SHA (40 hex digits)');
    expect(() => planComment("gcp-staging", { head: HEAD, digest: "abc" }, "")).toThrow('digest "abc": must be sha256:<64 hex digits>, as plan-digest prints it');
  });
});

/** Enough of GitHub's REST API for the review tools: one repository's comments and merged pulls. */
class FakeGitHub {
  comments: { id: number; body: string; user: { login: string }; issue: number }[] = [];
  pulls: { number: number; merge_commit_sha: string | null; merged_at: string | null; head: { sha: string } }[] = [];
  private server!: Server;
  url = "";

  async start(): Promise<void> {
    this.server = createServer((req, res) => this.handle(req, res));
    await new Promise<void>((resolve) => this.server.listen(0, "127.0.0.1", resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** Closes the kept-alive connections of fetch too, or the server would wait for them. */
  stop(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.server.closeAllConnections();
    return closed;
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    let text = "";
    req.on("data", (chunk) => (text += chunk)).on("end", () => {
      const reply = (status: number, body: unknown): void => void res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
      if (req.headers.authorization !== "Bearer token") return reply(401, { message: "Bad credentials" });
      const url = new URL(req.url!, this.url);
      let m: RegExpExecArray | null;
      if ((m = /^\/repos\/o\/r\/issues\/(\d+)\/comments$/.exec(url.pathname))) {
        const issue = Number(m[1]);
        if (req.method === "POST") {
          const comment = { id: this.comments.length + 1, body: JSON.parse(text).body, user: { login: "github-actions[bot]" }, issue };
          this.comments.push(comment);
          return reply(201, comment);
        }
        const page = Number(url.searchParams.get("page") ?? 1);
        const perPage = Number(url.searchParams.get("per_page") ?? 30);
        return reply(200, this.comments.filter((c) => c.issue === issue).slice((page - 1) * perPage, page * perPage));
      }
      if ((m = /^\/repos\/o\/r\/issues\/comments\/(\d+)$/.exec(url.pathname)) && req.method === "PATCH") {
        const comment = this.comments.find((c) => c.id === Number(m![1]))!;
        comment.body = JSON.parse(text).body;
        return reply(200, comment);
      }
      if ((m = /^\/repos\/o\/r\/commits\/([0-9a-f]{40})\/pulls$/.exec(url.pathname))) return reply(200, this.pulls.filter((p) => p.merge_commit_sha === m![1] || p.head.sha === m![1]));
      reply(404, { message: "Not Found" });
    });
  }
}

describe("on GitHub", () => {
  const github = new FakeGitHub();
  const env = () => ({ GH_TOKEN: "token", GITHUB_API_URL: github.url });
  let saved: NodeJS.ProcessEnv;
  beforeAll(() => github.start());
  afterAll(() => github.stop());
  beforeEach(() => {
    saved = { ...process.env };
    github.comments = [];
    github.pulls = [];
    Object.assign(process.env, env(), { GITHUB_REPOSITORY: "o/r" });
    delete process.env.GITHUB_STEP_SUMMARY;
  });
  afterEach(() => {
    process.env = saved;
  });

  function files(plan: string, digest: string) {
    const dir = tempDir("comment-");
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, "plan.txt"), plan);
    writeFileSync(path.join(dir, "plan.digest"), `${digest}\n`);
    writeFileSync(path.join(dir, "diff.md"), "synth diff");
    writeFileSync(path.join(dir, "plan.log"), "Error: googleapi: Error 403");
    return (name: string) => path.join(dir, name);
  }

  test("the synth diff and each stack's plan keep one comment each, edited in place; a failed plan replaces its stack's plan", async () => {
    const digest = planDigest({ resource_changes: [create({ input: "v1" })] });
    const file = files("Plan: 1 to add, 0 to change, 0 to destroy.", digest);
    const log = jest.spyOn(console, "log").mockImplementation(() => {});
    try {
      for (let push = 0; push < 2; push++) {
        expect(await prComment(["--pr", "7", "--synth-diff", file("diff.md")])).toBe(0);
        for (const stack of ["gcp-staging", "scaleway-staging"]) {
          expect(await prComment(["--pr", "7", "--stack", stack, "--head", HEAD, "--plan-text", file("plan.txt"), "--digest", file("plan.digest")])).toBe(0);
        }
      }
      expect(await prComment(["--pr", "7", "--stack", "gcp-staging", "--head", HEAD, "--failed", file("plan.log")])).toBe(0);
    } finally {
      log.mockRestore();
    }
    expect(github.comments.map((c) => c.body.split("\n")[0])).toEqual(["<!-- synth-diff -->", "<!-- plan:gcp-staging -->", "<!-- plan:scaleway-staging -->"]);
    expect(reviewedPlanOf(github.comments[1].body)).toBeUndefined();
    expect(github.comments[1].body).toContain("Error: googleapi: Error 403");
    expect(reviewedPlanOf(github.comments[2].body)).toEqual({ head: HEAD, digest });
  });

  test("the reviewed digest of a merge commit is its pull request's plan of the merged head, and nothing else", async () => {
    const gh = new GitHub("o/r");
    const digest = planDigest({ resource_changes: [create({ input: "v1" })] });
    await expect(reviewedDigest(gh, "gcp-staging", MERGE, "github-actions[bot]")).rejects.toThrow(`gcp-staging: no reviewed plan: ${MERGE} was not merged from a pull request`);
    github.pulls.push({ number: 7, merge_commit_sha: MERGE, merged_at: "2026-12-05T08:00:00Z", head: { sha: HEAD } });
    await expect(reviewedDigest(gh, "gcp-staging", MERGE, "github-actions[bot]")).rejects.toThrow("gcp-staging: no reviewed plan: pull request #7 has no plan comment of this stack by github-actions[bot]");
    // Only the workflow's comments count: a person cannot post a digest for the merge to apply.
    github.comments.push({ id: 1, issue: 7, user: { login: "mallory" }, body: planComment("gcp-staging", { head: HEAD, digest }, "Plan: 0 to add") });
    await expect(reviewedDigest(gh, "gcp-staging", MERGE, "github-actions[bot]")).rejects.toThrow("has no plan comment of this stack");
    github.comments.push({ id: 2, issue: 7, user: { login: "github-actions[bot]" }, body: failedPlanComment("gcp-staging", HEAD, "Error") });
    await expect(reviewedDigest(gh, "gcp-staging", MERGE, "github-actions[bot]")).rejects.toThrow("gcp-staging: no reviewed plan: the last plan of it on pull request #7 failed");
    github.comments[1].body = planComment("gcp-staging", { head: "c".repeat(40), digest }, "Plan: 1 to add");
    await expect(reviewedDigest(gh, "gcp-staging", MERGE, "github-actions[bot]")).rejects.toThrow("gcp-staging: the plan on pull request #7 was made for cccccccccccc, but the pull request merged aaaaaaaaaaaa");
    github.comments[1].body = planComment("gcp-staging", { head: HEAD, digest }, "Plan: 1 to add");
    await expect(reviewedDigest(gh, "gcp-staging", MERGE, "github-actions[bot]")).resolves.toBe(digest);
  });

  test("GitHub's refusals and unreachable APIs are named with the call", async () => {
    await expect(new GitHub("o/r", { GH_TOKEN: "wrong", GITHUB_API_URL: github.url }).comments(7)).rejects.toThrow(`GET ${github.url}/repos/o/r/issues/7/comments?per_page=100&page=1: GitHub answered 401`);
    const closed = `http://127.0.0.1:${await freePort()}`;
    await expect(new GitHub("o/r", { GH_TOKEN: "token", GITHUB_API_URL: closed }).comments(7)).rejects.toThrow(`GET ${closed}/repos/o/r/issues/7/comments?per_page=100&page=1: connect ECONNREFUSED`);
    expect(() => new GitHub("o/r", {})).toThrow("no GitHub token: set GH_TOKEN");
    expect(() => new GitHub("not a repo", { GH_TOKEN: "t" })).toThrow('repository "not a repo": must be <owner>/<name> (GITHUB_REPOSITORY)');
  });
});

test("a stack with local state is refused for CI, naming the configuration field to set", () => {
  const stack = (name: string, backend: object | undefined) => {
    const dir = path.join(tempDir("remote-"), name);
    mkdirSync(dir);
    writeFileSync(path.join(dir, "cdk.tf.json"), JSON.stringify({ terraform: backend ? { backend } : {} }));
    return dir;
  };
  expect(localStateProblem(stack("gcp-staging", { gcs: { bucket: "b" } }))).toBeUndefined();
  expect(localStateProblem(stack("scaleway-qa", { s3: { bucket: "b" } }))).toBeUndefined();
  expect(localStateProblem(stack("gcp-qa", { local: { path: "x" } }))).toBe(
    'gcp-qa: its state is local (backend local), and this CI runner loses it when the job ends; the next run would create everything again. Set environments.qa.gcp.state.bucket in config/environments.json (docs/state.md) and synthesize again',
  );
  expect(localStateProblem(stack("scaleway-qa", undefined))).toContain("its state is local (no backend)");
  expect(localStateProblem(stack("state-scaleway-qa", { local: { path: "x" } }))).toContain('Set environments.qa.scaleway.state.bootstrap = "bucket"');
  expect(localStateProblem(path.join(tempDir("remote-"), "gcp-none"))).toMatch(/cdk\.tf\.json: missing; run npm run synth first$/);
});
