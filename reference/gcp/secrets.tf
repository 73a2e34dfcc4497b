# How to reach Redis, from the instance's own attributes: never a template or a typed-in value.
# A replaced instance writes new versions: ABANDON leaves the old ones readable until the service
# has moved to the new ones (create_before_destroy would be forced onto the fixed-name instance).

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
  secret          = google_secret_manager_secret.redis_host.id
  secret_data     = google_redis_instance.main.host
  deletion_policy = "ABANDON"
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
  secret          = google_secret_manager_secret.redis_port.id
  secret_data     = tostring(google_redis_instance.main.port)
  deletion_policy = "ABANDON"
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
  secret          = google_secret_manager_secret.redis_auth.id
  secret_data     = google_redis_instance.main.auth_string
  deletion_policy = "ABANDON"
}

resource "google_secret_manager_secret" "redis_url" {
  secret_id = "${var.environment}-redis-url"

  replication {
    auto {}
  }

  labels = {
    environment = var.environment
  }
}

resource "google_secret_manager_secret_version" "redis_url" {
  secret          = google_secret_manager_secret.redis_url.id
  secret_data     = "${var.redis_transit_encryption ? "rediss" : "redis"}://:${urlencode(google_redis_instance.main.auth_string)}@${google_redis_instance.main.host}:${tostring(google_redis_instance.main.port)}"
  deletion_policy = "ABANDON"
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
  count           = var.redis_transit_encryption ? 1 : 0
  secret          = google_secret_manager_secret.redis_ca_cert[0].id
  secret_data     = join("\n", google_redis_instance.main.server_ca_certs[*].cert)
  deletion_policy = "ABANDON"
}
