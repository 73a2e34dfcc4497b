// Structural comparison shared by both tiers: differences as { address, path, reference, stack }.
import { TerraformJson, isObject, Value } from "./reference";

export interface Difference {
  readonly address: string;
  readonly path: string;
  readonly reference: unknown;
  readonly stack: unknown;
}

/** A difference reference/deviations.json declares, for one stack (or "*") and tier (or "both"). */
export interface Deviation {
  readonly stack: string;
  readonly tier: string;
  readonly address: string;
  readonly path: string;
  readonly reason: string;
}

type Segment = { literal: string; expr?: undefined } | { expr: string; literal?: undefined };

/** Splits a template into literal text and the source of each `${...}`, honouring nesting and quotes. */
function segments(template: string): Segment[] {
  const parts: Segment[] = [];
  let i = 0;
  let literal = "";
  while (i < template.length) {
    if (template.startsWith("${", i)) {
      const end = closingBrace(template, i + 2);
      if (literal) parts.push({ literal });
      literal = "";
      parts.push({ expr: template.slice(i + 2, end).trim() });
      i = end + 1;
    } else {
      literal += template[i++];
    }
  }
  if (literal) parts.push({ literal });
  return parts;
}

function closingBrace(text: string, from: number): number {
  let depth = 0;
  for (let i = from; i < text.length; i++) {
    const c = text[i];
    if (c === '"') i = closingQuote(text, i);
    else if ("([{".includes(c)) depth++;
    else if (")]".includes(c)) depth--;
    else if (c === "}") {
      if (depth === 0) return i;
      depth--;
    }
  }
  throw new Error(`unterminated interpolation in ${JSON.stringify(text)}`);
}

function closingQuote(text: string, open: number): number {
  for (let i = open + 1; i < text.length; i++) {
    if (text[i] === "\\") i++;
    else if (text.startsWith("${", i)) i = closingBrace(text, i + 2);
    else if (text[i] === '"') return i;
  }
  throw new Error(`unterminated string in ${JSON.stringify(text)}`);
}

/** `x.0.y` and `x[0].y` are the same index; cdktf writes the first, people the second. */
function normalizeExpression(text: string): string {
  return segments(text)
    .map((p) => (p.literal !== undefined ? p.literal : `\${${p.expr.replace(/\.(\d+)(?=$|[.\s,)\]])/g, "[$1]")}}`))
    .join("");
}

/**
 * One spelling for what Terraform treats as equal: a block given as an object or as a one-item
 * list, null and absent attributes.
 */
export function normalize(value: Value): Value {
  if (typeof value === "string") return value.includes("${") ? normalizeExpression(value) : value;
  if (Array.isArray(value)) {
    if (value.length === 1 && isObject(value[0])) return normalize(value[0]);
    return value.map(normalize);
  }
  if (isObject(value)) {
    const out: Record<string, Value> = {};
    for (const key of Object.keys(value).sort()) {
      if (key === "//" || value[key] === null) continue;
      // depends_on and ignore_changes hold bare names; hcl2json wraps them in ${...}.
      out[key] = key === "depends_on" || key === "ignore_changes" ? value[key].map((a: string) => a.replace(/^\$\{(.*)\}$/, "$1")) : normalize(value[key]);
    }
    return out;
  }
  return value;
}

export function diffValues(reference: Value, stack: Value, address: string, path: string, out: Difference[]): Difference[] {
  if (isObject(reference) && isObject(stack)) {
    for (const key of [...new Set([...Object.keys(reference), ...Object.keys(stack)])].sort()) {
      diffValues(reference[key], stack[key], address, path ? `${path}.${key}` : key, out);
    }
  } else if (Array.isArray(reference) && Array.isArray(stack) && reference.length === stack.length) {
    reference.forEach((item, i) => diffValues(item, stack[i], address, `${path}[${i}]`, out));
  } else if (JSON.stringify(reference) !== JSON.stringify(stack)) {
    out.push({ address, path, reference, stack });
  }
  return out;
}

function requiredProviders(stack: TerraformJson): Record<string, { source: string; version: string }> {
  const providers: Record<string, { source: string; version: string }> = stack.terraform?.required_providers ?? {};
  return Object.fromEntries(Object.entries(providers).map(([name, p]) => [name, {
    source: p.source.includes("/") ? p.source : `hashicorp/${p.source}`,
    version: p.version,
  }]));
}

/** The sections whose items carry an address: resources (`type.name`), outputs and variables. */
const ADDRESSED = [["resource", 2], ["output", 1], ["variable", 1]] as const;

/** Every address of a configuration: `type.name`, `output.name`, `variable.name`. */
export function configAddresses(config: TerraformJson): string[] {
  return ADDRESSED.flatMap(([section, depth]) => entries(config[section] ?? {}, {}, depth, section).map(([address]) => address));
}

/** A copy of `config` without the items at `addresses`. */
export function withoutAddresses(config: TerraformJson, addresses: Iterable<string>): TerraformJson {
  const copy = structuredClone(config);
  for (const address of addresses) {
    const [head, name] = [address.slice(0, address.indexOf(".")), address.slice(address.indexOf(".") + 1)];
    const section = head === "output" || head === "variable" ? copy[head] : copy.resource?.[head];
    if (section) delete section[name];
    if (copy.resource?.[head] && !Object.keys(copy.resource[head]).length) delete copy.resource[head];
  }
  return copy;
}

/** Fast tier: an evaluated reference against a synthesized cdk.tf.json. */
export function compareConfigs(reference: TerraformJson, stack: TerraformJson): Difference[] {
  const out: Difference[] = [];
  const [ref, syn] = [reference, stack].map((side) => {
    const normalized = normalize(side);
    // `sensitive = false` is the default: some writers spell it, some do not.
    for (const output of Object.values<TerraformJson>(normalized.output ?? {})) if (output.sensitive === false) delete output.sensitive;
    return normalized;
  });
  for (const [section, depth] of [["resource", 2], ["output", 1], ["provider", 1], ["variable", 1]] as const) {
    for (const [address, left, right] of entries(ref[section] ?? {}, syn[section] ?? {}, depth, section)) {
      diffValues(left, right, address, "", out);
    }
  }
  diffValues(requiredProviders(reference), requiredProviders(stack), "terraform.required_providers", "", out);
  diffValues(reference.terraform?.required_version, stack.terraform?.required_version, "terraform.required_version", "", out);
  return out;
}

/** Pairs the items of two sections by address; a missing side is undefined. */
function entries(reference: TerraformJson, stack: TerraformJson, depth: number, section: string): [string, Value, Value][] {
  const addresses = new Map<string, [Value, Value]>();
  const walk = (tree: TerraformJson, side: 0 | 1, prefix: string, level: number) => {
    for (const [key, value] of Object.entries(tree)) {
      const address = prefix ? `${prefix}.${key}` : key;
      if (level > 1) walk(value, side, address, level - 1);
      else {
        const pair = addresses.get(address) ?? [undefined, undefined];
        pair[side] = value;
        addresses.set(address, pair);
      }
    }
  };
  walk(reference, 0, section === "resource" ? "" : section, depth);
  walk(stack, 1, section === "resource" ? "" : section, depth);
  return [...addresses.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([address, [ref, syn]]) => [address, ref, syn]);
}

const show = (v: unknown) => (v === undefined ? "(absent)" : JSON.stringify(v));

/** The differences, then the stack's addresses neither the reference nor reference/beyond.json has. */
export function formatDifferences(title: string, differences: Difference[], unlisted: string[] = []): string {
  const lines = [`${title}: ${differences.length + unlisted.length} difference(s)`];
  for (const d of differences) lines.push(`  ~ ${d.address}${d.path ? ` ${d.path}` : ""}\n      reference: ${show(d.reference)}\n      stack:     ${show(d.stack)}`);
  for (const address of unlisted) lines.push(`  + ${address}: only in the stack, and not in reference/beyond.json (list it there with its reason, or add it to reference/)`);
  return lines.join("\n");
}

/**
 * Splits differences into undeclared ones (failures) and those reference/deviations.json declares
 * for this stack and tier; a declaration nothing matched is stale and also fails.
 */
export function applyDeviations(stack: string, tier: string, differences: Difference[], declarations: Deviation[]) {
  const applies = (d: Deviation) => (d.stack === "*" || d.stack === stack) && (d.tier === "both" || d.tier === tier);
  const mine = declarations.filter(applies);
  const matches = (decl: Deviation, diff: Difference) => decl.address === diff.address && decl.path === diff.path;
  return {
    undeclared: differences.filter((diff) => !mine.some((decl) => matches(decl, diff))),
    declared: mine.filter((decl) => differences.some((diff) => matches(decl, diff))),
    stale: mine.filter((decl) => !differences.some((diff) => matches(decl, diff))),
  };
}
