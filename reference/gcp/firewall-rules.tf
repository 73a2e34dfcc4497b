# Memorystore sits in a Google-managed network peered with this one: ingress rules here do not
# filter traffic into it. The Redis rule scopes the path to the connector (range and the tag Google
# gives its VMs); AUTH, TLS and, with default-deny egress, the egress allow are what guard Redis.
locals {
  connector_tag = "vpc-connector-${var.region}-${var.environment}-vac"
}

resource "google_compute_firewall" "allow_vpc_connector_to_redis" {
  name               = "${var.environment}-allow-vpc-connector-to-redis"
  description        = "Serverless VPC Access connector to Redis"
  network            = google_compute_network.vpc.name
  direction          = "INGRESS"
  priority           = 1000
  source_ranges      = [var.connector_cidr]
  source_tags        = [local.connector_tag]
  destination_ranges = [var.redis_cidr]

  allow {
    protocol = "tcp"
    ports    = [tostring(var.redis_port)]
  }

  log_config {
    metadata = "INCLUDE_ALL_METADATA"
  }
}

resource "google_compute_firewall" "allow_internal_vpc_communication" {
  name          = "${var.environment}-allow-internal-vpc-communication"
  description   = "Traffic between the network's own ranges"
  network       = google_compute_network.vpc.name
  direction     = "INGRESS"
  priority      = 65534
  source_ranges = [var.connector_cidr]
  # Only the connector's VMs: a VM added to the network later is not opened to this range.
  target_tags = [local.connector_tag]

  allow {
    protocol = "tcp"
  }

  allow {
    protocol = "udp"
  }

  allow {
    protocol = "icmp"
  }

  log_config {
    metadata = "INCLUDE_ALL_METADATA"
  }
}

resource "google_compute_firewall" "deny_all_egress" {
  count              = var.default_deny_egress ? 1 : 0
  name               = "${var.environment}-deny-all-egress"
  description        = "Default-deny egress; what may leave is allowed explicitly"
  network            = google_compute_network.vpc.name
  direction          = "EGRESS"
  priority           = 65534
  destination_ranges = ["0.0.0.0/0"]

  deny {
    protocol = "all"
  }

  log_config {
    metadata = "INCLUDE_ALL_METADATA"
  }
}

resource "google_compute_firewall" "allow_vpc_connector_egress_to_redis" {
  count              = var.default_deny_egress ? 1 : 0
  name               = "${var.environment}-allow-vpc-connector-egress-to-redis"
  description        = "Serverless VPC Access connector to Redis, through default-deny egress"
  network            = google_compute_network.vpc.name
  direction          = "EGRESS"
  priority           = 1000
  target_tags        = [local.connector_tag]
  destination_ranges = [var.redis_cidr]

  allow {
    protocol = "tcp"
    ports    = [tostring(var.redis_port)]
  }

  log_config {
    metadata = "INCLUDE_ALL_METADATA"
  }
}
