resource "scaleway_container_namespace" "main" {
  name   = "${var.environment}-containers"
  region = var.region
  tags   = [var.environment]
}

resource "scaleway_container" "backend" {
  name                   = "${var.environment}-${var.container_name}"
  namespace_id           = scaleway_container_namespace.main.id
  region                 = var.region
  image                  = var.backend_image
  port                   = var.container_port
  min_scale              = var.container_min_scale
  max_scale              = var.container_max_scale
  cpu_limit              = var.container_cpu_limit
  memory_limit_bytes     = var.container_memory_limit_bytes
  private_network_id     = scaleway_vpc_private_network.main.id
  https_connections_only = true
  tags                   = [var.environment]

  secret_environment_variables = {
    REDIS_URL = local.redis_url
  }
}
