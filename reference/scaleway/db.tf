# Scaleway wants upper, lower, digit and special characters; REDIS_URL encodes them.
# A new redis_password_version replaces the password and re-sends it to the cluster.
resource "random_password" "redis" {
  length      = 32
  min_upper   = 2
  min_lower   = 2
  min_numeric = 2
  min_special = 2

  keepers = {
    version = tostring(var.redis_password_version)
  }
}

# Private endpoint only, except while an adopted cluster keeps its public one behind its live ACL
# (cut-over step "public"): `acl` (the public endpoint's guard) conflicts with private_network.
resource "scaleway_redis_cluster" "main" {
  name         = var.redis_name
  zone         = var.zone
  version      = var.redis_version
  node_type    = var.redis_node_type
  cluster_size = var.redis_cluster_size
  user_name    = var.redis_user_name
  # Write-only: the cluster's state never holds the password.
  password_wo         = random_password.redis.result
  password_wo_version = var.redis_password_version
  tls_enabled         = var.redis_tls
  tags                = [var.environment]

  dynamic "private_network" {
    for_each = var.redis_public ? [] : [1]
    content {
      id = scaleway_vpc_private_network.main.id
    }
  }

  dynamic "acl" {
    for_each = var.redis_public_acl
    content {
      ip          = acl.value.ip
      description = acl.value.description
    }
  }

  lifecycle {
    # Never read back by the provider: on an imported cluster any value plans a replacement.
    ignore_changes = [tls_enabled]
  }
}

locals {
  redis_host = var.redis_public ? element(scaleway_redis_cluster.main.public_network[0].ips, 0) : element(tolist(scaleway_redis_cluster.main.private_network)[0].ips, 0)
  redis_port = var.redis_public ? tostring(scaleway_redis_cluster.main.public_network[0].port) : tostring(tolist(scaleway_redis_cluster.main.private_network)[0].port)
  redis_url  = "${var.redis_tls ? "rediss" : "redis"}://${var.redis_user_name}:${urlencode(random_password.redis.result)}@${local.redis_host}:${local.redis_port}"
}
