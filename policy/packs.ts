import { PolicyContext, PolicyRule } from "./policy";
import { ConnectorRange } from "./rules/connector-range";
import { GcpNameLimits } from "./rules/gcp-name-limits";
import { HealthGatedInProduction } from "./rules/health-gated-in-production";
import { InvocationAsDeclared } from "./rules/invocation-as-declared";
import { LivenessApartFromStartup } from "./rules/liveness-apart-from-startup";
import { MaintenanceWindowInProduction } from "./rules/maintenance-window-in-production";
import { NamesCarryEnvironment } from "./rules/names-carry-environment";
import { NoIngressFromAnywhere } from "./rules/no-ingress-from-anywhere";
import { NoPublicRedisInProduction } from "./rules/no-public-redis-in-production";
import { RedisAuthEverywhere } from "./rules/redis-auth-everywhere";
import { RedisRuleSourceIsConnector } from "./rules/redis-rule-source-is-connector";
import { RedisTlsInProduction } from "./rules/redis-tls-in-production";
import { ServerlessOnPrivateNetwork } from "./rules/serverless-on-private-network";

type RuleClass = new (context: PolicyContext) => PolicyRule;

/**
 * Which rules apply where, as cdk-nag's packs do: the baseline everywhere, the production pack on
 * top of it in production. A rule is written once, in its own file, and added to a pack here.
 */
export const PACKS = {
  baseline: [
    NoIngressFromAnywhere,
    RedisRuleSourceIsConnector,
    RedisAuthEverywhere,
    NamesCarryEnvironment,
    ConnectorRange,
    GcpNameLimits,
    ServerlessOnPrivateNetwork,
    InvocationAsDeclared,
  ],
  production: [RedisTlsInProduction, NoPublicRedisInProduction, MaintenanceWindowInProduction, HealthGatedInProduction, LivenessApartFromStartup],
} satisfies Record<string, RuleClass[]>;

/** The rules one stack is checked against, by the packs its environment takes. */
export function policyRules(context: PolicyContext): PolicyRule[] {
  const packs: RuleClass[][] = [PACKS.baseline, ...(context.production ? [PACKS.production] : [])];
  return packs.flat().map((Rule) => new Rule(context));
}
