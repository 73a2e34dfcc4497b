import { readFileSync } from "fs";
import { parseJson } from "../input/json";
import { z } from "zod";
import { Config, configSchema, EnvironmentConfig } from "./schema";

/** Invalid configuration: every problem found, each naming the field, the value and the rule. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "ConfigError";
  }
}

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

export function loadConfig(file: string): Config {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    throw new ConfigError([unreadable(file, error as NodeJS.ErrnoException)]);
  }
  let raw: unknown;
  try {
    raw = parseJson(text, file);
  } catch (error) {
    throw new ConfigError([(error as Error).message]);
  }
  return parseConfig(raw);
}

function unreadable(file: string, error: NodeJS.ErrnoException): string {
  switch (error.code) {
    case "ENOENT":
      return `${file}: the configuration file is missing; run from the project root (it reads config/environments.json) or set REDIS_NET_CONFIG to the file`;
    case "EISDIR":
      return `${file}: is a directory; REDIS_NET_CONFIG must name a JSON file such as config/environments.json`;
    default:
      return `${file}: cannot be read (${error.code ?? error.message})`;
  }
}

/**
 * The environments to synthesize: all of them, or only those named (for example from
 * REDIS_NET_ENVIRONMENTS=staging). Naming an environment the configuration lacks is an error.
 */
export function selectEnvironments(config: Config, names?: string[]): [string, EnvironmentConfig][] {
  const known = Object.keys(config.environments);
  const unknown = (names ?? []).filter((name) => !known.includes(name));
  if (unknown.length) {
    throw new ConfigError(unknown.map((name) => `environment ${JSON.stringify(name)}: is not configured (configured: ${known.join(", ")})`));
  }
  return Object.entries(config.environments).filter(([name]) => !names || names.includes(name));
}

function describe(issue: z.core.$ZodIssue): string {
  const field = issue.path.map(String).join(".") || "(root)";
  switch (issue.code) {
    case "unrecognized_keys":
      return issue.keys.map((key) => `${[...issue.path.map(String), key].join(".")}: is not a known setting${suggestion(issue.path.length ? [] : TOP_LEVEL_KEYS, key)} (got ${JSON.stringify(valueAt(issue.input, key))})`).join("; ");
    case "invalid_key":
      return `${field}: environment name ${JSON.stringify(issue.input)} ${issue.issues[0]?.message ?? "is invalid"}`;
    case "invalid_type":
      if (issue.input === undefined) return `${field}: is required (${issue.expected})`;
      break;
    case "invalid_value":
      return `${field}: must be one of ${issue.values.map((v) => JSON.stringify(v)).join(", ")} (${got(issue.input)})`;
  }
  return `${field}: ${issue.message} (${got(issue.input)})`;
}

const TOP_LEVEL_KEYS = Object.keys(configSchema.shape);

/** `; did you mean "x"?` for the known key within two edits of `key`, else "". */
function suggestion(known: string[], key: string): string {
  const near = known.find((candidate) => editDistance(candidate, key.toLowerCase()) <= 2);
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

function valueAt(input: unknown, key: string): unknown {
  return input && typeof input === "object" ? (input as Record<string, unknown>)[key] : undefined;
}

function got(input: unknown): string {
  return input === undefined ? "missing" : `got ${JSON.stringify(input)}`;
}
