import { Token } from "cdktf";
import { Construct } from "constructs";
import { parseCidr } from "../limits/cidr";
import { secretLikeProblem, variableNameProblem } from "../limits/environment";
import { gcpName } from "../limits/gcp";
import { intProblem, IntRange, textProblem, TextRule } from "../limits/rule";

/**
 * Throws when a literal prop breaks its rule (`problem` says which), naming the construct, the
 * prop, the value and the rule. Unresolved tokens are left to Terraform, which sees their values.
 */
export function check(scope: Construct, field: string, value: unknown, problem: string | undefined): void {
  if (problem === undefined || Token.isUnresolved(value)) return;
  throw new Error(`${scope.node.path}: ${field} ${JSON.stringify(value)} ${problem}`);
}

/** Why something is granted: a reviewer reads it, so it must say something. */
export function checkReason(scope: Construct, field: string, reason: unknown): void {
  check(scope, field, reason, typeof reason === "string" && reason.trim() !== "" ? undefined : "must say why it is granted");
}

export function checkText(scope: Construct, field: string, value: string, rule: TextRule): void {
  check(scope, field, value, textProblem(rule, value));
}

export function checkInt(scope: Construct, field: string, value: number, range: IntRange): void {
  check(scope, field, value, intProblem(range, value));
}

/** An IPv4 CIDR in canonical form, optionally of one exact prefix length. */
export function checkCidr(scope: Construct, field: string, value: string, exactPrefix?: number): void {
  const range = parseCidr(value);
  const ok = typeof range !== "string" && (exactPrefix === undefined || range.prefix === exactPrefix);
  check(scope, field, value, ok ? undefined : exactPrefix === undefined ? "must be a valid IPv4 CIDR" : `must be a valid /${exactPrefix} range`);
}

/** A GCP resource name (RFC 1035) of at most `maxLength`. */
export function checkGcpName(scope: Construct, field: string, value: string, maxLength = 63): void {
  checkText(scope, field, value, gcpName(maxLength));
}

/**
 * The backend's own variables beside the ones the stack sets: names free of the platform's
 * reserved ones, no secret-looking plain value, and no name both plain and a secret reference.
 */
export function checkApplicationVariables(
  scope: Construct,
  plain: Record<string, string> | undefined,
  secretNames: string[],
  reserved: { names?: readonly string[]; prefix?: string },
): void {
  for (const [name, value] of Object.entries(plain ?? {})) {
    check(scope, `applicationEnvironment.${name}`, name, variableNameProblem(name, reserved));
    // The value is never printed: it may be the secret.
    check(scope, `applicationEnvironment.${name}`, "(value hidden)", secretLikeProblem(name, value));
  }
  for (const name of secretNames) {
    check(scope, `secretReferences.${name}`, name, variableNameProblem(name, reserved) ?? (plain && name in plain ? "is also in applicationEnvironment" : undefined));
  }
}
