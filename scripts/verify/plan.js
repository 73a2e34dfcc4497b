// Real tier: compares two `terraform show -json` plans and their resource graphs.
const { diffValues } = require("./compare");

const baseAddress = (address) => address.replace(/\[[^\]]*\]$/, "");

/**
 * attribute path -> resource references (variables are evaluated on one side, so left out).
 * `blocks` collects every nested block's path: Terraform's configuration JSON leaves out blocks a
 * `dynamic` generates, and a path under a block one side lacks cannot be compared.
 */
function references(expressions, path = "", out = {}, blocks = new Set()) {
  if (Array.isArray(expressions)) {
    expressions.forEach((e, i) => { blocks.add(`${path}[${i}]`); references(e, `${path}[${i}]`, out, blocks); });
  } else if (expressions && typeof expressions === "object") {
    if (Array.isArray(expressions.references)) {
      const refs = expressions.references.filter((r) => !r.startsWith("var."));
      if (refs.some((r) => r.startsWith("local."))) out[path] = "(through locals: compared as graph edges)";
      else if (refs.length) out[path] = [...refs].sort();
    } else {
      for (const [key, value] of Object.entries(expressions)) references(value, path ? `${path}.${key}` : key, out, blocks);
    }
  }
  Object.defineProperty(out, "blocks", { value: blocks, enumerable: false });
  return out;
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

/** Differences between the reference's plan and the stack's, as { address, path, reference, stack }. */
function comparePlans(reference, stack) {
  const out = [];
  const pairs = (left, right) => [...new Set([...Object.keys(left), ...Object.keys(right)])].sort().map((k) => [k, left[k], right[k]]);
  for (const [address, left, right] of pairs(reference.resources, stack.resources)) diffValues(left, right, address, "", out);
  for (const [name, left, right] of pairs(reference.outputs, stack.outputs)) diffValues(left, right, `output.${name}`, "", out);
  for (const [address, left, right] of pairs(reference.configuration, stack.configuration)) {
    const bothHave = (path) => [left, right].every((side) => !parentBlock(path) || side?.references.blocks.has(parentBlock(path)));
    const refs = (side) => side && Object.fromEntries(Object.entries(side.references).filter(([path, v]) => Array.isArray(v) && bothHave(path)));
    // An attribute the reference builds through a local is checked by the graph edges instead.
    const throughLocals = Object.keys(left?.references ?? {}).filter((k) => !Array.isArray(left.references[k]));
    const stackRefs = refs(right);
    throughLocals.forEach((k) => stackRefs && delete stackRefs[k]);
    diffValues(left?.depends_on, right?.depends_on, address, "depends_on", out);
    diffValues(refs(left), stackRefs, address, "references", out);
  }
  for (const [address, left, right] of pairs(reference.waitsFor, stack.waitsFor)) diffValues(left, right, address, "waits_for", out);
  return out;
}

module.exports = { summarize, comparePlans };
