# Cockpit's preconfigured Managed Redis alerts (memory, CPU), where alerts_enabled (production by
# default). One alert manager per project and region; Cockpit offers no alert for containers.
resource "scaleway_cockpit_alert_manager" "main" {
  count  = var.alerts_enabled ? 1 : 0
  region = var.region

  preconfigured_alert_ids = [
    "3c5b3a41-69de-43ed-9217-e3002d687c53", # Redis memory usage over 80 % for 10 minutes
    "f5e3c109-91b3-4586-b580-9f86529c1df8", # Redis CPU usage over 80 % for 10 minutes
  ]

  dynamic "contact_points" {
    for_each = var.alert_contact_emails
    content {
      email = contact_points.value
    }
  }
}
