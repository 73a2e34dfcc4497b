// The live address space of an adopted network, from its recordings: every range the stack would
// create must be free there. Google refuses an overlapping subnet or connector range at apply,
// after the resources before it were created; the rehearsal refuses it before.
import { Ipv4Range, overlaps, parseCidr } from "../../limits/cidr";
import { TerraformJson } from "../verify/reference";
import { importedAddresses } from "./plan";
import { Recording } from "./recordings";

interface OwnedRange {
  readonly range: string;
  readonly owner: string;
}

/** Ranges in use, from the subnet lists and Memorystore instances recorded. */
function liveRanges(recordings: Recording[]): OwnedRange[] {
  const ranges: OwnedRange[] = [];
  for (const { kind, json } of recordings) {
    if (kind === "subnets") {
      for (const subnet of json) {
        ranges.push({ range: subnet.ipCidrRange, owner: `live subnet ${subnet.name}` });
        for (const secondary of subnet.secondaryIpRanges ?? []) ranges.push({ range: secondary.ipCidrRange, owner: `live subnet ${subnet.name} (secondary range ${secondary.rangeName})` });
      }
    }
    if (kind === "redis" && json.reservedIpRange) ranges.push({ range: json.reservedIpRange, owner: `live Memorystore ${json.name.split("/").pop()}` });
  }
  return ranges;
}

/** Ranges the stack creates, leaving out what it imports. */
function newRanges(stack: TerraformJson): OwnedRange[] {
  const imported = importedAddresses(stack);
  const ranges: OwnedRange[] = [];
  const each = (type: string, rangeOf: (body: TerraformJson) => string | undefined) => {
    for (const [name, body] of Object.entries<TerraformJson>(stack.resource?.[type] ?? {})) {
      const range = rangeOf(body);
      if (range && !imported.has(`${type}.${name}`) && typeof parseCidr(range) === "object") ranges.push({ range, owner: `${type}.${name}${body.name ? ` (${body.name})` : ""}` });
    }
  };
  each("google_compute_subnetwork", (b) => b.ip_cidr_range);
  each("google_vpc_access_connector", (b) => b.ip_cidr_range);
  each("google_compute_global_address", (b) => (b.address && b.prefix_length ? `${b.address}/${b.prefix_length}` : undefined));
  each("google_redis_instance", (b) => b.reserved_ip_range);
  return ranges;
}

/** One line per new range that overlaps a live one, and per new subnet named like a live one. */
export function addressSpaceProblems(stack: TerraformJson, recordings: Recording[]): string[] {
  const live = liveRanges(recordings);
  const problems: string[] = [];
  for (const wanted of newRanges(stack)) {
    for (const taken of live) {
      // newRanges kept only ranges that parse; a live one that does not overlaps nothing.
      const takenRange = parseCidr(taken.range);
      if (typeof takenRange === "object" && overlaps(parseCidr(wanted.range) as Ipv4Range, takenRange)) {
        problems.push(`${wanted.owner}: its range ${wanted.range} overlaps ${taken.range} of ${taken.owner}; choose a free range in the configuration`);
      }
    }
  }
  const liveSubnets = new Set(recordings.filter((r) => r.kind === "subnets").flatMap((r) => r.json.map((s: { name: string }) => s.name)));
  const imported = importedAddresses(stack);
  for (const [address, body] of Object.entries<TerraformJson>(stack.resource?.google_compute_subnetwork ?? {})) {
    if (liveSubnets.has(body.name) && !imported.has(`google_compute_subnetwork.${address}`)) problems.push(`google_compute_subnetwork.${address}: a live subnet is already named ${body.name}; creating it would fail (409)`);
  }
  return problems;
}
