variable "environment" {
  description = "Environment name; every resource name starts with it."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]*$", var.environment))
    error_message = "environment must be lowercase letters, digits or '-', starting with a letter."
  }
}

variable "project_id" {
  description = "The environment's own Scaleway project."
  type        = string
}

variable "region" {
  type = string
}

variable "zone" {
  description = "Redis is zonal: a zone of var.region."
  type        = string
}

variable "private_network_cidr" {
  type = string
}

variable "redis_name" {
  description = "<environment>-redis, or the live name of an adopted cluster (staging)."
  type        = string
}

variable "redis_public" {
  description = "An adopted cluster keeps its public endpoint (cut-over step \"public\")."
  type        = bool
  default     = false
}

variable "redis_public_acl" {
  description = "The live ACL rules of that public endpoint."
  type        = list(object({ ip = string, description = string }))
  default     = []
}

variable "namespace_name" {
  description = "<environment>-containers, or the live name of an adopted namespace."
  type        = string
}

variable "redis_version" {
  type = string
}

variable "redis_node_type" {
  type = string
}

variable "redis_cluster_size" {
  type = number
}

variable "redis_user_name" {
  type = string
}

variable "redis_tls" {
  description = "Changing it replaces the cluster."
  type        = bool
}

variable "redis_password_version" {
  description = "Bump to rotate the Redis password."
  type        = number
  default     = 1
}

variable "container_name" {
  description = "<environment>-<container name>, or the live name of an adopted container."
  type        = string
}

variable "container_health_path" {
  description = "What the startup probe GETs (the seeds' backend answers /health with Redis's status)."
  type        = string
  default     = "/health"
}

variable "container_liveness_path" {
  description = "What the liveness probe GETs: the process alone answers it, never Redis."
  type        = string
  default     = "/healthz"
}

variable "container_port" {
  type = number
}

variable "container_min_scale" {
  type = number
}

variable "container_max_scale" {
  type = number
}

variable "container_cpu_limit" {
  type    = number
  default = 1000
}

variable "container_memory_limit_bytes" {
  type    = number
  default = 2147483648
}

# The service settings a running container has; null leaves Scaleway's own.
variable "container_timeout_seconds" {
  type    = number
  default = null
}

variable "container_concurrency" {
  description = "Concurrent requests per instance before another starts."
  type        = number
  default     = null
}

variable "container_privacy" {
  type    = string
  default = null
}

variable "container_protocol" {
  type    = string
  default = null
}

variable "container_sandbox" {
  type    = string
  default = null
}

# "" rather than no default: without one Terraform prompts, and a deploy without a terminal hangs.
variable "backend_image" {
  description = "Backend image with an explicit tag or digest, e.g. rg.fr-par.scw.cloud/<registry>/backend:1.4.2"
  type        = string
  default     = ""

  validation {
    condition     = can(regex("^[^ :@]+(:[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}|@sha256:[a-f0-9]{64})$", var.backend_image))
    error_message = "backend_image must name an image with a tag or a sha256 digest (no implicit latest); set it with -var backend_image=<image>, TF_VAR_backend_image, or the environment's image in config/environments.json."
  }
}
