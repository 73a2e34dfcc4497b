import { TextRule } from "./rule";

/**
 * The application's own environment, beside the Redis contract: what a variable may be called, and
 * what must never be a plain variable (the configuration is committed; plain variables are shown in
 * the consoles and kept in plan files).
 */

/** A variable name both clouds take: a letter or underscore, then letters, digits or underscores. */
export const VARIABLE_NAME: TextRule = { pattern: /^[A-Za-z_][A-Za-z0-9_]{0,254}$/, rule: "must be a variable name: letters, digits or '_', not starting with a digit" };

/** The prefix of the Redis contract's variables (constructs/redis-environment.ts), which the stack sets. */
export const REDIS_PREFIX = "REDIS_";

/** Names that say a value is a credential: ending in one of these words, or with one of the first ones before a `_`. */
const SECRET_NAME = /(PASSWORD|PASSWD|PASSPHRASE|SECRET|TOKEN|API_?KEY|ACCESS_?KEY|PRIVATE_?KEY|CREDENTIALS?|AUTH_?STRING|DSN)$|(^|_)(PASSWORD|SECRET|TOKEN|APIKEY|API_KEY)_/i;

/**
 * Values that are credentials whatever they are called, found anywhere in the value (`Bearer
 * ghp_...`, `jdbc:postgresql://app:pw@db/app`), each token starting at a word boundary.
 */
const SECRET_VALUES: [RegExp, string][] = [
  [/[a-z][a-z0-9+.-]*:\/\/[^/\s:@]*:[^/\s@]+@/i, "a URL with a password in it"],
  [/-----BEGIN [A-Z ]*PRIVATE KEY-----/, "a private key"],
  [/\b(sk|rk|pk)[-_][A-Za-z0-9_-]{16}/, "an API key (sk-...)"],
  [/\b(ghp|gho|ghs|ghu|github_pat)_[A-Za-z0-9_]{20}/, "a GitHub token"],
  [/\b(AKIA|ASIA)[A-Z0-9]{16}\b/, "an AWS access key"],
  [/\bAIza[0-9A-Za-z_-]{35}/, "a Google API key"],
  [/\bxox[abpors]-[A-Za-z0-9-]{10}/, "a Slack token"],
  [/\beyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]/, "a JSON Web Token"],
  [/\bSCW[A-Z0-9]{17}\b/, "a Scaleway access key"],
];

/**
 * Why a plain variable looks like a secret, or undefined: by its name (PASSWORD, API_KEY, TOKEN...)
 * or by its value (a URL with a password, a private key, a known key format).
 */
export function secretLikeProblem(name: string, value: string): string | undefined {
  if (SECRET_NAME.test(name)) return "is named like a secret; give it as a secret reference (secrets), never as a plain variable, which is committed and shown in the console";
  const found = SECRET_VALUES.find(([pattern]) => pattern.test(value));
  return found ? `looks like ${found[1]}; give it as a secret reference (secrets), never as a plain variable, which is committed and shown in the console` : undefined;
}

/** The rule a variable name breaks for a cloud, or undefined. */
export function variableNameProblem(name: string, reserved: { names?: readonly string[]; prefix?: string }): string | undefined {
  if (!VARIABLE_NAME.pattern.test(name)) return VARIABLE_NAME.rule;
  if (name.startsWith(REDIS_PREFIX)) return `is the Redis contract's (${REDIS_PREFIX}*), which the stack sets from Redis itself`;
  if (reserved.names?.includes(name)) return "is set by the platform itself";
  if (reserved.prefix && name.startsWith(reserved.prefix)) return `starts with ${reserved.prefix}, which the platform keeps for its own variables`;
  return undefined;
}
