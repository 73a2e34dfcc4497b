// A file that must hold JSON of a given shape (a recording, a plan, terraform's backend file, drift
// results): every way it can be wrong is named with the file, what was expected, and what it
// holds instead. Never a parser's or a property access's error text.
import * as fs from "fs";
import { z } from "zod";
import { JsonError, parseJson } from "./json";
import { missing, UserPath } from "./user-path";

/**
 * The JSON in `file`, checked against `schema`. `expected` says what it should be, as a noun
 * phrase ("a plan in JSON (terraform show -json)"); `advice` what to do about a wrong file.
 */
export function readJsonFile<T>(file: UserPath, schema: z.ZodType<T>, expected: string, advice?: string): T {
  const fail = (problem: string): never => {
    throw new Error(`${file.label}: ${problem}${advice ? `; ${advice}` : ""}`);
  };
  let text: string;
  try {
    text = fs.readFileSync(file.path, "utf8");
  } catch (error) {
    const e = error as NodeJS.ErrnoException;
    return fail(e.code === "EISDIR" ? `is a directory, not ${expected}` : `${missing(file, e, "file")}; expected ${expected}`);
  }
  if (text.trim() === "") return fail(`is empty, not ${expected}`);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return fail(`not JSON (${jsonProblem(text, file.label)}), so not ${expected}; it starts with ${JSON.stringify(firstLine(text))}`);
  }
  const result = schema.safeParse(value, { reportInput: true });
  if (!result.success) return fail(`not ${expected}: ${result.error.issues.slice(0, 3).map(describeIssue).join("; ")}; it holds ${holds(value)}`);
  return result.data;
}

/** Where and why the JSON breaks, in the project's strict reader's words (line and column). */
function jsonProblem(text: string, label: string): string {
  try {
    parseJson(text.replace(/^\uFEFF/, ""), label);
  } catch (error) {
    if (error instanceof JsonError) return `line ${error.line}, column ${error.column}: ${error.reason}`;
  }
  return "it cannot be read as JSON";
}

function firstLine(text: string): string {
  const line = text.trimStart().split("\n")[0];
  return line.length > 60 ? `${line.slice(0, 60)}…` : line;
}

function describeIssue(issue: z.core.$ZodIssue): string {
  const field = issue.path.map(String).join(".") || "the JSON";
  if (issue.code === "invalid_type") {
    return issue.input === undefined ? `${field} is missing` : `${field} is ${kindOf(issue.input)}, not ${issue.expected === "array" ? "a list" : `a ${issue.expected}`}`;
  }
  return `${field} ${JSON.stringify(issue.input)} ${issue.message}`;
}

function kindOf(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "a list";
  return typeof value === "object" ? "an object" : `${JSON.stringify(value)}`;
}

/** What a JSON value is, in a few words: `a compute#network named "vpc"`, `a list of 3 ...`. */
export function holds(value: unknown): string {
  if (Array.isArray(value)) return value.length ? `a list of ${value.length}, the first ${holds(value[0])}` : "an empty list";
  if (value && typeof value === "object") {
    const o = value as Record<string, unknown>;
    const name = typeof o.name === "string" ? ` named ${JSON.stringify(o.name)}` : "";
    if (typeof o.kind === "string") return `a ${o.kind}${name}`;
    const keys = Object.keys(o);
    if (!keys.length) return "an empty object";
    return `an object${name} with ${keys.length > 8 ? `${keys.slice(0, 8).join(", ")} and ${keys.length - 8} more` : keys.join(", ")}`;
  }
  const text = JSON.stringify(value);
  return text.length > 60 ? `${text.slice(0, 60)}…` : text;
}
