import { Construct } from "constructs";
import { CockpitAlertManager } from "../../.gen/providers/scaleway/cockpit-alert-manager";
import { EMAIL } from "../../limits/rule";
import { addressed, defaultAddress } from "../addresses";
import { checkText } from "../validate";

/**
 * Cockpit's preconfigured alert rules for Managed Redis, by the IDs Scaleway's catalogue gives them
 * (the same in every project: provider 2.81.0's recorded API replies list them so for several
 * projects). Cockpit offers none for Serverless Containers, and the provider has no resource for
 * custom rules; the container's health probe is what guards it (docs/decisions.md).
 */
export const REDIS_PRECONFIGURED_ALERTS = {
  "3c5b3a41-69de-43ed-9217-e3002d687c53": "Redis memory usage over 80 % for 10 minutes",
  "f5e3c109-91b3-4586-b580-9f86529c1df8": "Redis CPU usage over 80 % for 10 minutes",
} as const;

/** In the provider's project. */
export interface RedisAlertsProps {
  readonly region: string;
  /** Where alerts go. @default none: they show in Cockpit's Grafana only */
  readonly contactEmails?: readonly string[];
  /** Terraform address name of the alert manager. @default the construct ID, snake case */
  readonly logicalId?: string;
}

/**
 * Cockpit's alert manager with the Managed Redis alerts on, sending to the given addresses. There
 * is one alert manager per project and region: the alerts cover every Redis cluster there, and
 * destroying the stack disables the alert manager for the whole project. `count = 1`, as the
 * hand-written reference's conditional resources, so the address is `[0]`.
 */
export class RedisAlerts extends Construct {
  constructor(scope: Construct, id: string, props: RedisAlertsProps) {
    super(scope, id);
    const emails = [...(props.contactEmails ?? [])];
    for (const [i, email] of emails.entries()) checkText(this, `contactEmails[${i}]`, email, EMAIL);
    addressed(new CockpitAlertManager(this, "alert-manager", {
      count: 1,
      region: props.region,
      preconfiguredAlertIds: Object.keys(REDIS_PRECONFIGURED_ALERTS),
      contactPoints: emails.length ? emails.map((email) => ({ email })) : undefined,
    }), props.logicalId ?? defaultAddress(id));
  }
}
