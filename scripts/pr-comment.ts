// `npm run pr-comment -- --pr <n> (--synth-diff <file> | --stack <s> --head <sha> (--plan-text <file> --digest <file> | --failed <log>))`
// Keeps one comment per marker on a pull request, edited in place (review/comment.ts): the synth
// diff, and each stack's plan or its failure. The body also goes to the job summary.
import * as fs from "fs";
import { missing, userPath } from "../input/user-path";
import { parseOptions } from "./args";
import { failedPlanComment, planComment, planMarker, SYNTH_DIFF_MARKER } from "./review/comment";
import { GitHub } from "./review/github";

const USAGE = "npm run pr-comment -- --pr <number> (--synth-diff <file> | --stack <stack> --head <sha> (--plan-text <file> --digest <file> | --failed <log file>)) [--author <login>]";

export async function main(argv: string[]): Promise<number> {
  try {
    const { values: o } = parseOptions({
      args: argv,
      options: {
        pr: { type: "string" }, "synth-diff": { type: "string" }, stack: { type: "string" }, head: { type: "string" },
        "plan-text": { type: "string" }, digest: { type: "string" }, failed: { type: "string" }, author: { type: "string" },
      },
    }, USAGE);
    const pr = Number(o.pr);
    if (!Number.isInteger(pr) || pr < 1) throw new Error(`--pr ${JSON.stringify(o.pr ?? "")}: must be the pull request's number; usage: ${USAGE}`);
    const { marker, body } = comment(o);
    const github = new GitHub(process.env.GITHUB_REPOSITORY ?? "");
    const done = await github.upsertComment(pr, marker, body, o.author ?? "github-actions[bot]");
    if (process.env.GITHUB_STEP_SUMMARY) fs.appendFileSync(process.env.GITHUB_STEP_SUMMARY, `${body}\n`);
    console.log(`${done} ${marker} on #${pr}`);
    return 0;
  } catch (error) {
    console.error(`pr-comment: ${(error as Error).message}`);
    return 1;
  }
}

function comment(o: Record<string, string | undefined>): { marker: string; body: string } {
  if (o["synth-diff"] !== undefined) {
    if (o.stack) throw new Error(`--synth-diff and --stack: give one; usage: ${USAGE}`);
    return { marker: SYNTH_DIFF_MARKER, body: `${SYNTH_DIFF_MARKER}\n${read(o["synth-diff"], "--synth-diff")}` };
  }
  if (!o.stack || !o.head) throw new Error(`--stack and --head are required for a plan comment; usage: ${USAGE}`);
  const marker = planMarker(o.stack);
  if (o.failed !== undefined) return { marker, body: failedPlanComment(o.stack, o.head, read(o.failed, "--failed")) };
  if (o["plan-text"] === undefined || o.digest === undefined) throw new Error(`--plan-text and --digest (or --failed) are required for a plan comment; usage: ${USAGE}`);
  const digest = read(o.digest, "--digest").trim();
  return { marker, body: planComment(o.stack, { head: o.head, digest }, read(o["plan-text"], "--plan-text")) };
}

function read(file: string, option: string): string {
  const given = userPath(file, option);
  try {
    return fs.readFileSync(given.path, "utf8");
  } catch (error) {
    const e = error as NodeJS.ErrnoException;
    throw new Error(`${given.label}: ${e.code === "EISDIR" ? "is a directory, not a file" : missing(given, e, "file")}`);
  }
}
