// The digest of a plan's changes: what a reviewer saw on the pull request, and what the apply on
// merge must find again before it applies (docs: "Apply exactly what was reviewed"). It covers
// every resource and output change, imports included, and no unchanged resource. Sensitive values
// are left out of it (a digest of a short secret could be guessed back), but whether each one
// changes is in it: a rotated password or AUTH string still changes the digest.
import { createHash } from "crypto";
import { Change, Plan } from "../plan-json";

const MASK = "(sensitive)";

/** `sha256:<hex>` of the plan's changes. */
export function planDigest(plan: Plan): string {
  const changed = (c: Change) => !c.actions.every((a) => a === "no-op");
  const resources = (plan.resource_changes ?? [])
    .filter((r) => changed(r.change) || r.change.importing)
    .map((r) => ({ address: r.address, change: summary(r.change) }))
    .sort((a, b) => (a.address < b.address ? -1 : 1));
  const outputs = Object.entries(plan.output_changes ?? {})
    .filter(([, c]) => changed(c))
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([name, c]) => ({ name, change: summary(c) }));
  return `sha256:${createHash("sha256").update(canonical({ resources, outputs })).digest("hex")}`;
}

function summary(change: Change) {
  const before = split(change.before, change.before_sensitive);
  const after = split(change.after, change.after_sensitive);
  return {
    actions: change.actions,
    before: before.shown,
    after: after.shown,
    after_unknown: change.after_unknown ?? null,
    importing: change.importing ?? null,
    sensitive_changed: canonical(before.hidden) !== canonical(after.hidden),
  };
}

/** A value with its sensitive parts masked, and those parts by path. */
function split(value: unknown, sensitive: unknown, at = "", hidden: Record<string, unknown> = {}): { shown: unknown; hidden: Record<string, unknown> } {
  if (sensitive === true) {
    hidden[at] = value ?? null;
    return { shown: MASK, hidden };
  }
  if (value && typeof value === "object" && sensitive && typeof sensitive === "object") {
    const marks = sensitive as Record<string, unknown>;
    const shown = Array.isArray(value)
      ? value.map((v, i) => split(v, marks[i], `${at}[${i}]`, hidden).shown)
      : Object.fromEntries(Object.entries(value).map(([k, v]) => [k, split(v, marks[k], `${at}.${k}`, hidden).shown]));
    return { shown, hidden };
  }
  return { shown: value ?? null, hidden };
}

/** JSON with object keys sorted, so equal plans give equal text. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (value && typeof value === "object") {
    return `{${Object.keys(value).sort().map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`).join(",")}}`;
  }
  return JSON.stringify(value ?? null);
}
