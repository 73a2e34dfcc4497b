// Evaluates the hand-written reference (reference/<cloud>/*.tf with an environment's inputs, from
// scripts/verify/reference-inputs.ts) into the
// shape of a synthesized cdk.tf.json, without Terraform or providers: variables, locals,
// conditionals and `count` are evaluated; expressions over resources stay as `${...}` text.
// HashiCorp's own HCL parser (hcl2json: hclsyntax compiled to wasm) reads the files and each
// expression's syntax tree; this file only evaluates the trees. Anything it cannot evaluate is an
// error, never a guess.
import { getExpressionAst, parse, TFExpressionSyntaxTree as Tree } from "@cdktf/hcl2json";
import * as fs from "fs";
import * as path from "path";

/** Terraform configuration as JSON: hcl2json's output, or a synthesized cdk.tf.json. */
export type TerraformJson = Record<string, any>;
export type Value = any;
type Node = Tree.ExpressionType;

/** What the fast tier leaves to Terraform: an expression over resources or deploy-time variables. */
class Open {
  constructor(readonly node: Node) {}
}

export const isObject = (v: unknown): v is Record<string, any> => v !== null && typeof v === "object" && !Array.isArray(v);

/** A value that is known now: nothing open, and no string still holding `${...}` from a local. */
const known = (v: Value) => !(v instanceof Open) && !(typeof v === "string" && v.includes("${"));

async function parseDir(dir: string): Promise<TerraformJson> {
  const merged: TerraformJson = {};
  for (const file of fs.readdirSync(dir).filter((f) => f.endsWith(".tf")).sort()) {
    mergeInto(merged, await parse(file, fs.readFileSync(path.join(dir, file), "utf8")));
  }
  return merged;
}

function mergeInto(target: TerraformJson, source: TerraformJson): void {
  for (const [key, value] of Object.entries(source)) {
    if (Array.isArray(value) && Array.isArray(target[key])) target[key].push(...value);
    else if (isObject(value) && isObject(target[key])) mergeInto(target[key], value);
    else target[key] = value;
  }
}

/** Templates' syntax trees, kept for the next environment of the same reference. */
const trees = new Map<string, Node>();

/**
 * The syntax tree of every template (a string holding `${` or `%{`) in `values`, those not parsed
 * yet in one call: each is a heredoc in one tuple, which needs no escaping of the quotes and
 * newlines inside.
 */
async function syntaxTrees(values: Value[]): Promise<Map<string, Node>> {
  const templates = new Set<string>();
  const collect = (v: Value): void => {
    if (typeof v === "string" && /[$%]\{/.test(v) && !trees.has(v)) templates.add(v);
    else if (v !== null && typeof v === "object") Object.values(v).forEach(collect);
  };
  values.forEach(collect);
  if (templates.size) {
    const list = [...templates];
    const tuple = await getExpressionAst("reference", `[\n${list.map((t) => `<<EOT\n${t}\nEOT\n`).join(",\n")}]`);
    list.forEach((template, i) => trees.set(template, withoutHeredocNewline(tuple!.children[i])));
  }
  return trees;
}

/** A heredoc ends with a newline the string did not have. */
function withoutHeredocNewline(template: Node): Node {
  const last = template.children.at(-1);
  if (last && Tree.isLiteralValueExpression(last)) {
    const text = last.meta.value.slice(0, -1);
    const children = text ? [...template.children.slice(0, -1), { ...last, meta: { ...last.meta, value: text } }] : template.children.slice(0, -1);
    return { ...template, children };
  }
  return template;
}

class Evaluator {
  private readonly localValues: Record<string, Value> = {};

  constructor(
    private readonly trees: Map<string, Node>,
    private readonly vars: Record<string, Value>,
    private readonly locals: Record<string, Value>,
  ) {}

  /** A JSON value of the configuration, its templates evaluated; `scope` binds dynamic blocks' iterators. */
  value(v: Value, where: string, scope: Record<string, Value> = {}): Value {
    if (typeof v === "string") {
      const tree = this.trees.get(v);
      return tree ? this.render(this.template(tree, where, scope), where) : v;
    }
    if (Array.isArray(v)) return v.map((item, i) => this.value(item, `${where}[${i}]`, scope));
    if (isObject(v)) {
      const out: Record<string, Value> = Object.fromEntries(Object.entries(v).filter(([k]) => k !== "dynamic").map(([k, item]) => [k, this.value(item, `${where}.${k}`, scope)]));
      for (const [type, blocks] of Object.entries<TerraformJson[]>(v.dynamic ?? {})) {
        const generated = [...(out[type] ?? []), ...this.dynamic(type, blocks, `${where}.dynamic.${type}`, scope)];
        // No block at all is how the synthesized side spells an empty dynamic block.
        if (generated.length) out[type] = generated;
      }
      return out;
    }
    return v;
  }

  /** `dynamic "x" { for_each = <known list>  content {...} }`, with `x.value` bound per item. */
  private dynamic(type: string, blocks: TerraformJson[], where: string, scope: Record<string, Value>): Value[] {
    return blocks.flatMap((block) => {
      const items = this.value(block.for_each, where, scope);
      if (!Array.isArray(items)) throw new Error(`${where}: the fast tier cannot evaluate for_each \`${block.for_each}\``);
      return items.map((item) => this.value(block.content[0], where, { ...scope, [type]: { value: item } }));
    });
  }

  /** What goes into the output: a value, or `${...}` for what Terraform evaluates. */
  private render(v: Value, where: string): Value {
    if (!(v instanceof Open)) return v;
    const source = v.node.meta.value;
    for (const [root, name] of traversals(v.node)) {
      if (root === "local" || (root === "var" && name in this.vars)) {
        throw new Error(`${where}: the fast tier cannot evaluate \`${source}\`; keep variables out of expressions over resources or extend scripts/verify/reference.ts`);
      }
    }
    return `\${${source}}`;
  }

  /** A string template: its one interpolation's own value, or the parts joined. */
  private template(node: Node, where: string, scope: Record<string, Value>): Value {
    if (node.children.length === 1 && !Tree.isLiteralValueExpression(node.children[0])) return this.expr(node.children[0], where, scope);
    return node.children.map((part) => {
      // A conditional between parts is hcl2json's `%{if}` for a `${c ? a : b}` inside a string.
      if (Tree.isConditionalExpression(part) && !known(this.expr(part.children[0], where, scope))) {
        throw new Error(`${where}: the fast tier cannot evaluate the template condition \`${part.meta.conditionExpression}\``);
      }
      const v = this.render(this.expr(part, where, scope), where);
      return typeof v === "string" ? v : JSON.stringify(v);
    }).join("");
  }

  private expr(node: Node, where: string, scope: Record<string, Value>): Value {
    const [first, second, third] = node.children;
    switch (node.type) {
      case "literalValue":
        return literal(node.meta.type, node.meta.value);
      case "template":
        return this.template(node, where, scope);
      case "templateWrap":
        return this.expr(first, where, scope);
      case "scopeTraversal":
        return this.traversal(node, scope);
      case "conditional": {
        const condition = this.expr(first, where, scope);
        return known(condition) ? this.expr(condition ? second : third, where, scope) : new Open(node);
      }
      case "unaryOp": {
        const v = this.expr(first, where, scope);
        if (!known(v)) return new Open(node);
        return node.meta.operator === "logicalNot" ? !v : node.meta.operator === "negate" ? -v : new Open(node);
      }
      case "binaryOp": {
        const [left, right] = [this.expr(first, where, scope), this.expr(second, where, scope)];
        return known(left) && known(right) ? binary(node.meta.operator, left, right, new Open(node)) : new Open(node);
      }
      case "tuple":
        // A list whose items Terraform evaluates is spelled as the synthesized side spells it:
        // a JSON list of `${...}` items.
        return node.children.map((child) => this.render(this.expr(child, where, scope), where));
      case "object":
        // Keys are the `items` map's; children alternate key and value nodes, values in source order.
        return Object.fromEntries(Object.entries(node.meta.items).map(([key, source]) => {
          const value = node.children.find((child, i) => i % 2 === 1 && child.meta.value === source)!;
          return [key, this.render(this.expr(value, where, scope), where)];
        }));
      case "function":
        return this.call(node, where, scope);
      default:
        return new Open(node);
    }
  }

  /** `tostring`, `merge` and `concat` of known arguments; any other function is Terraform's to evaluate. */
  private call(node: Tree.FunctionCallExpression, where: string, scope: Record<string, Value>): Value {
    if (node.meta.name === "concat") {
      const lists = node.children.map((child) => this.expr(child, where, scope));
      if (!lists.every(Array.isArray)) throw new Error(`${where}: the fast tier concatenates only lists, got \`${node.meta.value}\``);
      return lists.flat();
    }
    if (node.meta.name === "tostring") {
      const v = this.expr(node.children[0], where, scope);
      return known(v) ? String(v) : new Open(node);
    }
    if (node.meta.name === "merge") {
      const objects = node.children.map((child) => this.expr(child, where, scope));
      if (!objects.every(isObject)) throw new Error(`${where}: the fast tier merges only objects, got \`${node.meta.value}\``);
      return Object.assign({}, ...objects);
    }
    return new Open(node);
  }

  /** `var.x`, `local.x` and a dynamic block's `<block>.value`, with any attributes after them. */
  private traversal(node: Tree.ScopeTraversalExpression, scope: Record<string, Value>): Value {
    const [root, ...rest] = node.meta.traversal.map((part) => part.segment);
    let value: Value;
    if (root === "var" && rest[0] in this.vars) value = this.vars[rest.shift()!];
    else if (root === "local") value = this.local(rest.shift()!);
    else if (root in scope) value = scope[root];
    else return new Open(node);
    return rest.reduce((v, key) => v?.[key], value);
  }

  private local(name: string): Value {
    if (!(name in this.locals)) throw new Error(`unknown local.${name}`);
    if (!(name in this.localValues)) this.localValues[name] = this.value(this.locals[name], `local.${name}`);
    return this.localValues[name];
  }
}

function literal(type: string, text: string): Value {
  if (type === "number") return Number(text);
  if (type === "bool") return text === "true";
  return type === "string" ? text : null;
}

function binary(operator: string, left: Value, right: Value, open: Open): Value {
  switch (operator) {
    case "equal": return left === right;
    case "notEqual": return left !== right;
    case "logicalAnd": return left && right;
    case "logicalOr": return left || right;
    case "add": return typeof left === "number" && typeof right === "number" ? left + right : open;
    case "subtract": return typeof left === "number" && typeof right === "number" ? left - right : open;
    default: return open;
  }
}

/** [root, name] of every variable-like reference in a tree: `var.x` gives ["var", "x"]. */
function traversals(node: Node): [string, string][] {
  const own: [string, string][] = Tree.isScopeTraversalExpression(node) ? [[node.meta.traversal[0].segment, node.meta.traversal[1]?.segment]] : [];
  return [...own, ...node.children.flatMap(traversals)];
}

/**
 * The reference for one environment, shaped like a synthesized stack: `inputs` are its variables'
 * values (undefined: the variable's default).
 */
export async function evaluateReference(dir: string, inputs: Record<string, Value>): Promise<TerraformJson> {
  const config = await parseDir(dir);
  const given = Object.fromEntries(Object.entries(inputs).filter(([, value]) => value !== undefined));
  const declared: Record<string, TerraformJson> = Object.fromEntries(Object.entries<TerraformJson[]>(config.variable ?? {}).map(([name, [body]]) => [name, body]));
  for (const name of Object.keys(given)) {
    if (!(name in declared)) throw new Error(`${dir}: the inputs give ${name}, which is not a declared variable`);
  }
  // A validated variable the inputs leave open is a deploy-time input (backend_image): its default
  // is only the fallback of a deploy, so it stays a variable, as in the stack.
  const deployTime = (name: string, body: TerraformJson) => !(name in given) && body.validation !== undefined;
  const vars: Record<string, Value> = {};
  for (const [name, body] of Object.entries(declared)) {
    if (name in given) vars[name] = given[name];
    else if ("default" in body && !deployTime(name, body)) vars[name] = body.default;
    else if (!deployTime(name, body)) throw new Error(`${dir}: variable ${name} has no default and the inputs give it no value (scripts/verify/reference-inputs.ts)`);
  }
  const locals = Object.assign({}, ...(config.locals ?? []));
  const evaluator = new Evaluator(await syntaxTrees([config.resource, config.output, config.provider, locals]), vars, locals);

  const resource: Record<string, Record<string, TerraformJson>> = {};
  for (const [type, byName] of Object.entries<Record<string, TerraformJson[]>>(config.resource ?? {})) {
    for (const [name, [body]] of Object.entries(byName)) {
      const evaluated = evaluator.value(body, `${type}.${name}`);
      if (evaluated.count === 0) continue;
      (resource[type] ??= {})[name] = evaluated;
    }
  }
  // depends_on a resource with count = 0 orders nothing: drop it, as Terraform does.
  const present = new Set(Object.entries(resource).flatMap(([type, byName]) => Object.keys(byName).map((name) => `${type}.${name}`)));
  for (const body of Object.values(resource).flatMap((byName) => Object.values(byName))) {
    if (body.depends_on) body.depends_on = body.depends_on.filter((ref: string) => present.has(ref.replace(/^\$\{(.*)\}$/, "$1")));
  }
  const output = Object.fromEntries(Object.entries<TerraformJson[]>(config.output ?? {}).map(([name, [body]]) => [name, evaluator.value(body, `output.${name}`)]));
  const provider = Object.fromEntries(Object.entries<TerraformJson[]>(config.provider ?? {}).map(([name, bodies]) => [name, evaluator.value(bodies, `provider.${name}`)]));
  // Only variables left to deploy time remain variables; the rest were inputs. HCL declares one
  // whether or not anything reads it, the stack only where something does (a channel's secret).
  const read = new Set([...JSON.stringify([resource, output, provider]).matchAll(/\bvar\.([A-Za-z_][\w-]*)/g)].map((m) => m[1]));
  const variable = Object.fromEntries(Object.entries(declared)
    .filter(([name]) => !(name in vars) && read.has(name))
    .map(([name, body]) => [name, { ...body, type: body.type?.replace(/^\$\{(.*)\}$/, "$1") }]));
  const terraform: TerraformJson[] = config.terraform ?? [];
  const requiredProviders = Object.assign({}, ...terraform.flatMap((t) => t.required_providers ?? []));
  const requiredVersion = terraform.map((t) => t.required_version).find((v) => v !== undefined);
  return { resource, output, provider, variable, terraform: { required_version: requiredVersion, required_providers: requiredProviders } };
}
