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

variable "redis_cidr" {
  description = "The /29 Memorystore reserves for the instance."
  type        = string
}

variable "redis_port" {
  description = "The port Memorystore serves on: 6378 with transit encryption (TLS), 6379 without."
  type        = number
}

variable "default_deny_egress" {
  description = "Deny all egress at the lowest priority and allow the connector's egress to Redis."
  type        = bool
  default     = false
}

variable "nat_enabled" {
  type = bool
}
