// What a rehearsal's plan does to what is live: the summary, each change to an adopted resource
// attribute by attribute, and the verdict (an adopted resource replaced or destroyed fails).
import { Plan, ResourceChange } from "../plan-json";
import { TerraformJson } from "../verify/reference";

export interface Judgement {
  readonly summary: string;
  readonly adopted: { address: string; action: string; importing: boolean; attributes: string[] }[];
  readonly failures: string[];
}

/** The addresses a stack's import blocks adopt. */
export function importedAddresses(stack: TerraformJson): Set<string> {
  return new Set((stack.import ?? []).map((block: { to: string }) => block.to));
}

/** Adopted = imported by the stack's import blocks (the plan also marks them `importing`). */
function adoptedAddresses(stack: TerraformJson, plan: Plan): Set<string> {
  const adopted = importedAddresses(stack);
  for (const change of plan.resource_changes ?? []) if (change.change.importing) adopted.add(change.address);
  return adopted;
}

function counts(plan: Plan) {
  const n = { import: 0, add: 0, change: 0, destroy: 0 };
  for (const { change } of plan.resource_changes ?? []) {
    if (change.importing) n.import++;
    if (change.actions.includes("create")) n.add++;
    if (change.actions.includes("update")) n.change++;
    if (change.actions.includes("delete")) n.destroy++;
  }
  return n;
}

/** One attribute that differs between the live object (before) and the plan (after). */
export interface AttributeDiff {
  /** `labels.environment`, `tags[0]`, `liveness_probe[0].tcp`. */
  readonly path: string;
  readonly before: unknown;
  /** Undefined where `unknown` is set. */
  readonly after: unknown;
  /** The planned value is known only after apply. */
  readonly unknown: boolean;
  readonly beforeSensitive: boolean;
  readonly afterSensitive: boolean;
}

/** Every attribute that differs, walked down to the leaves that differ. */
export function attributeDiffs(change: ResourceChange): AttributeDiff[] {
  const diffs: AttributeDiff[] = [];
  const isObject = (v: unknown): v is Record<string, any> => v !== null && typeof v === "object";
  const walk = (before: any, after: any, unknown: any, beforeSensitive: any, afterSensitive: any, at: string): void => {
    if (unknown === true) {
      diffs.push({ path: at, before, after: undefined, unknown: true, beforeSensitive: beforeSensitive === true, afterSensitive: afterSensitive === true });
      return;
    }
    // A block or list that appears, or whose items are unknown, is walked as if it was empty.
    const shape = isObject(after) ? after : isObject(unknown) ? unknown : undefined;
    if (shape && (before == null || (isObject(before) && Array.isArray(before) === Array.isArray(shape)))) {
      const from = before ?? (Array.isArray(shape) ? [] : {});
      const to = after ?? (Array.isArray(shape) ? [] : {});
      const keys = new Set([...Object.keys(from), ...Object.keys(to), ...(isObject(unknown) ? Object.keys(unknown) : [])]);
      for (const key of keys) {
        const sub = (v: unknown) => (isObject(v) ? v[key] : v);
        walk(from[key], to[key], sub(unknown), sub(beforeSensitive), sub(afterSensitive), Array.isArray(shape) ? `${at}[${key}]` : at ? `${at}.${key}` : key);
      }
      return;
    }
    if (JSON.stringify(before) !== JSON.stringify(after) && !(before == null && after == null)) {
      diffs.push({ path: at, before, after, unknown: false, beforeSensitive: beforeSensitive === true, afterSensitive: afterSensitive === true });
    }
  };
  const { before, after, after_unknown: unknown, before_sensitive: bs, after_sensitive: as } = change.change;
  walk(before ?? {}, after ?? {}, unknown ?? {}, bs ?? {}, as ?? {}, "");
  return diffs;
}

/** How a value is shown: `(sensitive)`, `(unset)` or its JSON. */
export function shown(value: unknown, sensitive: boolean): string {
  return sensitive ? "(sensitive)" : value === undefined ? "(unset)" : JSON.stringify(value);
}

/** "path: before → after", secrets masked. */
export function diffLine(diff: AttributeDiff): string {
  return `${diff.path}: ${shown(diff.before, diff.beforeSensitive)} → ${diff.unknown ? "(known after apply)" : shown(diff.after, diff.afterSensitive)}`;
}

/** "path: before → after" for every attribute that differs, secrets masked. */
export function attributeChanges(change: ResourceChange): string[] {
  return attributeDiffs(change).map(diffLine);
}

const pathText = (path: (string | number)[]) => path.map((step) => (typeof step === "number" ? `[${step}]` : `.${step}`)).join("").replace(/^\./, "");

/**
 * { summary, adopted: [{ address, action, attributes }], failures: [text] }. A replacement or a
 * destroy of an adopted resource is a failure naming the attributes that force it.
 */
export function judgePlan(stack: TerraformJson, plan: Plan): Judgement {
  const adopted = adoptedAddresses(stack, plan);
  const n = counts(plan);
  const report: Judgement = { summary: `${n.import} to import, ${n.add} to add, ${n.change} to change, ${n.destroy} to destroy`, adopted: [], failures: [] };
  for (const change of plan.resource_changes ?? []) {
    if (!adopted.has(change.address)) continue;
    const { actions } = change.change;
    const action = actions.includes("delete") ? (actions.includes("create") ? "replace" : "destroy") : actions.includes("update") ? "update" : "no change";
    report.adopted.push({ address: change.address, action, importing: Boolean(change.change.importing), attributes: attributeChanges(change) });
    if (action === "replace") {
      const forced = (change.change.replace_paths ?? []).map(pathText);
      report.failures.push(`${change.address} would be replaced (its data lost): ${forced.length ? `${forced.join(", ")} forces replacement` : change.action_reason ?? "the provider forces a new resource"}`);
    } else if (action === "destroy") {
      report.failures.push(`${change.address} would be destroyed (${change.action_reason ?? "no longer in the configuration"})`);
    }
  }
  return report;
}
