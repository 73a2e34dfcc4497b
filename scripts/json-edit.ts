// Edits one member of a JSON text in place: the rest of the text (its order, indentation, spacing
// and everything else in it) stays as it was, byte for byte. `npm run adopt -- --write` writes the
// configuration with it.

interface Span {
  readonly start: number;
  readonly end: number;
}

interface Member {
  readonly key: string;
  /** From the key's opening quote to the end of its value. */
  readonly span: Span;
  readonly value: Span;
}

/** Skips JSON whitespace from `at`. */
function skipSpace(text: string, at: number): number {
  while (/[ \t\r\n]/.test(text[at] ?? "")) at++;
  return at;
}

/** The end of the JSON value starting at `at` (the text is valid JSON: parsed before). */
function valueEnd(text: string, at: number): number {
  const c = text[at];
  if (c === '"') {
    let i = at + 1;
    while (text[i] !== '"') i += text[i] === "\\" ? 2 : 1;
    return i + 1;
  }
  if (c === "{" || c === "[") {
    let depth = 0;
    for (let i = at; i < text.length; i++) {
      const d = text[i];
      if (d === '"') i = valueEnd(text, i) - 1;
      else if (d === "{" || d === "[") depth++;
      else if (d === "}" || d === "]") {
        depth--;
        if (depth === 0) return i + 1;
      }
    }
    throw new Error("unterminated JSON value");
  }
  const match = /^(true|false|null|-?[0-9][0-9.eE+-]*)/.exec(text.slice(at));
  if (!match) throw new Error(`unexpected ${JSON.stringify(c)} at ${at}`);
  return at + match[0].length;
}

/** The members of the object at `at`. */
function members(text: string, at: number): { members: Member[]; close: number } {
  const found: Member[] = [];
  let i = skipSpace(text, at + 1);
  while (text[i] !== "}") {
    const keyEnd = valueEnd(text, i);
    const key = JSON.parse(text.slice(i, keyEnd));
    const valueStart = skipSpace(text, skipSpace(text, keyEnd) + 1);
    const end = valueEnd(text, valueStart);
    found.push({ key, span: { start: i, end }, value: { start: valueStart, end } });
    i = skipSpace(text, end);
    if (text[i] === ",") i = skipSpace(text, i + 1);
  }
  return { members: found, close: i };
}

/** The indentation of the line holding `at`. */
function indentAt(text: string, at: number): string {
  const lineStart = text.lastIndexOf("\n", at - 1) + 1;
  return /^[ \t]*/.exec(text.slice(lineStart))![0];
}

/** The text's indentation unit (two spaces, four, a tab), from its first indented line. */
function indentUnit(text: string): string {
  return /\n([ \t]+)\S/.exec(text)?.[1] ?? "  ";
}

/** `value` as JSON in the text's style, its lines after the first indented by `indent`. */
function render(value: unknown, indent: string, unit: string): string {
  return JSON.stringify(value, null, unit).replace(/\n/g, `\n${indent}`);
}

/**
 * `text` with the member at `path` set to `value` (created at the end of its object if absent; the
 * objects on the way must exist), or removed where `value` is undefined.
 */
export function setMember(text: string, path: string[], value: unknown): string {
  const unit = indentUnit(text);
  let at = skipSpace(text, 0);
  for (const [depth, key] of path.entries()) {
    if (text[at] !== "{") throw new Error(`${path.slice(0, depth).join(".") || "(root)"}: not an object`);
    const { members: found, close } = members(text, at);
    const member = found.find((m) => m.key === key);
    const last = depth === path.length - 1;
    if (!last) {
      if (!member) throw new Error(`${path.slice(0, depth + 1).join(".")}: not in the file`);
      at = member.value.start;
      continue;
    }
    if (value === undefined) {
      if (!member) return text;
      const index = found.indexOf(member);
      if (found.length === 1) return text.slice(0, at + 1) + text.slice(close);
      // With the separator before it, or after it when it is the first.
      return index > 0
        ? text.slice(0, found[index - 1].span.end) + text.slice(member.span.end)
        : text.slice(0, member.span.start) + text.slice(found[1].span.start);
    }
    if (member) {
      const indent = indentAt(text, member.span.start);
      return text.slice(0, member.value.start) + render(value, indent, unit) + text.slice(member.value.end);
    }
    if (found.length) {
      const lastMember = found[found.length - 1];
      const indent = indentAt(text, lastMember.span.start);
      const separator = text.slice(at, close).includes("\n") ? `,\n${indent}` : ", ";
      return text.slice(0, lastMember.span.end) + separator + `${JSON.stringify(key)}: ${render(value, indent, unit)}` + text.slice(lastMember.span.end);
    }
    const indent = indentAt(text, at) + unit;
    return text.slice(0, at + 1) + `\n${indent}${JSON.stringify(key)}: ${render(value, indent, unit)}\n${indentAt(text, at)}` + text.slice(close);
  }
  throw new Error("an empty path names no member");
}
