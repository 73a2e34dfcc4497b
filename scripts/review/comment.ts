// The pull-request comments the workflows keep, one per marker, edited in place: the synth diff,
// and each stack's plan. A plan comment carries the digest the apply on merge must find again
// (digest.ts); a failed plan replaces it with the failure, so no stale plan stays on show.

/** GitHub refuses a comment over 65,536 characters; the rest of the body stays under this. */
const MAX_TEXT = 60_000;

export const SYNTH_DIFF_MARKER = "<!-- synth-diff -->";
export const planMarker = (stack: string) => `<!-- plan:${stack} -->`;

/** The reviewed plan's line in a plan comment, which `reviewed-plan` reads back. */
const REVIEWED = /^<!-- reviewed-plan head=([0-9a-f]{40}) digest=(sha256:[0-9a-f]{64}) -->$/m;

export interface ReviewedPlan {
  /** The pull request's head commit the plan was made from. */
  readonly head: string;
  readonly digest: string;
}

/** A successful plan's comment: the summary line, the plan collapsed, and the digest. */
export function planComment(stack: string, reviewed: ReviewedPlan, text: string): string {
  if (!/^[0-9a-f]{40}$/.test(reviewed.head)) throw new Error(`head ${JSON.stringify(reviewed.head)}: must be a full commit SHA (40 hex digits)`);
  if (!/^sha256:[0-9a-f]{64}$/.test(reviewed.digest)) throw new Error(`digest ${JSON.stringify(reviewed.digest)}: must be sha256:<64 hex digits>, as plan-digest prints it`);
  const summary = /^(Plan:.*|No changes\..*)$/m.exec(text)?.[1] ?? "plan";
  return [
    planMarker(stack),
    `<!-- reviewed-plan head=${reviewed.head} digest=${reviewed.digest} -->`,
    `<details><summary><code>${stack}</code>: ${summary}</summary>`,
    "",
    fenced(text, "head"),
    "</details>",
    "",
    `Plan of \`${reviewed.head.slice(0, 12)}\`, digest \`${reviewed.digest.slice(0, 19)}…\`. On merge, this stack is applied only if its plan then has the same changes; otherwise the apply stops and asks for a new plan.`,
  ].join("\n");
}

/** A failed plan's comment, replacing the previous plan: the failure's tail, and no digest. */
export function failedPlanComment(stack: string, head: string, log: string): string {
  return [
    planMarker(stack),
    `**\`${stack}\`: the plan failed** at \`${head.slice(0, 12)}\`. Nothing of this stack is reviewed: a merge now would refuse to apply it.`,
    "",
    fenced(log, "tail"),
  ].join("\n");
}

/** The reviewed plan a plan comment records, or undefined (a failed plan, or another comment). */
export function reviewedPlanOf(body: string): ReviewedPlan | undefined {
  const match = REVIEWED.exec(body);
  return match ? { head: match[1], digest: match[2] } : undefined;
}

/** Text in a code block, cut to fit a comment at its head or its tail. */
function fenced(text: string, keep: "head" | "tail"): string {
  const cut = text.length <= MAX_TEXT ? text : keep === "head" ? `${text.slice(0, MAX_TEXT)}\n… (cut; the whole text is in the job summary)` : `… (cut)\n${text.slice(-MAX_TEXT)}`;
  return ["```", cut.replace(/```/g, "'''"), "```"].join("\n");
}
