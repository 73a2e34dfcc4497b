# Alerts on the path from serverless to Redis, where alerts_enabled (production by default), sent
# to the existing channels and to those created here.

resource "google_monitoring_notification_channel" "email" {
  count        = var.alerts_enabled && var.alert_email != null ? 1 : 0
  project      = var.project
  display_name = "${var.environment}: on-call email"
  type         = "email"
  labels = {
    email_address = var.alert_email
  }
}

resource "google_monitoring_notification_channel" "pagerduty" {
  count        = var.alerts_enabled && var.alert_pagerduty ? 1 : 0
  project      = var.project
  display_name = "${var.environment}: PagerDuty"
  type         = "pagerduty"
  sensitive_labels {
    service_key_wo         = var.alert_pagerduty_service_key
    service_key_wo_version = tostring(var.alert_pagerduty_key_version)
  }
}

locals {
  alert_notification_channels = concat(
    var.alert_notification_channels,
    var.alert_email != null ? [google_monitoring_notification_channel.email[0].name] : [],
    var.alert_pagerduty ? [google_monitoring_notification_channel.pagerduty[0].name] : [],
  )
}

resource "google_monitoring_alert_policy" "redis_rejected_connections" {
  count                 = var.alerts_enabled ? 1 : 0
  project               = var.project
  display_name          = "${var.environment}: Redis refuses connections"
  combiner              = "OR"
  severity              = "ERROR"
  notification_channels = local.alert_notification_channels

  documentation {
    content   = "Memorystore rejected client connections (maxclients reached): the backend cannot reach Redis."
    mime_type = "text/markdown"
  }

  conditions {
    display_name = "connections rejected"
    condition_threshold {
      filter          = "resource.type = \"redis_instance\" AND resource.label.instance_id = \"${google_redis_instance.main.id}\" AND metric.type = \"redis.googleapis.com/stats/reject_connections_count\""
      comparison      = "COMPARISON_GT"
      threshold_value = 0
      duration        = "0s"
      aggregations {
        alignment_period   = "60s"
        per_series_aligner = "ALIGN_DELTA"
      }
    }
  }
}

resource "google_monitoring_alert_policy" "redis_memory" {
  count                 = var.alerts_enabled ? 1 : 0
  project               = var.project
  display_name          = "${var.environment}: Redis memory near full"
  combiner              = "OR"
  severity              = "ERROR"
  notification_channels = local.alert_notification_channels

  documentation {
    content   = "Memorystore has used over 90 % of its memory for 5 minutes: evictions or write errors follow. Raise redis.memorySizeGb."
    mime_type = "text/markdown"
  }

  conditions {
    display_name = "memory usage over 90 %"
    condition_threshold {
      filter          = "resource.type = \"redis_instance\" AND resource.label.instance_id = \"${google_redis_instance.main.id}\" AND metric.type = \"redis.googleapis.com/stats/memory/usage_ratio\""
      comparison      = "COMPARISON_GT"
      threshold_value = 0.9
      duration        = "300s"
      aggregations {
        alignment_period   = "60s"
        per_series_aligner = "ALIGN_MEAN"
      }
    }
  }
}

resource "google_monitoring_alert_policy" "connector_down" {
  count                 = var.alerts_enabled ? 1 : 0
  project               = var.project
  display_name          = "${var.environment}: VPC connector not serving"
  combiner              = "OR"
  severity              = "ERROR"
  notification_channels = local.alert_notification_channels

  documentation {
    content   = "No instance of the Serverless VPC Access connector has reported for 10 minutes: it is not READY, and serverless traffic cannot reach Redis."
    mime_type = "text/markdown"
  }

  conditions {
    display_name = "no connector instance"
    condition_absent {
      filter   = "resource.type = \"vpc_access_connector\" AND resource.label.connector_name = \"${var.environment}-vac\" AND metric.type = \"vpcaccess.googleapis.com/connector/instances\""
      duration = "600s"
      aggregations {
        alignment_period   = "60s"
        per_series_aligner = "ALIGN_MAX"
      }
    }
  }
}

resource "google_monitoring_alert_policy" "connector_saturated" {
  count                 = var.alerts_enabled ? 1 : 0
  project               = var.project
  display_name          = "${var.environment}: VPC connector saturated"
  combiner              = "OR"
  severity              = "ERROR"
  notification_channels = local.alert_notification_channels

  documentation {
    content   = "The connector has run at its maximum of ${var.connector_max_instances} instances for 15 minutes: raise connector.maxInstances or its machine type."
    mime_type = "text/markdown"
  }

  conditions {
    display_name = "connector at its maximum instances"
    condition_threshold {
      filter          = "resource.type = \"vpc_access_connector\" AND resource.label.connector_name = \"${var.environment}-vac\" AND metric.type = \"vpcaccess.googleapis.com/connector/instances\""
      comparison      = "COMPARISON_GT"
      threshold_value = var.connector_max_instances - 1
      duration        = "900s"
      aggregations {
        alignment_period   = "60s"
        per_series_aligner = "ALIGN_MAX"
      }
    }
  }
}

# An uptime check cannot authenticate: only a publicly invocable backend is checked.
resource "google_monitoring_uptime_check_config" "backend_health" {
  count        = var.alerts_enabled && var.backend_invoker != "authenticated" ? 1 : 0
  project      = var.project
  display_name = "${var.environment}: backend health"
  timeout      = "10s"
  period       = "60s"

  http_check {
    path         = var.backend_health_path
    port         = 443
    use_ssl      = true
    validate_ssl = true
  }

  monitored_resource {
    type = "uptime_url"
    labels = {
      project_id = var.project
      host       = replace(google_cloud_run_v2_service.backend.uri, "https://", "")
    }
  }
}

resource "google_monitoring_alert_policy" "backend_health" {
  count                 = var.alerts_enabled && var.backend_invoker != "authenticated" ? 1 : 0
  project               = var.project
  display_name          = "${var.environment}: backend health failing"
  combiner              = "OR"
  severity              = "ERROR"
  notification_channels = local.alert_notification_channels

  documentation {
    content   = "The backend's health path, which checks Redis, has failed from more than one uptime-check region."
    mime_type = "text/markdown"
  }

  conditions {
    display_name = "health check failing"
    condition_threshold {
      filter          = "metric.type = \"monitoring.googleapis.com/uptime_check/check_passed\" AND resource.type = \"uptime_url\" AND metric.label.check_id = \"${google_monitoring_uptime_check_config.backend_health[0].uptime_check_id}\""
      comparison      = "COMPARISON_GT"
      threshold_value = 1
      duration        = "60s"
      aggregations {
        alignment_period     = "1200s"
        per_series_aligner   = "ALIGN_NEXT_OLDER"
        cross_series_reducer = "REDUCE_COUNT_FALSE"
        group_by_fields      = ["resource.label.*"]
      }
    }
  }
}
