environment               = "staging"
project_id                = "4b7d2e91-3a6c-4f0e-8d15-7c9a2b6e1f03"
region                    = "fr-par"
zone                      = "fr-par-1"
private_network_cidr      = "172.16.0.0/22"
redis_version             = "7.2.11"
redis_node_type           = "RED1-MICRO"
redis_cluster_size        = 1
redis_user_name           = "backend"
redis_tls                 = false
container_port            = 8080
container_min_scale       = 0
container_max_scale       = 3
container_timeout_seconds = 300
container_concurrency     = 50
container_privacy         = "public"
container_protocol        = "http1"
container_sandbox         = "v2"
redis_name                = "gift-genie-redis"
namespace_name            = "gift-genie"
container_name            = "gift-genie-backend"
redis_public              = true
redis_public_acl = [
  { ip = "51.15.0.0/16", description = "Scaleway Serverless Containers egress (fr-par)" },
  { ip = "4.175.114.0/24", description = "GitHub Actions runners (CI integration tests)" },
]
