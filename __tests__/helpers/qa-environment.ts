import { writeFileSync } from "fs";
import path from "path";
import { APP_SOURCES, copyProject, rawConfig } from "./helpers";

// A third environment, added the way the README says: config/environments.json alone (and its
// snapshots). The proof reads the reference's values for it from there too.

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

/** The shipped configuration with qa added. */
export function withQa(): any {
  const raw = rawConfig();
  raw.environments.qa = QA;
  return raw;
}

export const QA_STACKS = ["gcp-qa", "scaleway-qa"];

/** A copy of the project with qa added to config/environments.json, and nothing else changed. */
export function projectWithQa(): string {
  const copy = copyProject([...APP_SOURCES, "scripts", "reference"]);
  writeFileSync(path.join(copy, "config", "environments.json"), JSON.stringify(withQa(), null, 2));
  return copy;
}
