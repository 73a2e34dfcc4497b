import { createHash } from "crypto";
import { mkdirSync, readFileSync, renameSync, writeFileSync } from "fs";
import * as path from "path";
import { parseJson } from "../input/json";
import type { Config, EnvironmentConfig } from "./schema";

/** Invalid configuration: every problem found, each naming the field, the value and the rule. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "ConfigError";
  }
}

/**
 * Validates raw configuration data and applies the schema's defaults (config/validate.ts, loaded
 * on first use).
 */
export function parseConfig(raw: unknown): Config {
  const validate: typeof import("./validate") = require("./validate");
  return validate.parseConfig(raw);
}

/**
 * Configurations validated before, in the synth's build directory (which changes with the schema's
 * code), by the hash of their file's content: read back without loading the schema. A run keeps
 * what it validated only once it succeeded, so a refused run writes nothing.
 */
export class ValidatedConfigs {
  private readonly validated = new Map<string, Config>();

  constructor(readonly dir: string) {}

  get(text: string): Config | undefined {
    try {
      return JSON.parse(readFileSync(this.entry(text), "utf8"));
    } catch {
      // No entry yet, no cache directory (a path under a file), or an entry damaged by hand: the
      // cache only saves time, so validation runs, and a successful run writes the entry again.
      return undefined;
    }
  }

  add(text: string, config: Config): void {
    this.validated.set(this.entry(text), config);
  }

  /** Writes each entry whole (concurrent synths each rename their own); a cache that cannot be written is skipped. */
  keep(): void {
    for (const [entry, config] of this.validated) {
      const partial = `${entry}.${process.pid}`;
      try {
        mkdirSync(this.dir, { recursive: true });
        writeFileSync(partial, JSON.stringify(config));
        renameSync(partial, entry);
      } catch {
        // A read-only build directory: validation runs each time, as without a cache.
      }
    }
  }

  private entry(text: string): string {
    return path.join(this.dir, `${createHash("sha256").update(text).digest("hex")}.json`);
  }
}

/** Reads and validates a configuration file; what `cache` holds for its content is not validated again. */
export function loadConfig(file: string, cache?: ValidatedConfigs): Config {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    throw new ConfigError([unreadable(file, error as NodeJS.ErrnoException)]);
  }
  const cached = cache?.get(text);
  if (cached) return cached;
  let raw: unknown;
  try {
    raw = parseJson(text, file);
  } catch (error) {
    throw new ConfigError([(error as Error).message]);
  }
  const config = parseConfig(raw);
  cache?.add(text, config);
  return config;
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
