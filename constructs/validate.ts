import { Token } from "cdktf";
import { Construct } from "constructs";

/**
 * Throws when a literal prop breaks its rule, naming the construct, the prop, the value and the
 * rule. Unresolved tokens are left to Terraform, which sees their real values.
 */
export function check(scope: Construct, field: string, value: unknown, ok: boolean, rule: string): void {
  if (ok || Token.isUnresolved(value)) return;
  throw new Error(`${scope.node.path}: ${field} ${JSON.stringify(value)} ${rule}`);
}

/** GCP resource names (RFC 1035): lowercase letters, digits and hyphens, starting with a letter. */
export function checkGcpName(scope: Construct, field: string, value: string, maxLength = 63): void {
  const pattern = new RegExp(`^[a-z](?:[-a-z0-9]{0,${maxLength - 2}}[a-z0-9])?$`);
  check(scope, field, value, pattern.test(value), `must be 1-${maxLength} lowercase letters, digits or hyphens, starting with a letter and not ending with a hyphen`);
}
