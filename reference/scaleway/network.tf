resource "scaleway_vpc" "main" {
  name   = "${var.environment}-vpc"
  region = var.region
  tags   = [var.environment]
}

resource "scaleway_vpc_private_network" "main" {
  name   = "${var.environment}-private-network"
  region = var.region
  vpc_id = scaleway_vpc.main.id
  tags   = [var.environment]

  ipv4_subnet {
    subnet = var.private_network_cidr
  }
}
