import { readFileSync } from "fs";
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
  if (result.success) return result.data;
  throw new ConfigError(result.error.issues.map(describe));
}

export function loadConfig(file: string): Config {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, "utf8"));
  } catch (error) {
    throw new ConfigError([`${file}: ${(error as Error).message}`]);
  }
  return parseConfig(raw);
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
      return issue.keys.map((key) => `${[...issue.path.map(String), key].join(".")}: is not a known setting (got ${JSON.stringify(valueAt(issue.input, key))})`).join("; ");
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

function valueAt(input: unknown, key: string): unknown {
  return input && typeof input === "object" ? (input as Record<string, unknown>)[key] : undefined;
}

function got(input: unknown): string {
  return input === undefined ? "missing" : `got ${JSON.stringify(input)}`;
}
