// Real tier: compares two `terraform show -json` plans and their resource graphs.
const { diffValues } = require("./compare");

const baseAddress = (address) => address.replace(/\[[^\]]*\]$/, "");

const THROUGH_LOCALS = "(through locals)";

/**
 * `byPath`: attribute path -> resource references (variables are evaluated on one side, so left
 * out; references through a local are marked, since the JSON does not say what the local reads).
 * `blocks`: every nested block's path. Terraform's configuration JSON leaves out the blocks a
 * `dynamic` generates, and a path under a block one side lacks cannot be compared.
 */
function references(expressions) {
  const byPath = {};
  const blocks = new Set();
  const walk = (node, path) => {
    if (Array.isArray(node)) {
      node.forEach((item, i) => {
        blocks.add(`${path}[${i}]`);
        walk(item, `${path}[${i}]`);
      });
    } else if (node && typeof node === "object") {
      if (!Array.isArray(node.references)) {
        for (const [key, value] of Object.entries(node)) walk(value, path ? `${path}.${key}` : key);
        return;
      }
      const refs = node.references.filter((r) => !r.startsWith("var."));
      if (refs.some((r) => r.startsWith("local."))) byPath[path] = THROUGH_LOCALS;
      else if (refs.length) byPath[path] = [...refs].sort();
    }
  };
  walk(expressions, "");
  return { byPath, blocks };
}

const parentBlock = (path) => path.slice(0, path.lastIndexOf("]") + 1);

/**
 * A graph node's address: OpenTofu writes `[root] type.name (expand)`, Terraform `type.name`.
 * `(close)` nodes stay distinct: a provider's close node waits for every resource using it.
 */
const nodeAddress = (node) => node.replace(/^\[root\] /, "").replace(/ \(expand\)$/, "");

/**
 * Which resources each resource waits for, directly or through variables, locals and providers,
 * from `terraform graph`'s DOT. A graph that links none of several resources is refused rather
 * than compared: an unread graph must not pass as "no edges on either side".
 */
function closure(dot, present) {
  const direct = new Map();
  for (const [, rawFrom, rawTo] of dot.matchAll(/"((?:[^"\\]|\\.)+)" -> "((?:[^"\\]|\\.)+)"/g)) {
    const [from, to] = [nodeAddress(rawFrom), nodeAddress(rawTo)];
    if (!direct.has(from)) direct.set(from, new Set());
    direct.get(from).add(to);
  }
  if (present.size > 1 && ![...present].some((node) => direct.has(node))) {
    throw new Error(`the dependency graph names none of the planned resources (${[...present].join(", ")})`);
  }
  const result = {};
  for (const node of [...present].sort()) {
    const seen = new Set();
    const stack = [...(direct.get(node) ?? [])];
    while (stack.length) {
      const next = stack.pop();
      if (seen.has(next)) continue;
      seen.add(next);
      stack.push(...(direct.get(next) ?? []));
    }
    result[node] = [...seen].filter((n) => present.has(n)).sort();
  }
  return result;
}

function summarize(plan, graph) {
  const resources = {};
  for (const rc of plan.resource_changes ?? []) {
    const { actions, after, after_unknown, after_sensitive } = rc.change;
    resources[rc.address] = { actions, after, after_unknown, after_sensitive };
  }
  const outputs = {};
  for (const [name, oc] of Object.entries(plan.output_changes ?? {})) {
    outputs[name] = { after: oc.after, after_unknown: oc.after_unknown, after_sensitive: oc.after_sensitive };
  }
  const present = new Set(Object.keys(resources).map(baseAddress));
  const configuration = {};
  for (const r of plan.configuration?.root_module?.resources ?? []) {
    if (!present.has(r.address)) continue;
    // depends_on a resource with count = 0 orders nothing: left out, as Terraform does.
    const dependsOn = (r.depends_on ?? []).filter((address) => present.has(address));
    configuration[r.address] = { depends_on: dependsOn.sort(), references: references(r.expressions ?? {}) };
  }
  return { resources, outputs, configuration, waitsFor: closure(graph, present) };
}

/**
 * The references of `side` that `other` can be compared on: not built through a local on either
 * side (the graph edges compare those), and not under a block only one side shows.
 */
function comparableReferences(side, other) {
  if (!side) return undefined;
  const comparable = (path) =>
    [side, other].every((s) => s?.references.byPath[path] !== THROUGH_LOCALS) &&
    [side, other].every((s) => !parentBlock(path) || s?.references.blocks.has(parentBlock(path)));
  return Object.fromEntries(Object.entries(side.references.byPath).filter(([path]) => comparable(path)));
}

/** Differences between the reference's plan and the stack's, as { address, path, reference, stack }. */
function comparePlans(reference, stack) {
  const out = [];
  const pairs = (left, right) => [...new Set([...Object.keys(left), ...Object.keys(right)])].sort().map((k) => [k, left[k], right[k]]);
  for (const [address, left, right] of pairs(reference.resources, stack.resources)) diffValues(left, right, address, "", out);
  for (const [name, left, right] of pairs(reference.outputs, stack.outputs)) diffValues(left, right, `output.${name}`, "", out);
  for (const [address, left, right] of pairs(reference.configuration, stack.configuration)) {
    diffValues(left?.depends_on, right?.depends_on, address, "depends_on", out);
    diffValues(comparableReferences(left, right), comparableReferences(right, left), address, "references", out);
  }
  for (const [address, left, right] of pairs(reference.waitsFor, stack.waitsFor)) diffValues(left, right, address, "waits_for", out);
  return out;
}

module.exports = { summarize, comparePlans };
