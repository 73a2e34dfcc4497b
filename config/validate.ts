import { z } from "zod";
import { ConfigError } from "./load";
import { Config, configSchema } from "./schema";

// The schema and its messages, apart from config/load.ts: zod and the schema are a good part of a
// synth's start-up, and a configuration already validated is read from the build's cache instead.

/** Validates raw configuration data and applies the schema's defaults. */
export function parseConfig(raw: unknown): Config {
  const result = configSchema.safeParse(raw, { reportInput: true });
  // zod skips a record key named __proto__ without a word; it is no environment name either.
  const environments = (raw as { environments?: unknown } | null)?.environments;
  const hidden = environments && Object.keys(environments).includes("__proto__")
    ? ['environments.__proto__: environment name "__proto__" must be 1-15 lowercase letters, digits or hyphens, starting with a letter']
    : [];
  if (result.success && !hidden.length) return result.data;
  throw new ConfigError([...hidden, ...(result.success ? [] : result.error.issues.map(describe))]);
}

function describe(issue: z.core.$ZodIssue): string {
  const field = issue.path.map(String).join(".") || "(root)";
  switch (issue.code) {
    case "unrecognized_keys":
      return issue.keys.map((key) => `${[...issue.path.map(String), key].join(".")}: is not a known setting${suggestion(knownKeys(configSchema, issue.path), key)} (got ${JSON.stringify((issue.input as Record<string, unknown>)[key])})`).join("; ");
    case "invalid_key":
      // zod gives an invalid key the issues of the key's schema: at least one.
      return `${field}: environment name ${JSON.stringify(issue.input)} ${issue.issues[0].message}`;
    case "invalid_type":
      if (issue.input === undefined) return `${field}: is required (${issue.expected})`;
      break;
    case "invalid_value":
      return `${field}: must be one of ${issue.values.map((v) => JSON.stringify(v)).join(", ")} (${got(issue.input)})`;
  }
  return `${field}: ${issue.message} (${got(issue.input)})`;
}

/** The keys the schema knows for the object at `path`, through records, arrays and wrappers. */
function knownKeys(schema: z.core.$ZodType, path: readonly PropertyKey[]): string[] {
  const def = (schema as z.core.$ZodTypes)._zod.def;
  const [next, ...rest] = path;
  switch (def.type) {
    case "optional":
    case "prefault":
      return knownKeys(def.innerType, path);
    case "pipe":
      return knownKeys(def.in, path);
    case "record":
      return knownKeys(def.valueType, rest);
    case "array":
      return knownKeys(def.element, rest);
    case "object":
      return path.length ? knownKeys(def.shape[String(next)], rest) : Object.keys(def.shape);
  }
  // Stryker disable next-line ArrayDeclaration: unreachable; the schema has no unions and defaults only scalars, so an unknown key's path ends at an object
  return [];
}

/** `; did you mean "x"?` for the known key within two edits of `key` (case aside), else "". */
function suggestion(known: string[], key: string): string {
  const near = known.find((candidate) => editDistance(candidate.toLowerCase(), key.toLowerCase()) <= 2);
  return near ? `; did you mean ${JSON.stringify(near)}?` : "";
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    previous = current;
  }
  return previous[b.length];
}

function got(input: unknown): string {
  return input === undefined ? "missing" : `got ${JSON.stringify(input)}`;
}
