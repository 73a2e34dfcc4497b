resource "scaleway_container_namespace" "main" {
  name   = var.namespace_name
  region = var.region
  tags   = [var.environment]
}

resource "scaleway_container" "backend" {
  name                   = var.container_name
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
  timeout                = var.container_timeout_seconds
  privacy                = var.container_privacy
  protocol               = var.container_protocol
  sandbox                = var.container_sandbox

  dynamic "scaling_option" {
    for_each = var.container_concurrency == null ? [] : [var.container_concurrency]
    content {
      concurrent_requests_threshold = scaling_option.value
    }
  }

  # A deployment whose health (Redis included) fails never takes traffic; liveness checks only
  # the process, so a Redis outage restarts no instance.
  startup_probe {
    interval          = "5s"
    timeout           = "3s"
    failure_threshold = 24
    http {
      path = var.container_health_path
    }
  }

  liveness_probe {
    interval          = "30s"
    timeout           = "5s"
    failure_threshold = 3
    http {
      path = var.container_liveness_path
    }
  }
  tags = [var.environment]

  # The Redis environment contract (constructs/redis-environment.ts).
  environment_variables = {
    REDIS_HOST     = local.redis_host
    REDIS_PORT     = local.redis_port
    REDIS_USERNAME = var.redis_user_name
    REDIS_TLS      = tostring(var.redis_tls)
  }

  secret_environment_variables = merge(
    {
      REDIS_PASSWORD = random_password.redis.result
      REDIS_URL      = local.redis_url
    },
    var.redis_tls ? { REDIS_CA_CERT = scaleway_redis_cluster.main.certificate } : {},
  )
}
