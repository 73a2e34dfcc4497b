resource "google_service_account" "backend" {
  account_id   = "${var.environment}-${var.backend_name}"
  display_name = "Cloud Run service ${var.environment}-${var.backend_name}"
}

# Read access to exactly the Redis secrets, nothing project-wide.
resource "google_secret_manager_secret_iam_member" "backend_redis_host" {
  secret_id = google_secret_manager_secret.redis_host.id
  role      = "roles/secretmanager.secretAccessor"
  member    = google_service_account.backend.member
}

resource "google_secret_manager_secret_iam_member" "backend_redis_port" {
  secret_id = google_secret_manager_secret.redis_port.id
  role      = "roles/secretmanager.secretAccessor"
  member    = google_service_account.backend.member
}

resource "google_secret_manager_secret_iam_member" "backend_redis_auth" {
  secret_id = google_secret_manager_secret.redis_auth.id
  role      = "roles/secretmanager.secretAccessor"
  member    = google_service_account.backend.member
}

resource "google_secret_manager_secret_iam_member" "backend_redis_url" {
  secret_id = google_secret_manager_secret.redis_url.id
  role      = "roles/secretmanager.secretAccessor"
  member    = google_service_account.backend.member
}

resource "google_secret_manager_secret_iam_member" "backend_redis_ca_cert" {
  count     = var.redis_transit_encryption ? 1 : 0
  secret_id = google_secret_manager_secret.redis_ca_cert[0].id
  role      = "roles/secretmanager.secretAccessor"
  member    = google_service_account.backend.member
}

resource "google_cloud_run_v2_service" "backend" {
  name                 = "${var.environment}-${var.backend_name}"
  location             = var.region
  ingress              = "INGRESS_TRAFFIC_ALL"
  invoker_iam_disabled = var.backend_invoker == "invokerIamDisabled" ? true : null
  deletion_protection  = var.production

  labels = {
    environment = var.environment
  }

  template {
    service_account = google_service_account.backend.email

    vpc_access {
      connector = google_vpc_access_connector.connector.id
      egress    = "PRIVATE_RANGES_ONLY"
    }

    scaling {
      min_instance_count = var.backend_min_instances
      max_instance_count = var.backend_max_instances
    }

    containers {
      image = var.backend_image

      ports {
        container_port = var.backend_port
      }

      # A revision whose health (Redis included) fails never takes traffic; liveness checks only
      # the process, so a Redis outage restarts no instance.
      startup_probe {
        period_seconds    = 5
        timeout_seconds   = 3
        failure_threshold = 24
        http_get {
          path = var.backend_health_path
        }
      }

      liveness_probe {
        period_seconds    = 30
        timeout_seconds   = 5
        failure_threshold = 3
        http_get {
          path = var.backend_liveness_path
        }
      }

      env {
        name  = "REDIS_TLS"
        value = tostring(var.redis_transit_encryption)
      }

      env {
        name = "REDIS_HOST"
        value_source {
          secret_key_ref {
            secret  = google_secret_manager_secret.redis_host.secret_id
            version = google_secret_manager_secret_version.redis_host.version
          }
        }
      }

      env {
        name = "REDIS_PORT"
        value_source {
          secret_key_ref {
            secret  = google_secret_manager_secret.redis_port.secret_id
            version = google_secret_manager_secret_version.redis_port.version
          }
        }
      }

      env {
        name = "REDIS_PASSWORD"
        value_source {
          secret_key_ref {
            secret  = google_secret_manager_secret.redis_auth.secret_id
            version = google_secret_manager_secret_version.redis_auth.version
          }
        }
      }

      env {
        name = "REDIS_URL"
        value_source {
          secret_key_ref {
            secret  = google_secret_manager_secret.redis_url.secret_id
            version = google_secret_manager_secret_version.redis_url.version
          }
        }
      }

      dynamic "env" {
        for_each = var.redis_transit_encryption ? ["REDIS_CA_CERT"] : []
        content {
          name = env.value
          value_source {
            secret_key_ref {
              secret  = google_secret_manager_secret.redis_ca_cert[0].secret_id
              version = google_secret_manager_secret_version.redis_ca_cert[0].version
            }
          }
        }
      }
    }
  }

  # The first revision must not start before it may read its Redis settings.
  depends_on = [
    google_secret_manager_secret_iam_member.backend_redis_host,
    google_secret_manager_secret_iam_member.backend_redis_port,
    google_secret_manager_secret_iam_member.backend_redis_auth,
    google_secret_manager_secret_iam_member.backend_redis_url,
    google_secret_manager_secret_iam_member.backend_redis_ca_cert,
  ]
}

# Ingress is open to all traffic; who may invoke is declared per environment.
resource "google_cloud_run_v2_service_iam_member" "backend_public_invoker" {
  count    = var.backend_invoker == "allUsers" ? 1 : 0
  project  = google_cloud_run_v2_service.backend.project
  location = google_cloud_run_v2_service.backend.location
  name     = google_cloud_run_v2_service.backend.name
  role     = "roles/run.invoker"
  member   = "allUsers"
}
