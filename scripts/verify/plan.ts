// Real tier: compares two `terraform show -json` plans and their resource graphs.
import { Plan } from "../plan-json";
import { diffValues, Difference } from "./compare";

const baseAddress = (address: string) => address.replace(/\[[^\]]*\]$/, "");

const THROUGH_LOCALS = "(through locals)";

interface References {
  readonly byPath: Record<string, string[] | typeof THROUGH_LOCALS>;
  readonly blocks: Set<string>;
}

/** What the real tier compares of one side's plan. */
export interface PlanSummary {
  readonly resources: Record<string, Record<string, unknown>>;
  readonly outputs: Record<string, Record<string, unknown>>;
  readonly configuration: Record<string, { depends_on: string[]; references: References }>;
  readonly waitsFor: Record<string, string[]>;
}

/**
 * `byPath`: attribute path -> resource references (variables are evaluated on one side, so left
 * out; references through a local are marked, since the JSON does not say what the local reads).
 * `blocks`: every nested block's path. Terraform's configuration JSON leaves out the blocks a
 * `dynamic` generates, and a path under a block one side lacks cannot be compared.
 */
function references(expressions: object): References {
  const byPath: References["byPath"] = {};
  const blocks = new Set<string>();
  const walk = (node: unknown, path: string) => {
    if (Array.isArray(node)) {
      node.forEach((item, i) => {
        blocks.add(`${path}[${i}]`);
        walk(item, `${path}[${i}]`);
      });
    } else if (node && typeof node === "object") {
      if (!("references" in node) || !Array.isArray(node.references)) {
        for (const [key, value] of Object.entries(node)) walk(value, path ? `${path}.${key}` : key);
        return;
      }
      const refs = (node.references as string[]).filter((r) => !r.startsWith("var."));
      if (refs.some((r) => r.startsWith("local."))) byPath[path] = THROUGH_LOCALS;
      else if (refs.length) byPath[path] = [...refs].sort();
    }
  };
  walk(expressions, "");
  return { byPath, blocks };
}

const parentBlock = (path: string) => path.slice(0, path.lastIndexOf("]") + 1);

/**
 * A graph node's address: OpenTofu writes `[root] type.name (expand)`, Terraform `type.name`.
 * `(close)` nodes stay distinct: a provider's close node waits for every resource using it.
 */
const nodeAddress = (node: string) => node.replace(/^\[root\] /, "").replace(/ \(expand\)$/, "");

/**
 * Which resources each resource waits for, directly or through variables, locals and providers,
 * from `terraform graph`'s DOT. A graph that links none of several resources is refused rather
 * than compared: an unread graph must not pass as "no edges on either side".
 */
function closure(dot: string, present: Set<string>): Record<string, string[]> {
  const direct = new Map<string, Set<string>>();
  for (const [, rawFrom, rawTo] of dot.matchAll(/"((?:[^"\\]|\\.)+)" -> "((?:[^"\\]|\\.)+)"/g)) {
    const [from, to] = [nodeAddress(rawFrom), nodeAddress(rawTo)];
    if (!direct.has(from)) direct.set(from, new Set());
    direct.get(from)!.add(to);
  }
  if (present.size > 1 && ![...present].some((node) => direct.has(node))) {
    throw new Error(`the dependency graph names none of the planned resources (${[...present].join(", ")})`);
  }
  const result: Record<string, string[]> = {};
  for (const node of [...present].sort()) {
    const seen = new Set<string>();
    const stack = [...(direct.get(node) ?? [])];
    while (stack.length) {
      const next = stack.pop()!;
      if (seen.has(next)) continue;
      seen.add(next);
      stack.push(...(direct.get(next) ?? []));
    }
    result[node] = [...seen].filter((n) => present.has(n)).sort();
  }
  return result;
}

export function summarize(plan: Plan, graph: string): PlanSummary {
  const resources: PlanSummary["resources"] = {};
  for (const rc of plan.resource_changes ?? []) {
    const { actions, after, after_unknown, after_sensitive } = rc.change;
    resources[rc.address] = { actions, after, after_unknown, after_sensitive };
  }
  const outputs: PlanSummary["outputs"] = {};
  for (const [name, oc] of Object.entries(plan.output_changes ?? {})) {
    outputs[name] = { after: oc.after, after_unknown: oc.after_unknown, after_sensitive: oc.after_sensitive };
  }
  const present = new Set(Object.keys(resources).map(baseAddress));
  const configuration: PlanSummary["configuration"] = {};
  for (const r of plan.configuration?.root_module?.resources ?? []) {
    if (!present.has(r.address)) continue;
    // depends_on a resource with count = 0 orders nothing: left out, as Terraform does.
    const dependsOn = (r.depends_on ?? []).filter((address) => present.has(address));
    configuration[r.address] = { depends_on: dependsOn.sort(), references: references(r.expressions ?? {}) };
  }
  return { resources, outputs, configuration, waitsFor: closure(graph, present) };
}

type Configured = PlanSummary["configuration"][string];

/**
 * The references of `side` that `other` can be compared on: not built through a local on either
 * side (the graph edges compare those), and not under a block only one side shows.
 */
function comparableReferences(side: Configured | undefined, other: Configured | undefined) {
  if (!side) return undefined;
  const comparable = (path: string) =>
    [side, other].every((s) => s?.references.byPath[path] !== THROUGH_LOCALS) &&
    [side, other].every((s) => !parentBlock(path) || s?.references.blocks.has(parentBlock(path)));
  return Object.fromEntries(Object.entries(side.references.byPath).filter(([path]) => comparable(path)));
}

/** Differences between the reference's plan and the stack's, as { address, path, reference, stack }. */
export function comparePlans(reference: PlanSummary, stack: PlanSummary): Difference[] {
  const out: Difference[] = [];
  const pairs = <T>(left: Record<string, T>, right: Record<string, T>) =>
    [...new Set([...Object.keys(left), ...Object.keys(right)])].sort().map((k) => [k, left[k], right[k]] as const);
  for (const [address, left, right] of pairs(reference.resources, stack.resources)) diffValues(left, right, address, "", out);
  for (const [name, left, right] of pairs(reference.outputs, stack.outputs)) diffValues(left, right, `output.${name}`, "", out);
  for (const [address, left, right] of pairs(reference.configuration, stack.configuration)) {
    diffValues(left?.depends_on, right?.depends_on, address, "depends_on", out);
    diffValues(comparableReferences(left, right), comparableReferences(right, left), address, "references", out);
  }
  for (const [address, left, right] of pairs(reference.waitsFor, stack.waitsFor)) diffValues(left, right, address, "waits_for", out);
  return out;
}

/** Every address of a plan: `type.name` (instances' indices left out) and `output.name`. */
export function planAddresses(summary: PlanSummary): string[] {
  return [...new Set([...Object.keys(summary.resources).map(baseAddress), ...Object.keys(summary.outputs).map((name) => `output.${name}`)])];
}

/**
 * A plan without the resources and outputs at `addresses`. What the remaining resources wait for
 * is kept whole: a resource of the reference that waits for one beyond it is a difference.
 */
export function planWithout(summary: PlanSummary, addresses: Iterable<string>): PlanSummary {
  const gone = new Set(addresses);
  const keep = <T>(record: Record<string, T>, address: (key: string) => string) => Object.fromEntries(Object.entries(record).filter(([key]) => !gone.has(address(key))));
  return {
    resources: keep(summary.resources, baseAddress),
    outputs: keep(summary.outputs, (name) => `output.${name}`),
    configuration: keep(summary.configuration, (address) => address),
    waitsFor: keep(summary.waitsFor, (address) => address),
  };
}
