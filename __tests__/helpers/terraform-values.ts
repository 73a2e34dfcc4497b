/**
 * Fills the interpolations of synthesized Terraform JSON with the values Terraform would compute
 * from the given resource attributes: references (`a.b[0].c`, `a.b.0.c`, `a.b[*].c`), string
 * literals, and the functions the stacks use, with Terraform's semantics (`urlencode` is Go's url.QueryEscape). Anything else is
 * an error, so a new expression in a stack cannot slip through unevaluated.
 */
export type Attributes = Record<string, any>;

export function fill(template: string, state: Attributes, functions: Record<string, (...args: any[]) => any> = TERRAFORM_FUNCTIONS): any {
  const parts: any[] = [];
  let at = 0;
  while (at < template.length) {
    const start = template.indexOf("${", at);
    if (start < 0) { parts.push(template.slice(at)); break; }
    parts.push(template.slice(at, start));
    const parser = new Parser(template, start + 2, state, functions);
    parts.push(parser.expression());
    parser.expect("}");
    at = parser.at;
  }
  const used = parts.filter((p) => p !== "");
  return used.length === 1 ? used[0] : used.map(String).join("");
}

/** Go's url.QueryEscape: everything but letters, digits and `-_.~` is %XX; a space is `+`. */
function queryEscape(text: string): string {
  return [...Buffer.from(text, "utf8")]
    .map((byte) => {
      const c = String.fromCharCode(byte);
      if (/[A-Za-z0-9\-_.~]/.test(c)) return c;
      return c === " " ? "+" : `%${byte.toString(16).toUpperCase().padStart(2, "0")}`;
    })
    .join("");
}

export const TERRAFORM_FUNCTIONS: Record<string, (...args: any[]) => any> = {
  urlencode: (s: string) => queryEscape(s),
  tostring: (v: unknown) => String(v),
  tolist: (v: unknown[]) => v,
  element: (list: unknown[], i: number) => list[i % list.length],
  join: (separator: string, list: unknown[]) => list.map(String).join(separator),
  base64decode: (s: string) => Buffer.from(s, "base64").toString("utf8"),
};

class Parser {
  constructor(private readonly text: string, public at: number, private readonly state: Attributes, private readonly functions: Record<string, (...args: any[]) => any>) {}

  expression(): any {
    this.space();
    const number = /^\d+/.exec(this.text.slice(this.at));
    if (number) { this.at += number[0].length; return Number(number[0]); }
    const string = /^"((?:[^"\\]|\\[n"\\])*)"/.exec(this.text.slice(this.at));
    if (string) { this.at += string[0].length; return string[1].replace(/\\(.)/g, (_, c) => (c === "n" ? "\n" : c)); }
    const name = this.identifier();
    this.space();
    if (this.text[this.at] === "(") {
      this.at++;
      const args: any[] = [];
      while (this.peek() !== ")") {
        args.push(this.expression());
        if (this.peek() === ",") this.at++;
      }
      this.at++;
      const fn = this.functions[name];
      if (!fn) throw new Error(`unknown function ${name}()`);
      return this.traverse(fn(...args));
    }
    if (!(name in this.state)) throw new Error(`no value for ${name}`);
    return this.traverse(this.state[name]);
  }

  expect(char: string): void {
    if (this.peek() !== char) throw new Error(`expected "${char}" at ${this.at} in ${this.text}`);
    this.at++;
  }

  private traverse(value: any): any {
    for (;;) {
      if (this.text.startsWith("[*]", this.at)) {
        // A splat: the rest of the traversal applies to each element.
        this.at += 3;
        if (!Array.isArray(value)) throw new Error(`[*] over a non-list in ${this.text}`);
        const rest = this.at;
        return value.map((element) => { this.at = rest; return this.traverse(element); });
      }
      const step = /^(?:\.(\w+)|\[(\d+)\])/.exec(this.text.slice(this.at));
      if (!step) return value;
      this.at += step[0].length;
      const key = step[1] ?? step[2];
      if (value === undefined || !(key in value)) throw new Error(`no value at .${key} in ${this.text}`);
      value = value[key];
    }
  }

  private identifier(): string {
    const match = /^[A-Za-z_][\w-]*/.exec(this.text.slice(this.at));
    if (!match) throw new Error(`cannot read the expression at ${this.at} in ${this.text}`);
    this.at += match[0].length;
    return match[0];
  }

  private peek(): string {
    this.space();
    return this.text[this.at];
  }

  private space(): void {
    while (/\s/.test(this.text[this.at] ?? "")) this.at++;
  }
}
