resource "google_compute_subnetwork" "connector" {
  name                     = "${var.environment}-connector-subnet"
  network                  = google_compute_network.vpc.self_link
  region                   = var.region
  ip_cidr_range            = var.connector_cidr
  private_ip_google_access = true

  log_config {
    aggregation_interval = "INTERVAL_5_SEC"
    flow_sampling        = 0.5
    metadata             = "INCLUDE_ALL_METADATA"
  }
}

resource "google_vpc_access_connector" "connector" {
  name          = "${var.environment}-vac"
  region        = var.region
  min_instances = var.connector_min_instances
  max_instances = var.connector_max_instances
  machine_type  = var.connector_machine_type

  subnet {
    name = google_compute_subnetwork.connector.name
  }

  # Traffic flows as soon as the connector is up: the Redis rule must exist first.
  depends_on = [google_compute_firewall.allow_vpc_connector_to_redis]
}
