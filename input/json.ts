/**
 * A strict JSON reader for what people give the project (the configuration; and, to say where a
 * tool's input file breaks, everything else): what JSON.parse accepts silently is refused here
 * with its line and column. A key given twice (JSON.parse keeps the last), a number out of range
 * (1e309 becomes Infinity, then null) and a byte-order mark are errors; `__proto__` is an ordinary
 * key (JSON.parse's objects would take it as their prototype when copied).
 */
export class JsonError extends Error {
  constructor(readonly file: string, readonly line: number, readonly column: number, readonly reason: string) {
    super(`${file}:${line}:${column}: ${reason}`);
    this.name = "JsonError";
  }
}

export function parseJson(text: string, file: string): unknown {
  if (text.startsWith("\uFEFF")) throw new JsonError(file, 1, 1, "starts with a byte-order mark (U+FEFF); save the file as UTF-8 without one");
  const reader = new Reader(text, file);
  reader.space();
  const value = reader.value();
  reader.space();
  if (!reader.done()) reader.fail("unexpected text after the end of the JSON value");
  return value;
}

class Reader {
  private at = 0;

  constructor(private readonly text: string, private readonly file: string) {}

  done(): boolean {
    return this.at >= this.text.length;
  }

  fail(reason: string, at = this.at): never {
    const before = this.text.slice(0, at).split("\n");
    throw new JsonError(this.file, before.length, before[before.length - 1].length + 1, reason);
  }

  space(): void {
    while (/[ \t\r\n]/.test(this.text[this.at] ?? "")) this.at++;
  }

  value(): unknown {
    const c = this.text[this.at];
    if (c === "{") return this.object();
    if (c === "[") return this.array();
    if (c === '"') return this.string();
    for (const [word, value] of [["true", true], ["false", false], ["null", null]] as const) {
      if (this.text.startsWith(word, this.at)) {
        this.at += word.length;
        return value;
      }
    }
    const number = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/.exec(this.text.slice(this.at));
    if (number) {
      const value = Number(number[0]);
      if (!Number.isFinite(value)) this.fail(`the number ${number[0]} is out of range`);
      this.at += number[0].length;
      return value;
    }
    return this.fail(c === undefined ? "the JSON ends too early" : `unexpected ${JSON.stringify(c)}`);
  }

  private object(): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    const seen = new Map<string, number>();
    this.at++;
    this.space();
    if (this.text[this.at] === "}") return this.at++, out;
    for (;;) {
      this.space();
      const keyAt = this.at;
      if (this.text[this.at] !== '"') this.fail("expected a quoted key");
      const key = this.string();
      if (seen.has(key)) {
        const line = this.text.slice(0, seen.get(key)).split("\n").length;
        this.fail(`the key ${JSON.stringify(key)} is given twice (first on line ${line}); JSON keeps only the last`, keyAt);
      }
      seen.set(key, keyAt);
      this.space();
      if (this.text[this.at] !== ":") this.fail("expected ':' after the key");
      this.at++;
      this.space();
      // defineProperty: "__proto__" stays an own key instead of replacing the prototype.
      Object.defineProperty(out, key, { value: this.value(), enumerable: true, writable: true, configurable: true });
      this.space();
      const c = this.text[this.at];
      if (c === "}") return this.at++, out;
      if (c !== ",") this.fail("expected ',' or '}'");
      this.at++;
    }
  }

  private array(): unknown[] {
    const out: unknown[] = [];
    this.at++;
    this.space();
    if (this.text[this.at] === "]") return this.at++, out;
    for (;;) {
      this.space();
      out.push(this.value());
      this.space();
      const c = this.text[this.at];
      if (c === "]") return this.at++, out;
      if (c !== ",") this.fail("expected ',' or ']'");
      this.at++;
    }
  }

  private string(): string {
    const match = /^"(?:[^"\\\u0000-\u001f]|\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4}))*"/.exec(this.text.slice(this.at));
    if (!match) this.fail("malformed string (unclosed, a control character, or a bad escape)");
    this.at += match[0].length;
    return JSON.parse(match[0]);
  }
}
