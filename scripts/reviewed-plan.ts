// `npm run reviewed-plan -- --stack <stack> [--sha <merge commit>]`: the digest of the plan
// reviewed for this stack on the pull request that a commit on main merged (GITHUB_SHA by
// default), as its plan comment records it. The apply on merge passes it to scripts/plan.sh,
// which applies only a plan with the same changes. Fails, naming the stack and what to do, when
// the commit came from no pull request, the stack's plan is missing or failed, or the plan was
// made for another commit than the one merged.
import { parseOptions } from "./args";
import { planMarker, reviewedPlanOf } from "./review/comment";
import { GitHub } from "./review/github";

const USAGE = "npm run reviewed-plan -- --stack <stack> [--sha <merge commit>] [--author <login>]";
const AGAIN = "open a pull request with this change (or push to it again) so the plan runs on the code being merged, review it, and merge";

export async function main(argv: string[]): Promise<number> {
  try {
    const { values: o } = parseOptions({ args: argv, options: { stack: { type: "string" }, sha: { type: "string" }, author: { type: "string" } } }, USAGE);
    if (!o.stack) throw new Error(`--stack is required; usage: ${USAGE}`);
    const sha = o.sha ?? process.env.GITHUB_SHA ?? "";
    if (!/^[0-9a-f]{40}$/.test(sha)) throw new Error(`--sha ${JSON.stringify(sha)}: must be a full commit SHA (or set GITHUB_SHA); usage: ${USAGE}`);
    console.log(await reviewedDigest(new GitHub(process.env.GITHUB_REPOSITORY ?? ""), o.stack, sha, o.author ?? "github-actions[bot]"));
    return 0;
  } catch (error) {
    console.error(`reviewed-plan: ${(error as Error).message}`);
    return 1;
  }
}

export async function reviewedDigest(github: GitHub, stack: string, sha: string, author: string): Promise<string> {
  const pr = (await github.pullsOf(sha)).find((p) => p.merge_commit_sha === sha && p.merged_at);
  if (!pr) throw new Error(`${stack}: no reviewed plan: ${sha} was not merged from a pull request, so nobody reviewed a plan of it; ${AGAIN}`);
  const marker = planMarker(stack);
  const comment = (await github.comments(pr.number)).find((c) => c.user.login === author && c.body.startsWith(marker));
  if (!comment) throw new Error(`${stack}: no reviewed plan: pull request #${pr.number} has no plan comment of this stack by ${author}; ${AGAIN}`);
  const reviewed = reviewedPlanOf(comment.body);
  if (!reviewed) throw new Error(`${stack}: no reviewed plan: the last plan of it on pull request #${pr.number} failed; ${AGAIN}`);
  if (reviewed.head !== pr.head.sha) {
    throw new Error(`${stack}: the plan on pull request #${pr.number} was made for ${reviewed.head.slice(0, 12)}, but the pull request merged ${pr.head.sha.slice(0, 12)}: the merged code's plan was never shown; ${AGAIN}`);
  }
  return reviewed.digest;
}
