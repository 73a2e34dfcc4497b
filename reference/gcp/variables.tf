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
  description = "Memorystore's reserved range."
  type        = string
}

variable "redis_port" {
  type = number
}

variable "nat_enabled" {
  type = bool
}
