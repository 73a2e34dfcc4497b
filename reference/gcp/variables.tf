variable "environment" {
  description = "Environment name; every resource name starts with it."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]*$", var.environment))
    error_message = "environment must be lowercase letters, digits or '-', starting with a letter."
  }
}

variable "project" {
  type = string
}

variable "region" {
  type = string
}

variable "connector_cidr" {
  description = "The connector's dedicated /28 range."
  type        = string
}

variable "connector_min_instances" {
  type = number
}

variable "connector_max_instances" {
  type = number
}

variable "connector_machine_type" {
  type = string
}

variable "production" {
  description = "Deletion protection on the service (Redis is always protected: lifecycle takes no variables)."
  type        = bool
}

variable "redis_cidr" {
  description = "The /29 Memorystore reserves for the instance."
  type        = string
}

variable "redis_name" {
  description = "<environment>-redis, or the live name of an adopted instance (staging)."
  type        = string
}

variable "redis_tier" {
  type = string
}

variable "redis_memory_size_gb" {
  type = number
}

variable "redis_version" {
  type = string
}

variable "redis_transit_encryption" {
  description = "TLS; Memorystore then serves on 6378. Changing it replaces the instance."
  type        = bool
}

variable "backend_name" {
  type    = string
  default = "backend"
}

variable "backend_invoker" {
  description = "allUsers (public binding), invokerIamDisabled, or authenticated (grants made elsewhere)."
  type        = string
  default     = "allUsers"
}

variable "redis_maintenance_window" {
  description = "Weekly hour (UTC) Google may update Redis, e.g. { day = \"SUNDAY\", hour = 3 }."
  type        = object({ day = string, hour = number })
  default     = null
}

variable "backend_port" {
  type    = number
  default = 8080
}

variable "backend_health_path" {
  description = "What the startup probe GETs (the seeds' backend answers /health with Redis's status)."
  type        = string
  default     = "/health"
}

variable "backend_liveness_path" {
  description = "What the liveness probe GETs: the process alone answers it, never Redis."
  type        = string
  default     = "/healthz"
}

variable "backend_min_instances" {
  type = number
}

variable "backend_max_instances" {
  type = number
}

# "" rather than no default: without one Terraform prompts, and a deploy without a terminal hangs.
variable "backend_image" {
  description = "Backend image with an explicit tag or digest, e.g. us-central1-docker.pkg.dev/<project>/<repository>/backend:1.4.2"
  type        = string
  default     = ""

  validation {
    condition     = can(regex("^[^ :@]+(:[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}|@sha256:[a-f0-9]{64})$", var.backend_image))
    error_message = "backend_image must name an image with a tag or a sha256 digest (no implicit latest); set it with -var backend_image=<image>, TF_VAR_backend_image, or the environment's image in config/environments.json."
  }
}

variable "default_deny_egress" {
  description = "Deny all egress at the lowest priority and allow the connector's egress to Redis."
  type        = bool
  default     = false
}

variable "nat_enabled" {
  type = bool
}

variable "alerts_enabled" {
  description = "Alerts on the Redis path (the stack's default: on in production)."
  type        = bool
  default     = false
}

variable "alert_notification_channels" {
  description = "Existing Cloud Monitoring channels the alerts go to."
  type        = list(string)
  default     = []
}

variable "alert_email" {
  description = "An email channel for this address (a team list), or null for none."
  type        = string
  default     = null
}

variable "alert_pagerduty" {
  description = "A PagerDuty channel, keyed by alert_pagerduty_service_key."
  type        = bool
  default     = false
}

variable "alert_pagerduty_key_version" {
  description = "Bumped to send a new alert_pagerduty_service_key (it is write-only)."
  type        = number
  default     = 1
}

# A secret from the apply (TF_VAR_...), never tfvars: ephemeral, for a write-only argument, so it is
# in no plan and no state. "" keeps a run without a terminal from prompting.
variable "alert_pagerduty_service_key" {
  description = "Integration key of the PagerDuty service the alerts page"
  type        = string
  default     = ""
  sensitive   = true
  ephemeral   = true

  validation {
    condition     = !terraform.applying || var.alert_pagerduty_service_key != ""
    error_message = "alert_pagerduty_service_key is empty: the apply must give the PagerDuty service's integration key as TF_VAR_alert_pagerduty_service_key (a secret: never in config/environments.json)."
  }
}
