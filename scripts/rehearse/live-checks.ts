// What a plan cannot show about adopted objects, read from their recordings: settings the providers
// never read back (after an import Terraform has nothing to compare them with, so the stack ignores
// their changes and the rehearsal compares them instead), and an endpoint swap Scaleway's provider
// makes while its plan shows the public endpoint unchanged.
import { Plan } from "../plan-json";
import { TerraformJson } from "../verify/reference";
import { Recording } from "./recordings";

/** The recording of the live object an import block names, or undefined. */
function liveObject(recordings: Recording[], type: string, importId: string): any {
  if (type === "google_redis_instance") return recordings.find((r) => r.kind === "redis" && r.json.name === importId)?.json;
  if (type === "scaleway_redis_cluster") return recordings.find((r) => r.kind === "scw-redis" && `${r.json.zone}/${r.json.id}` === importId)?.json;
  if (type === "scaleway_container_namespace") return recordings.find((r) => r.kind === "scw-namespace" && `${r.json.region}/${r.json.id}` === importId)?.json;
  return undefined;
}

/**
 * One line per adopted Scaleway object in another project than the stack's `projectId`. The import
 * keeps it where it is and no plan shows the difference, but everything the stack creates (the
 * private network the container and Redis join) lands in the configured project.
 */
export function projectMismatches(stack: TerraformJson, recordings: Recording[]): string[] {
  const configured = stack.provider?.scaleway?.[0]?.project_id;
  return (stack.import ?? []).flatMap(({ to, id }: { to: string; id: string }) => {
    const live = to.startsWith("scaleway_") ? liveObject(recordings, to.split(".")[0], id)?.project_id : undefined;
    return live !== undefined && live !== configured
      ? [`${to}: lives in project ${live}, but scaleway.projectId is ${configured}; the private network and everything else the stack creates would land in another project than the objects it adopts`]
      : [];
  });
}

/** Per resource type: the settings its provider never reads back, how the recording shows each, and what a mismatch breaks. */
const UNREAD: Record<string, { attribute: string; live: (json: any) => unknown; setting: string; effect: string }[]> = {
  google_redis_instance: [{ attribute: "reserved_ip_range", live: (json) => json.reservedIpRange, setting: "redis.cidr", effect: "the firewall rule to Redis would target the wrong range" }],
  scaleway_redis_cluster: [{ attribute: "tls_enabled", live: (json) => json.tls_enabled ?? false, setting: "redis.tls", effect: "the backend would be given the wrong scheme (redis:// or rediss://)" }],
};

/** One line per adopted setting that differs from the live object. */
export function unreadMismatches(stack: TerraformJson, recordings: Recording[]): string[] {
  const problems: string[] = [];
  for (const { to, id } of stack.import ?? []) {
    const [type, name] = to.split(".");
    const live = liveObject(recordings, type, id);
    if (!live) continue;
    for (const { attribute, live: read, setting, effect } of UNREAD[type] ?? []) {
      const configured = stack.resource[type][name][attribute];
      if (configured !== undefined && configured !== read(live)) {
        problems.push(`${to}: ${attribute} is ${JSON.stringify(configured)} in the configuration (${setting}) but ${JSON.stringify(read(live))} on the live object; the provider never reads it back, so no plan shows this, and ${effect}`);
      }
    }
  }
  return problems;
}

/** Notes on what an apply of `plan` does to adopted objects beyond what the plan shows. */
export function hiddenEffects(stack: TerraformJson, plan: Plan, recordings: Recording[]): string[] {
  const notes: string[] = [];
  for (const { to, id } of stack.import ?? []) {
    if (!to.startsWith("scaleway_redis_cluster.")) continue;
    const live = liveObject(recordings, "scaleway_redis_cluster", id);
    const change = plan.resource_changes?.find((c) => c.address === to);
    const publicEndpoints: { ips: string[]; port: number }[] = (live?.endpoints ?? []).filter((e: { public_network?: object }) => e.public_network);
    const { before, after, after_unknown: unknown } = (change?.change ?? {}) as { before?: TerraformJson; after?: TerraformJson; after_unknown?: TerraformJson };
    const attaches = change && (before?.private_network ?? []).length === 0 && (unknown?.private_network || (after?.private_network ?? []).length);
    if (attaches && publicEndpoints.length) {
      const where = publicEndpoints.map((e) => `${e.ips.join(",")}:${e.port}`).join(" ");
      notes.push(`${to}: attaching the private network replaces the cluster's endpoints (the provider's SetEndpoints): the public endpoint ${where} goes away in this apply, though the plan shows public_network unchanged`);
    }
  }
  return notes;
}
