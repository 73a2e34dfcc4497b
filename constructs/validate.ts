import { Token } from "cdktf";
import { Construct } from "constructs";
import { parseCidr } from "../config/cidr";

/**
 * Throws when a literal prop breaks its rule, naming the construct, the prop, the value and the
 * rule. Unresolved tokens are left to Terraform, which sees their real values.
 */
export function check(scope: Construct, field: string, value: unknown, ok: boolean, rule: string): void {
  if (ok || Token.isUnresolved(value)) return;
  throw new Error(`${scope.node.path}: ${field} ${JSON.stringify(value)} ${rule}`);
}

/** An IPv4 CIDR in canonical form, optionally of one exact prefix length. */
export function checkCidr(scope: Construct, field: string, value: string, exactPrefix?: number): void {
  const range = parseCidr(value);
  const ok = typeof range !== "string" && (exactPrefix === undefined || range.prefix === exactPrefix);
  check(scope, field, value, ok, exactPrefix === undefined ? "must be a valid IPv4 CIDR" : `must be a valid /${exactPrefix} range`);
}

/** GCP resource names (RFC 1035) of at most `maxLength`: lowercase letters, digits and hyphens, starting with a letter. */
export function gcpNamePattern(maxLength = 63): RegExp {
  return new RegExp(`^[a-z](?:[-a-z0-9]{0,${maxLength - 2}}[a-z0-9])?$`);
}

export function checkGcpName(scope: Construct, field: string, value: string, maxLength = 63): void {
  check(scope, field, value, gcpNamePattern(maxLength).test(value), `must be 1-${maxLength} lowercase letters, digits or hyphens, starting with a letter and not ending with a hyphen`);
}
