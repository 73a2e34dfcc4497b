import { MonitoringAlertPolicy, MonitoringAlertPolicyConditions } from "../../.gen/providers/google/monitoring-alert-policy";
import { MonitoringNotificationChannel, MonitoringNotificationChannelConfig } from "../../.gen/providers/google/monitoring-notification-channel";
import { MonitoringUptimeCheckConfig } from "../../.gen/providers/google/monitoring-uptime-check-config";
import { Fn } from "cdktf";
import { Construct } from "constructs";
import { NOTIFICATION_CHANNEL } from "../../limits/gcp";
import { EMAIL } from "../../limits/rule";
import { addressed, defaultAddress, firstInstance } from "../addresses";
import { checkText } from "../validate";


/** Terraform address names of the alerts' resources. */
export interface RedisPathAlertsAddresses {
  /** The alert policies (`google_monitoring_alert_policy`). */
  readonly redisRejectedConnections?: string;
  readonly redisMemory?: string;
  readonly connectorDown?: string;
  readonly connectorSaturated?: string;
  readonly backendHealth?: string;
  /** The uptime check of the backend's health path. */
  readonly backendHealthCheck?: string;
  /** The notification channels the alerts create. */
  readonly emailChannel?: string;
  readonly pagerDutyChannel?: string;
}

export interface RedisPathAlertsProps {
  readonly project: string;
  /** Starts every policy's display name, e.g. the environment. */
  readonly displayPrefix: string;
  /** The Memorystore instance's ID, `projects/<p>/locations/<r>/instances/<name>`. */
  readonly redisInstanceId: string;
  /** The Serverless VPC Access connector, where the path has one. */
  readonly connector?: { readonly name: string; readonly maxInstances: number };
  /**
   * The backend, where the public can reach it (an uptime check cannot authenticate): its https
   * URL and the health path that checks Redis.
   */
  readonly backend?: { readonly url: string; readonly healthPath: string };
  /** Existing channels alerts go to, by ID. @default none */
  readonly notificationChannels?: readonly string[];
  /** An email channel the stack creates, for this address (a team list rather than a person). */
  readonly email?: string;
  /**
   * A PagerDuty channel the stack creates. The service key is a secret, never configuration, and
   * write-only: in no plan and no state. A new `keyVersion` sends a new key.
   */
  readonly pagerDuty?: { readonly serviceKey: string; readonly keyVersion: number };
  /**
   * The resources' Terraform address names.
   * @default the construct ID, snake case, then the key in snake case (`alerts_redis_memory`)
   */
  readonly addresses?: RedisPathAlertsAddresses;
}

/**
 * Alerts on the path from serverless to Redis: Memorystore refusing connections or near its
 * memory, the connector gone or at its maximum size, and the backend's Redis health failing, sent
 * to the given channels and to those it creates. Every resource is `count = 1`, as the hand-written
 * reference's conditional ones, so addresses are `[0]`.
 */

export class RedisPathAlerts extends Construct {
  constructor(scope: Construct, id: string, props: RedisPathAlertsProps) {
    super(scope, id);
    const address = (key: keyof RedisPathAlertsAddresses) => props.addresses?.[key] ?? defaultAddress(id, defaultAddress(key));
    const existing = [...(props.notificationChannels ?? [])];
    for (const [i, channel] of existing.entries()) {
      checkText(this, `notificationChannels[${i}]`, channel, NOTIFICATION_CHANNEL);
    }
    if (props.email !== undefined) checkText(this, "email", props.email, EMAIL);
    const channel = (logicalId: string, name: string, config: Pick<MonitoringNotificationChannelConfig, "type" | "labels" | "sensitiveLabels">) =>
      firstInstance(addressed(new MonitoringNotificationChannel(this, `channel-${logicalId}`, {
        count: 1,
        project: props.project,
        displayName: `${props.displayPrefix}: ${name}`,
        ...config,
      }), logicalId), "name");
    const channels = [
      ...existing,
      ...(props.email !== undefined ? [channel(address("emailChannel"), "on-call email", { type: "email", labels: { email_address: props.email } })] : []),
      ...(props.pagerDuty ? [channel(address("pagerDutyChannel"), "PagerDuty", {
        type: "pagerduty",
        sensitiveLabels: { serviceKeyWo: props.pagerDuty.serviceKey, serviceKeyWoVersion: String(props.pagerDuty.keyVersion) },
      })] : []),
    ];
    const policy = (logicalId: string, name: string, documentation: string, condition: MonitoringAlertPolicyConditions) => {
      addressed(new MonitoringAlertPolicy(this, logicalId, {
        count: 1,
        project: props.project,
        displayName: `${props.displayPrefix}: ${name}`,
        combiner: "OR",
        severity: "ERROR",
        notificationChannels: channels,
        documentation: { content: documentation, mimeType: "text/markdown" },
        conditions: [condition],
      }), logicalId);
    };
    const redis = `resource.type = "redis_instance" AND resource.label.instance_id = "${props.redisInstanceId}"`;

    policy(address("redisRejectedConnections"), "Redis refuses connections", "Memorystore rejected client connections (maxclients reached): the backend cannot reach Redis.", {
      displayName: "connections rejected",
      conditionThreshold: {
        filter: `${redis} AND metric.type = "redis.googleapis.com/stats/reject_connections_count"`,
        comparison: "COMPARISON_GT",
        thresholdValue: 0,
        duration: "0s",
        aggregations: [{ alignmentPeriod: "60s", perSeriesAligner: "ALIGN_DELTA" }],
      },
    });
    policy(address("redisMemory"), "Redis memory near full", "Memorystore has used over 90 % of its memory for 5 minutes: evictions or write errors follow. Raise redis.memorySizeGb.", {
      displayName: "memory usage over 90 %",
      conditionThreshold: {
        filter: `${redis} AND metric.type = "redis.googleapis.com/stats/memory/usage_ratio"`,
        comparison: "COMPARISON_GT",
        thresholdValue: 0.9,
        duration: "300s",
        aggregations: [{ alignmentPeriod: "60s", perSeriesAligner: "ALIGN_MEAN" }],
      },
    });
    if (props.connector) {
      const connector = `resource.type = "vpc_access_connector" AND resource.label.connector_name = "${props.connector.name}" AND metric.type = "vpcaccess.googleapis.com/connector/instances"`;
      policy(address("connectorDown"), "VPC connector not serving", "No instance of the Serverless VPC Access connector has reported for 10 minutes: it is not READY, and serverless traffic cannot reach Redis.", {
        displayName: "no connector instance",
        conditionAbsent: { filter: connector, duration: "600s", aggregations: [{ alignmentPeriod: "60s", perSeriesAligner: "ALIGN_MAX" }] },
      });
      policy(address("connectorSaturated"), "VPC connector saturated", `The connector has run at its maximum of ${props.connector.maxInstances} instances for 15 minutes: raise connector.maxInstances or its machine type.`, {
        displayName: "connector at its maximum instances",
        conditionThreshold: {
          filter: connector,
          comparison: "COMPARISON_GT",
          thresholdValue: props.connector.maxInstances - 1,
          duration: "900s",
          aggregations: [{ alignmentPeriod: "60s", perSeriesAligner: "ALIGN_MAX" }],
        },
      });
    }
    if (props.backend) {
      const uptime = addressed(new MonitoringUptimeCheckConfig(this, "backend-health-check", {
        count: 1,
        project: props.project,
        displayName: `${props.displayPrefix}: backend health`,
        timeout: "10s",
        period: "60s",
        httpCheck: { path: props.backend.healthPath, port: 443, useSsl: true, validateSsl: true },
        monitoredResource: { type: "uptime_url", labels: { project_id: props.project, host: Fn.replace(props.backend.url, "https://", "") } },
      }), address("backendHealthCheck"));
      policy(address("backendHealth"), "backend health failing", "The backend's health path, which checks Redis, has failed from more than one uptime-check region.", {
        displayName: "health check failing",
        conditionThreshold: {
          filter: `metric.type = "monitoring.googleapis.com/uptime_check/check_passed" AND resource.type = "uptime_url" AND metric.label.check_id = "${firstInstance(uptime, "uptime_check_id")}"`,
          comparison: "COMPARISON_GT",
          thresholdValue: 1,
          duration: "60s",
          aggregations: [{ alignmentPeriod: "1200s", perSeriesAligner: "ALIGN_NEXT_OLDER", crossSeriesReducer: "REDUCE_COUNT_FALSE", groupByFields: ["resource.label.*"] }],
        },
      });
    }
  }
}
