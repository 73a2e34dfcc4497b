// The live address space of an adopted network, from its recordings: every range the stack would
// create must be free there. Google refuses an overlapping subnet or connector range at apply,
// after the resources before it were created; the rehearsal refuses it before.
const { overlaps, parseCidr } = require("../../dist/limits/cidr.js");

/** Ranges in use: [{ range, owner }] from the subnet lists and Memorystore instances recorded. */
function liveRanges(recordings) {
  const ranges = [];
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

/** Ranges the stack creates: [{ range, owner }], leaving out what it imports. */
function newRanges(stack) {
  const imported = new Set((stack.import ?? []).map((block) => block.to));
  const ranges = [];
  const each = (type, rangeOf) => {
    for (const [name, body] of Object.entries(stack.resource?.[type] ?? {})) {
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
function addressSpaceProblems(stack, recordings) {
  const live = liveRanges(recordings);
  const problems = [];
  for (const wanted of newRanges(stack)) {
    for (const taken of live) {
      if (overlaps(parseCidr(wanted.range), parseCidr(taken.range))) {
        problems.push(`${wanted.owner}: its range ${wanted.range} overlaps ${taken.range} of ${taken.owner}; choose a free range in the configuration`);
      }
    }
  }
  const liveSubnets = new Set(recordings.filter((r) => r.kind === "subnets").flatMap((r) => r.json.map((s) => s.name)));
  const imported = new Set((stack.import ?? []).map((block) => block.to));
  for (const [address, body] of Object.entries(stack.resource?.google_compute_subnetwork ?? {})) {
    if (liveSubnets.has(body.name) && !imported.has(`google_compute_subnetwork.${address}`)) problems.push(`google_compute_subnetwork.${address}: a live subnet is already named ${body.name}; creating it would fail (409)`);
  }
  return problems;
}

module.exports = { addressSpaceProblems, liveRanges, newRanges };
