import { mkdirSync, writeFileSync } from "fs";
import path from "path";
import { userPath } from "../../../input/user-path";
import { tempDir } from "../../helpers/helpers";
import { ROOT } from "../../helpers/helpers";

// The drift check's report and its refusals; __tests__/real/tools/drift.real.test.ts runs it against terraform.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { driftReport, issueBody, ISSUE_BODY_MAX, main, mergedResults, outputTail, synthesizedStacks } = require("../../../scripts/drift");

const RUN = "https://github.com/o/r/actions/runs/42";

function stacksDir(names: string[]): string {
  const dir = tempDir("drift-stacks-");
  for (const name of names) mkdirSync(path.join(dir, name));
  return dir;
}

describe("the issue body", () => {
  test("is the whole report and the link to the run when it fits", () => {
    expect(issueBody("| a | b |\n", RUN)).toBe(`| a | b |\n\n\n[The whole report, in the job summary of the run](${RUN})\n`);
  });

  test("is cut at a line to stay under GitHub's 65,536 characters, its open code block closed, the run linked", () => {
    const failure = ["## gcp-staging", "", "terraform plan exited 1; the end of its output:", "", "```text", ...Array.from({ length: 3000 }, (_, i) => `Error: line ${i} ${"x".repeat(40)}`), "```", ""].join("\n");
    const report = `${"- `google_redis_instance.main`\n".repeat(1000)}${failure}`;
    const body = issueBody(report, RUN);
    expect(report.length).toBeGreaterThan(65_536);
    expect(body.length).toBeLessThanOrEqual(ISSUE_BODY_MAX);
    expect(ISSUE_BODY_MAX).toBeLessThan(65_536);
    const [kept, note] = body.split("\n```\n\n");
    expect(report.startsWith(`${kept}\n`)).toBe(true);
    expect(note).toBe(`**Cut to fit an issue: the first ${kept.length} of ${report.length} characters.** [The whole report, in the job summary of the run](${RUN})\n`);
  });

  test("cut inside one long line keeps its start, and never half a surrogate pair", () => {
    // Two lengths: the cut falls between the halves of a pair in one of them.
    for (const shorter of [200, 201]) {
      const body = issueBody(`${"a".repeat(ISSUE_BODY_MAX - shorter)}${"😀".repeat(1000)}`, RUN);
      expect(body.length).toBeLessThanOrEqual(ISSUE_BODY_MAX);
      expect(body).toMatch(/^a+(😀)+\n\n\*\*Cut to fit an issue/u);
    }
  });
});

test("the report holds every stack: a table of outcomes, then drift and each failure with the end of its output", () => {
  const report = driftReport([
    { stack: "gcp-production", outcome: "clean" },
    { stack: "gcp-staging", outcome: "drifted", summary: "1 resource changed outside Terraform, 1 change to apply", details: "## gcp-staging\n\nChanged outside Terraform:\n" },
    { stack: "scaleway-production", outcome: "skipped", reason: "no credentials for its cloud (SCW_SECRET_KEY unset)" },
    { stack: "scaleway-staging", outcome: "failed", failure: "terraform plan exited 1", tail: "Error: 403" },
    { stack: "scaleway-test", outcome: "failed", failure: "terraform init was killed (SIGKILL)", tail: "" },
  ]);
  expect(report).toBe([
    "| Stack | Result |",
    "| --- | --- |",
    "| `gcp-production` | no drift, nothing to change |",
    "| `gcp-staging` | 1 resource changed outside Terraform, 1 change to apply |",
    "| `scaleway-production` | skipped: no credentials for its cloud (SCW_SECRET_KEY unset) |",
    "| `scaleway-staging` | failed: terraform plan exited 1 |",
    "| `scaleway-test` | failed: terraform init was killed (SIGKILL) |",
    "",
    "## gcp-staging\n\nChanged outside Terraform:\n",
    "## scaleway-staging",
    "",
    "terraform plan exited 1; the end of its output:",
    "",
    "```text",
    "Error: 403",
    "```",
    "",
    "## scaleway-test",
    "",
    "terraform init was killed (SIGKILL), printing nothing.",
    "",
  ].join("\n"));
});

test("a failure's output is cut to its last 20 lines, blank lines at either end dropped", () => {
  const output = Array.from({ length: 50 }, (_, i) => `  line ${i}`).join("\n");
  expect(outputTail(`${output}\n\n`)).toBe(Array.from({ length: 20 }, (_, i) => `  line ${i + 30}`).join("\n"));
  expect(outputTail("\n\nError: 403\n\n  with x\n")).toBe("Error: 403\n\n  with x");
});

describe("the stacks to check", () => {
  const stacks = stacksDir(["gcp-staging", "scaleway-staging"]);

  test("a run where no stack has credentials for its cloud fails, naming each stack and what is missing", () => {
    expect(() => synthesizedStacks(stacks, { SCW_ACCESS_KEY: "k", GOOGLE_CREDENTIALS: "" })).toThrow(
      "no stack could be checked: gcp-staging: no credentials for its cloud (none of GOOGLE_CREDENTIALS, GOOGLE_APPLICATION_CREDENTIALS, GOOGLE_OAUTH_ACCESS_TOKEN is set); scaleway-staging: no credentials for its cloud (SCW_SECRET_KEY unset)",
    );
  });

  test("a stack without credentials is skipped, and in the report, when another is checked", () => {
    const { planned, skipped } = synthesizedStacks(stacks, { GOOGLE_APPLICATION_CREDENTIALS: "/creds.json", GCP_BACKEND_IMAGE: "img" });
    expect(planned).toEqual([{ name: "gcp-staging", dir: path.join(stacks, "gcp-staging"), label: expect.stringMatching(/gcp-staging$/), image: "img" }]);
    expect(skipped).toEqual([{ stack: "scaleway-staging", outcome: "skipped", reason: "no credentials for its cloud (SCW_ACCESS_KEY and SCW_SECRET_KEY unset)" }]);
  });

  test("one job's --stack without credentials is a skipped result, which the merge of all results judges", () => {
    expect(synthesizedStacks(stacks, {}, ["scaleway-staging"])).toEqual({ planned: [], skipped: [expect.objectContaining({ stack: "scaleway-staging", outcome: "skipped" })] });
    expect(() => synthesizedStacks(stacks, {}, ["scaleway-qa"])).toThrow(`--stack scaleway-qa: not synthesized (${stacks} has gcp-staging, scaleway-staging)`);
  });

  test("nothing synthesized is an error, not a clean run", () => {
    expect(() => synthesizedStacks(stacksDir([]), {})).toThrow(/has no stacks: run npm run synth first$/);
  });
});

test("bad arguments are refused, naming the option, its value and the rule", () => {
  const errors: string[] = [];
  const spy = jest.spyOn(console, "error").mockImplementation((message: string) => void errors.push(message));
  try {
    expect([
      main(["--issue", "issue.md"]),
      main(["--report", "r.md", "--run-url", RUN]),
      main(["--issue", "issue.md", "--run-url", "ftp://x"]),
      main(["--dir", "/no/such/stack"]),
    ]).toEqual([1, 1, 1, 1]);
  } finally {
    spy.mockRestore();
  }
  expect(errors).toEqual([
    "drift: --issue issue.md: needs --run-url <url>, the run whose job summary holds the whole report",
    `drift: --run-url ${RUN}: only with --issue <file>`,
    "drift: --run-url ftp://x: must be an http(s) URL",
    "drift: --dir /no/such/stack: no such directory (nor is there /no/such)",
  ]);
});

describe("the merge of the per-stack jobs' results", () => {
  const drifted = { stack: "gcp-staging", outcome: "drifted", summary: "1 resource changed outside Terraform, 1 change to apply", details: "## gcp-staging\n\n- `google_redis_instance.main`\n  - memory_size_gb: 1 → 2\n" };
  const failed = { stack: "scaleway-staging", outcome: "failed", failure: "terraform plan exited 1", tail: "Error: 403 Forbidden" };

  function results(files: Record<string, unknown>): string {
    const dir = tempDir("drift-results-");
    for (const [file, body] of Object.entries(files)) {
      mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
      writeFileSync(path.join(dir, file), typeof body === "string" ? body : JSON.stringify(body));
    }
    return dir;
  }

  test("one stack drifted and another failed: both in one report; a stack whose job wrote nothing failed", () => {
    const dir = results({ "drift-gcp-staging/drift-gcp-staging.json": [drifted], "drift-scaleway-staging/drift-scaleway-staging.json": [failed] });
    const merged = mergedResults(userPath(dir), ["gcp-staging", "scaleway-staging", "gcp-production"]);
    expect(merged.map((r: any) => `${r.stack} ${r.outcome}`)).toEqual(["gcp-production failed", "gcp-staging drifted", "scaleway-staging failed"]);
    const report = driftReport(merged);
    expect(report).toContain("| `gcp-production` | failed: its check wrote no result (the job ended before the check; see its log) |");
    expect(report).toContain("memory_size_gb: 1 → 2");
    expect(report).toContain("Error: 403 Forbidden");
  });

  test("through the tool: drift and a failure exit 3, the issue body written; results of nobody's stack are ignored", () => {
    const stacks = require("../../../main").environmentStacks(require("../../../config/load").loadConfig(path.join(ROOT, "config", "environments.json")));
    const all = stacks.map((stack: string) => (stack === "gcp-staging" ? drifted : stack === "scaleway-staging" ? failed : { stack, outcome: "clean" }));
    const dir = results({ "a.json": all, "b.json": [{ stack: "gcp-nobody", outcome: "drifted", summary: "x", details: "x" }] });
    const out = tempDir("drift-out-");
    const log = jest.spyOn(console, "log").mockImplementation(() => {});
    try {
      expect(main(["--merge", dir, "--report", path.join(out, "drift.md"), "--issue", path.join(out, "issue.md"), "--run-url", RUN])).toBe(3);
    } finally {
      log.mockRestore();
    }
    const report = require("fs").readFileSync(path.join(out, "drift.md"), "utf8");
    expect(report).not.toContain("gcp-nobody");
    expect(require("fs").readFileSync(path.join(out, "issue.md"), "utf8")).toBe(`${report}\n\n[The whole report, in the job summary of the run](${RUN})\n`);
  });

  test("every stack skipped for want of credentials fails the merged run; results that are not drift results are refused", () => {
    const stacks = require("../../../main").environmentStacks(require("../../../config/load").loadConfig(path.join(ROOT, "config", "environments.json")));
    const errors: string[] = [];
    const spy = jest.spyOn(console, "error").mockImplementation((message: string) => void errors.push(message));
    try {
      expect(main(["--merge", results({ "a.json": stacks.map((stack: string) => ({ stack, outcome: "skipped", reason: "no credentials for its cloud" })) })])).toBe(1);
      expect(main(["--merge", results({ "a.json": "{not json" })])).toBe(1);
      expect(main(["--merge", results({ "a.json": { stack: "x" } })])).toBe(1);
      expect(main(["--merge", "/no/such/dir"])).toBe(1);
      expect(main(["--merge", results({}), "--stack", "gcp-staging"])).toBe(1);
    } finally {
      spy.mockRestore();
    }
    expect(errors[0]).toBe(`drift: no stack could be checked: ${[...stacks].sort().map((stack: string) => `${stack}: skipped: no credentials for its cloud`).join("; ")}`);
    expect(errors[1]).toMatch(/^drift: \S+a\.json: not JSON \(/);
    expect(errors[2]).toMatch(/^drift: \S+a\.json: not drift results \(a list of \{ stack, outcome: clean \| drifted \| failed \| skipped \} as --result writes\): the JSON is an object, not a list; it holds an object with stack$/);
    expect(errors.slice(3)).toEqual(["drift: --merge /no/such/dir: no such directory (nor is there /no/such)", "drift: --stack and --merge: give one of them"]);
  });
});
