output "redis_private_endpoint" {
  description = "Redis host:port on the private network"
  value       = "${local.redis_host}:${local.redis_port}"
}

output "private_network_details" {
  description = "Private network Redis and the backend share"
  value = {
    id     = scaleway_vpc_private_network.main.id
    name   = scaleway_vpc_private_network.main.name
    subnet = scaleway_vpc_private_network.main.ipv4_subnet[0].subnet
    vpc_id = scaleway_vpc.main.id
  }
}

output "redis_connection_info" {
  description = "How clients connect: only from the private network"
  sensitive   = true
  value = {
    host           = local.redis_host
    port           = local.redis_port
    user_name      = var.redis_user_name
    tls            = var.redis_tls
    url            = local.redis_url
    ca_certificate = var.redis_tls ? scaleway_redis_cluster.main.certificate : ""
  }
}

output "backend_url" {
  description = "Public URL of the backend container"
  value       = scaleway_container.backend.public_endpoint
}
