resource "google_compute_firewall" "allow_vpc_connector_to_redis" {
  name               = "${var.environment}-allow-vpc-connector-to-redis"
  description        = "Serverless VPC Access connector to Redis"
  network            = google_compute_network.vpc.name
  direction          = "INGRESS"
  priority           = 1000
  source_ranges      = [var.connector_cidr]
  destination_ranges = [var.redis_cidr]

  allow {
    protocol = "tcp"
    ports    = [tostring(local.redis_port)]
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
