# How to reach Redis, from the instance's own attributes: never a template or a typed-in value.

resource "google_secret_manager_secret" "redis_host" {
  secret_id = "${var.environment}-redis-host"

  replication {
    auto {}
  }

  labels = {
    environment = var.environment
  }
}

resource "google_secret_manager_secret_version" "redis_host" {
  secret      = google_secret_manager_secret.redis_host.id
  secret_data = google_redis_instance.main.host
}

resource "google_secret_manager_secret" "redis_port" {
  secret_id = "${var.environment}-redis-port"

  replication {
    auto {}
  }

  labels = {
    environment = var.environment
  }
}

resource "google_secret_manager_secret_version" "redis_port" {
  secret      = google_secret_manager_secret.redis_port.id
  secret_data = tostring(google_redis_instance.main.port)
}

resource "google_secret_manager_secret" "redis_auth" {
  secret_id = "${var.environment}-redis-auth"

  replication {
    auto {}
  }

  labels = {
    environment = var.environment
  }
}

resource "google_secret_manager_secret_version" "redis_auth" {
  secret      = google_secret_manager_secret.redis_auth.id
  secret_data = google_redis_instance.main.auth_string
}

resource "google_secret_manager_secret" "redis_ca_cert" {
  count     = var.redis_transit_encryption ? 1 : 0
  secret_id = "${var.environment}-redis-ca-cert"

  replication {
    auto {}
  }

  labels = {
    environment = var.environment
  }
}

resource "google_secret_manager_secret_version" "redis_ca_cert" {
  count       = var.redis_transit_encryption ? 1 : 0
  secret      = google_secret_manager_secret.redis_ca_cert[0].id
  secret_data = google_redis_instance.main.server_ca_certs[0].cert
}
