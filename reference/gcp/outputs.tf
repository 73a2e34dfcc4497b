output "network_name" {
  description = "VPC network the serverless traffic and firewall rules use"
  value       = google_compute_network.vpc.name
}

output "vpc_connector_id" {
  description = "Pass to Cloud Run as --vpc-connector"
  value       = google_vpc_access_connector.connector.id
}

output "vpc_connector_cidr" {
  description = "Source range of connector traffic"
  value       = var.connector_cidr
}

output "backend_url" {
  description = "URL of the Cloud Run backend"
  value       = google_cloud_run_v2_service.backend.uri
}
