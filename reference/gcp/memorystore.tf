locals {
  # Memorystore serves TLS on 6378 and plain Redis on 6379: the one place that says so.
  redis_port = var.redis_transit_encryption ? 6378 : 6379
}

resource "google_redis_instance" "main" {
  name                    = var.redis_name
  region                  = var.region
  tier                    = var.redis_tier
  memory_size_gb          = var.redis_memory_size_gb
  redis_version           = var.redis_version
  authorized_network      = google_compute_network.vpc.id
  connect_mode            = "DIRECT_PEERING"
  reserved_ip_range       = var.redis_cidr
  auth_enabled            = true
  transit_encryption_mode = var.redis_transit_encryption ? "SERVER_AUTHENTICATION" : "DISABLED"

  dynamic "maintenance_policy" {
    for_each = var.redis_maintenance_window == null ? [] : [var.redis_maintenance_window]
    content {
      weekly_maintenance_window {
        day = maintenance_policy.value.day
        start_time {
          hours   = maintenance_policy.value.hour
          minutes = 0
        }
      }
    }
  }

  labels = {
    environment = var.environment
  }

  deletion_protection = true

  lifecycle {
    prevent_destroy = true
    # Google never reports the range back: on an imported instance any value plans a replacement.
    ignore_changes = [reserved_ip_range]
  }
}
