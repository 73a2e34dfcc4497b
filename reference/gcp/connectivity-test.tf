# Google's analysis of the path from the serving Cloud Run revision, through the connector, to the
# Memorystore host and port. It runs when created and on `gcloud network-management
# connectivity-tests rerun` (npm run reachability after each apply), never by itself.
resource "google_network_management_connectivity_test" "serverless_to_redis" {
  name        = "${var.environment}-serverless-to-redis"
  project     = var.project
  description = "Cloud Run (serving revision) to Memorystore over the serverless VPC path"
  protocol    = "TCP"

  source {
    # Cloud Run names a revision projects/<p>/locations/<r>/services/<s>/revisions/<rev>;
    # Connectivity Tests take projects/<p>/locations/<r>/revisions/<rev>.
    cloud_run_revision {
      uri = "projects/${var.project}/locations/${var.region}/revisions/${regex("[^/]+$", google_cloud_run_v2_service.backend.latest_ready_revision)}"
    }
  }

  destination {
    redis_instance = google_redis_instance.main.id
    ip_address     = google_redis_instance.main.host
    port           = local.redis_port
  }

  labels = {
    environment = var.environment
  }
}
