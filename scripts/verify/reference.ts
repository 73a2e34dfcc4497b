// Evaluates the hand-written reference (reference/<cloud>/*.tf with <environment>.tfvars) into the
// shape of a synthesized cdk.tf.json, without Terraform or providers: variables, locals,
// conditionals and `count` are evaluated; expressions over resources stay as `${...}` text.
// Anything it cannot evaluate is an error, never a guess.
import { parse } from "@cdktf/hcl2json";
import * as fs from "fs";
import * as path from "path";

/** Terraform configuration as JSON: hcl2json's output, or a synthesized cdk.tf.json. */
export type Config = Record<string, any>;
export type Value = any;

async function parseDir(dir: string): Promise<Config> {
  const merged: Config = {};
  for (const file of fs.readdirSync(dir).filter((f) => f.endsWith(".tf")).sort()) {
    mergeInto(merged, await parse(file, fs.readFileSync(path.join(dir, file), "utf8")));
  }
  return merged;
}

function mergeInto(target: Config, source: Config): void {
  for (const [key, value] of Object.entries(source)) {
    if (Array.isArray(value) && Array.isArray(target[key])) target[key].push(...value);
    else if (isObject(value) && isObject(target[key])) mergeInto(target[key], value);
    else target[key] = value;
  }
}

export const isObject = (v: unknown): v is Record<string, any> => v !== null && typeof v === "object" && !Array.isArray(v);

export type Segment = { literal: string; expr?: undefined } | { expr: string; literal?: undefined };

/** Splits a template into literal text and the source of each `${...}`, honouring nesting and quotes. */
export function segments(template: string): Segment[] {
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

class Evaluator {
  readonly locals: Record<string, Value>;
  private readonly localValues: Record<string, Value> = {};

  constructor(readonly vars: Record<string, Value>, locals: Config[] = []) {
    this.locals = Object.assign({}, ...locals);
  }

  value(v: Value, where: string): Value {
    if (typeof v === "string") return this.template(v, where);
    if (Array.isArray(v)) return v.map((item, i) => this.value(item, `${where}[${i}]`));
    if (isObject(v)) {
      const out: Record<string, Value> = Object.fromEntries(Object.entries(v).filter(([k]) => k !== "dynamic").map(([k, item]) => [k, this.value(item, `${where}.${k}`)]));
      for (const [type, blocks] of Object.entries<Config[]>(v.dynamic ?? {})) {
        const generated = [...(out[type] ?? []), ...this.dynamic(type, blocks, `${where}.dynamic.${type}`)];
        // No block at all is how the synthesized side spells an empty dynamic block.
        if (generated.length) out[type] = generated;
      }
      return out;
    }
    return v;
  }

  /** `dynamic "x" { for_each = <closed list>  content {...} }`, with `x.value` (and `x.value.attr`) bound per item. */
  dynamic(type: string, blocks: Config[], where: string): Value[] {
    return blocks.flatMap((block) => {
      const items = this.closed(block.for_each.replace(/^\$\{(.*)\}$/s, "$1"));
      if (!items.ok || !Array.isArray(items.value)) throw new Error(`${where}: the fast tier cannot evaluate for_each \`${block.for_each}\``);
      const reference = new RegExp(`\\$\\{${type}\\.value((?:\\.\\w+)*)\\}`, "g");
      return items.value.map((item: Value) => {
        const at = (path: string) => path.split(".").filter(Boolean).reduce((v, key) => v?.[key], item);
        const bind = (node: Value): Value => {
          if (typeof node === "string") {
            const whole = new RegExp(`^${reference.source}$`).exec(node);
            return whole ? at(whole[1]) : node.replace(reference, (_, path: string) => String(at(path)));
          }
          if (Array.isArray(node)) return node.map(bind);
          return isObject(node) ? Object.fromEntries(Object.entries(node).map(([k, v]) => [k, bind(v)])) : node;
        };
        return this.value(bind(block.content[0]), where);
      });
    });
  }

  template(text: string, where: string): Value {
    const parts = segments(this.directives(text, where));
    const rendered = parts.map((p) => (p.literal !== undefined ? p.literal : this.expr(p.expr, where)));
    if (parts.length === 1 && parts[0].expr !== undefined) return rendered[0];
    return rendered.map((r) => (typeof r === "string" ? r : JSON.stringify(r))).join("");
  }

  /** hcl2json turns `${c ? "a" : "b"}` inside a template into `%{if c}a%{else}b%{endif}`. */
  directives(text: string, where: string): string {
    return text.replace(/%\{if ([^}]*)\}(.*?)(?:%\{else\}(.*?))?%\{endif\}/g, (_, condition: string, whenTrue: string, whenFalse = "") => {
      const result = this.closed(condition.trim());
      if (!result.ok) throw new Error(`${where}: the fast tier cannot evaluate the template condition \`${condition}\``);
      return result.value ? whenTrue : whenFalse;
    });
  }

  /** A value for closed expressions; `${text}` for expressions over resources or deploy-time variables. */
  expr(text: string, where: string): Value {
    const closed = this.closed(text);
    if (closed.ok) return closed.value;
    const local = /^local\.(\w+)$/.exec(text);
    if (local) return this.local(local[1]);
    const branch = this.ternaryBranch(text);
    if (branch !== undefined) return this.expr(branch, where);
    const merge = /^merge\(([\s\S]*)\)$/.exec(text);
    if (merge) return this.merge(merge[1], where);
    if (text.startsWith("{") && text.endsWith("}")) return this.object(text.slice(1, -1), where);
    for (const [, kind, name] of text.matchAll(/\b(var|local)\.(\w+)/g)) {
      if (kind === "local" || name in this.vars) throw new Error(`${where}: the fast tier cannot evaluate \`${text}\`; keep variables out of expressions over resources or extend scripts/verify/reference.js`);
    }
    return `\${${text}}`;
  }

  /** `merge(a, b, ...)` of object arguments. */
  merge(args: string, where: string): Value {
    const objects = splitTopLevel(args, ",").map((arg) => this.expr(arg, where));
    if (!objects.every(isObject)) throw new Error(`${where}: the fast tier merges only objects, got \`merge(${args})\``);
    return Object.assign({}, ...objects);
  }

  /** An object literal's body: `KEY = expr` per line or comma. */
  object(body: string, where: string): Value {
    return Object.fromEntries(splitTopLevel(body, "\n").flatMap((line) => splitTopLevel(line, ",")).map((entry) => {
      const eq = topLevelIndex(entry, "=");
      if (eq < 0) throw new Error(`${where}: the fast tier cannot read the object entry \`${entry}\``);
      return [entry.slice(0, eq).trim().replace(/^"(.*)"$/, "$1"), this.expr(entry.slice(eq + 1).trim(), where)];
    }));
  }

  local(name: string): Value {
    if (!(name in this.locals)) throw new Error(`unknown local.${name}`);
    if (!(name in this.localValues)) this.localValues[name] = this.value(this.locals[name], `local.${name}`);
    return this.localValues[name];
  }

  /** `cond ? a : b` whose condition is closed: the chosen branch's source. */
  ternaryBranch(text: string): string | undefined {
    const q = topLevelIndex(text, "?");
    if (q < 0) return undefined;
    const colon = topLevelIndex(text, ":", q + 1);
    const condition = this.closed(text.slice(0, q).trim());
    if (colon < 0 || !condition.ok) return undefined;
    return (condition.value ? text.slice(q + 1, colon) : text.slice(colon + 1)).trim();
  }

  closed(text: string): { ok: true; value: Value } | { ok: false } {
    try {
      const parser = new ClosedParser(text, this);
      const value = parser.ternary();
      return parser.done() ? { ok: true, value } : { ok: false };
    } catch (e) {
      if (e instanceof NotClosed) return { ok: false };
      throw e;
    }
  }
}

function topLevelIndex(text: string, char: string, from = 0): number {
  let depth = 0;
  for (let i = from; i < text.length; i++) {
    const c = text[i];
    if (c === '"') i = closingQuote(text, i);
    else if ("([{".includes(c)) depth++;
    else if (")]}".includes(c)) depth--;
    else if (c === char && depth === 0) return i;
  }
  return -1;
}

/** The non-empty, trimmed parts of `text` between top-level `separator`s. */
function splitTopLevel(text: string, separator: string): string[] {
  const parts: string[] = [];
  let from = 0;
  for (let at = topLevelIndex(text, separator); at >= 0; at = topLevelIndex(text, separator, from)) {
    parts.push(text.slice(from, at));
    from = at + 1;
  }
  parts.push(text.slice(from));
  return parts.map((p) => p.trim()).filter(Boolean);
}

class NotClosed extends Error {}

/** Literals and lists, set variables, closed locals, `tostring`, `!`, `==`, `!=`, `&&`, `||` and `?:`: nothing else is closed. */
class ClosedParser {
  private readonly tokens: string[];
  private i = 0;

  constructor(text: string, private readonly evaluator: Evaluator) {
    this.tokens = text.match(/"(?:[^"\\$]|\\.)*"|[A-Za-z_][\w.-]*|\d+(?:\.\d+)?|==|!=|&&|\|\||\S/g) ?? [];
  }
  done(): boolean { return this.i === this.tokens.length; }
  peek(): string | undefined { return this.tokens[this.i]; }
  take(expected?: string): string | undefined {
    const token = this.tokens[this.i++];
    if (expected !== undefined && token !== expected) throw new NotClosed();
    return token;
  }
  ternary(): Value {
    const condition = this.or();
    if (this.peek() !== "?") return condition;
    this.take("?");
    const whenTrue = this.ternary();
    this.take(":");
    const whenFalse = this.ternary();
    return condition ? whenTrue : whenFalse;
  }
  or(): Value { let v = this.and(); while (this.peek() === "||") { this.take(); const r = this.and(); v = v || r; } return v; }
  and(): Value { let v = this.comparison(); while (this.peek() === "&&") { this.take(); const r = this.comparison(); v = v && r; } return v; }
  comparison(): Value {
    const left = this.additive();
    const op = this.peek();
    if (op !== "==" && op !== "!=") return left;
    this.take();
    const right = this.additive();
    return op === "==" ? left === right : left !== right;
  }
  additive(): Value {
    let v = this.unary();
    while (this.peek() === "+" || this.peek() === "-") {
      const op = this.take();
      const r = this.unary();
      if (typeof v !== "number" || typeof r !== "number") throw new NotClosed();
      v = op === "+" ? v + r : v - r;
    }
    return v;
  }
  unary(): Value { if (this.peek() === "!") { this.take(); return !this.unary(); } return this.primary(); }
  primary(): Value {
    const token = this.take();
    if (token === undefined) throw new NotClosed();
    if (token === "(") { const v = this.ternary(); this.take(")"); return v; }
    if (token === "[") {
      const items: Value[] = [];
      while (this.peek() !== "]") { items.push(this.ternary()); if (this.peek() === ",") this.take(","); }
      this.take("]");
      return items;
    }
    // A lone `"` is a template the tokenizer left open (it holds `${`): not closed.
    if (token.startsWith('"')) { if (token.includes("${") || token === '"') throw new NotClosed(); return JSON.parse(token); }
    if (/^\d/.test(token)) return Number(token);
    if (token === "true" || token === "false") return token === "true";
    if (token === "null") return null;
    if (token === "tostring") { this.take("("); const v = this.ternary(); this.take(")"); return String(v); }
    const variable = /^var\.(\w+)$/.exec(token);
    if (variable && variable[1] in this.evaluator.vars) return this.evaluator.vars[variable[1]];
    const local = /^local\.(\w+)$/.exec(token);
    if (local) {
      const value = this.evaluator.local(local[1]);
      if (typeof value !== "string" || !value.includes("${")) return value;
    }
    throw new NotClosed();
  }
}

/** The reference for one environment, shaped like a synthesized stack. */
export async function evaluateReference(dir: string, environment: string): Promise<Config> {
  const config = await parseDir(dir);
  const tfvarsFile = path.join(dir, `${environment}.tfvars`);
  const tfvars = await parse(`${environment}.tfvars`, fs.readFileSync(tfvarsFile, "utf8"));
  const declared: Record<string, Config> = Object.fromEntries(Object.entries<Config[]>(config.variable ?? {}).map(([name, [body]]) => [name, body]));
  for (const name of Object.keys(tfvars)) {
    if (!(name in declared)) throw new Error(`${tfvarsFile}: ${name} is not a declared variable`);
  }
  // A validated variable the tfvars leave open is a deploy-time input (backend_image): its default
  // is only the fallback of a deploy, so it stays a variable, as in the stack.
  const deployTime = (name: string, body: Config) => !(name in tfvars) && body.validation !== undefined;
  const vars: Record<string, Value> = {};
  for (const [name, body] of Object.entries(declared)) {
    if (name in tfvars) vars[name] = tfvars[name];
    else if ("default" in body && !deployTime(name, body)) vars[name] = body.default;
  }
  const evaluator = new Evaluator(vars, config.locals);

  const resource: Record<string, Record<string, Config>> = {};
  for (const [type, byName] of Object.entries<Record<string, Config[]>>(config.resource ?? {})) {
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
  const output = Object.fromEntries(Object.entries<Config[]>(config.output ?? {}).map(([name, [body]]) => [name, evaluator.value(body, `output.${name}`)]));
  const provider = Object.fromEntries(Object.entries<Config[]>(config.provider ?? {}).map(([name, bodies]) => [name, evaluator.value(bodies, `provider.${name}`)]));
  // Only variables left to deploy time remain variables; the rest were tfvars.
  const variable = Object.fromEntries(Object.entries(declared)
    .filter(([name]) => !(name in vars))
    .map(([name, body]) => [name, { ...body, type: body.type?.replace(/^\$\{(.*)\}$/, "$1") }]));
  const terraform: Config[] = config.terraform ?? [];
  const requiredProviders = Object.assign({}, ...terraform.flatMap((t) => t.required_providers ?? []));
  const requiredVersion = terraform.map((t) => t.required_version).find((v) => v !== undefined);
  return { resource, output, provider, variable, terraform: { required_version: requiredVersion, required_providers: requiredProviders } };
}
