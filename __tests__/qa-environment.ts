import { writeFileSync } from "fs";
import path from "path";
import { APP_SOURCES, copyProject, rawConfig } from "./helpers";

// A third environment, added the way the README says: config/environments.json and its two tfvars.

/** The environment as a newcomer adds it: created from scratch, nothing adopted, not production (the default). */
export const QA = {
  gcp: {
    project: "netra-qa",
    region: "us-central1",
    connector: { cidr: "10.4.0.0/28", minInstances: 2, maxInstances: 3, machineType: "e2-micro" },
    redis: { cidr: "10.166.206.80/29", tier: "BASIC", memorySizeGb: 1, version: "REDIS_7_2", transitEncryption: true },
    backend: { minInstances: 0, maxInstances: 2 },
    nat: { enabled: false },
  },
  scaleway: {
    projectId: "d2a6f0c3-7b18-4e5d-9c41-3f8e2b7a6d19",
    region: "fr-par",
    zone: "fr-par-1",
    privateNetwork: { cidr: "172.16.4.0/22" },
    redis: { version: "7.2.11", nodeType: "RED1-MICRO", clusterSize: 1, userName: "backend", tls: true },
    container: { name: "backend", port: 8080, minScale: 0, maxScale: 2 },
  },
};

/** Its inputs to the hand-written reference: reference/<cloud>/qa.tfvars. */
export const QA_TFVARS = {
  gcp: `environment              = "qa"
project                  = "netra-qa"
region                   = "us-central1"
connector_cidr           = "10.4.0.0/28"
connector_min_instances  = 2
connector_max_instances  = 3
connector_machine_type   = "e2-micro"
redis_cidr               = "10.166.206.80/29"
redis_port               = 6378
nat_enabled              = false
`,
  scaleway: `environment          = "qa"
project_id           = "d2a6f0c3-7b18-4e5d-9c41-3f8e2b7a6d19"
region               = "fr-par"
zone                 = "fr-par-1"
private_network_cidr = "172.16.4.0/22"
redis_version        = "7.2.11"
redis_node_type      = "RED1-MICRO"
redis_cluster_size   = 1
redis_user_name      = "backend"
redis_tls            = true
container_port       = 8080
container_min_scale  = 0
container_max_scale  = 2
redis_name           = "qa-redis"
namespace_name       = "qa-containers"
container_name       = "qa-backend"
`,
};

/** The shipped configuration with qa added. */
export function withQa(): any {
  const raw = rawConfig();
  raw.environments.qa = QA;
  return raw;
}

export const QA_STACKS = ["gcp-qa", "scaleway-qa"];

/** A copy of the project with qa added: its configuration and reference inputs, nothing else. */
export function projectWithQa(): string {
  const copy = copyProject([...APP_SOURCES, "scripts", "reference"]);
  writeFileSync(path.join(copy, "config", "environments.json"), JSON.stringify(withQa(), null, 2));
  for (const [cloud, tfvars] of Object.entries(QA_TFVARS)) writeFileSync(path.join(copy, "reference", cloud, "qa.tfvars"), tfvars);
  return copy;
}
