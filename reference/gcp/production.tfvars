environment              = "production"
project                  = "netra-production"
region                   = "us-central1"
connector_cidr           = "10.3.0.0/28"
connector_min_instances  = 2
connector_max_instances  = 10
connector_machine_type   = "e2-standard-4"
production               = true
redis_cidr               = "10.166.205.80/29"
nat_enabled              = false
redis_tier               = "STANDARD_HA"
redis_memory_size_gb     = 5
redis_version            = "REDIS_7_2"
redis_transit_encryption = true
backend_min_instances    = 1
backend_max_instances    = 10
redis_maintenance_window = { day = "SUNDAY", hour = 3 }
redis_name               = "production-redis"
