import { changes, redact, SENSITIVE } from "../../../scripts/record";
import { SECRET_PLACEHOLDER } from "../../../scripts/rehearse/recordings";
import { providerSchema } from "../../helpers/helpers";

// npm run record's pure parts: which fields never reach a recording, and the change report.
const schemas = ["google", "scaleway"].map(providerSchema);

/** Every sensitive attribute of a resource or data source type, at any depth of its blocks. */
function sensitive(type: string): string[] {
  const [kind, name] = type.startsWith("data.") ? (["data_source_schemas", type.slice(5)] as const) : (["resource_schemas", type] as const);
  const found: string[] = [];
  const walk = (block: any) => {
    for (const [attribute, body] of Object.entries<any>(block?.attributes ?? {})) if (body.sensitive) found.push(attribute);
    for (const nested of Object.values<any>(block?.block_types ?? {})) walk(nested.block);
  };
  const schema = schemas.map((s) => s[kind]?.[name]).find(Boolean);
  expect([type, schema !== undefined]).toEqual([type, true]);
  walk(schema.block);
  return found.sort();
}

test("every attribute a provider marks sensitive, of every type recorded, has its API field written as the placeholder", () => {
  for (const [type, { attributes, fields }] of Object.entries(SENSITIVE)) {
    expect([type, [...attributes].sort()]).toEqual([type, sensitive(type)]);
    expect(fields).toHaveLength(attributes.length);
  }
});

test("redact replaces a named field at any depth, keeps every other, and leaves an absent one absent", () => {
  const json = { name: "x", authString: "s3cret", nested: [{ password: "p", port: 1 }], empty: null };
  expect(redact(json, ["authString", "password", "empty"])).toEqual({ name: "x", authString: SECRET_PLACEHOLDER, nested: [{ password: SECRET_PLACEHOLDER, port: 1 }], empty: null });
});

test("the change report names files added and removed, fields changed with their values, list items by name, and never a secret's value", () => {
  const before = new Map<string, unknown>([
    ["redis.a.json", { memorySizeGb: 1, authString: SECRET_PLACEHOLDER, tier: "BASIC", labels: { a: "1" } }],
    ["subnets.v.json", [{ name: "s1", ipCidrRange: "10.0.0.0/28" }, { name: "s2", ipCidrRange: "10.0.1.0/28" }]],
    ["network.old.json", { name: "old" }],
  ]);
  const after = new Map<string, unknown>([
    ["redis.a.json", { memorySizeGb: 5, authString: SECRET_PLACEHOLDER, labels: { a: "2" }, replicaCount: 1 }],
    ["subnets.v.json", [{ name: "s1", ipCidrRange: "10.0.0.0/27" }, { name: "s3", ipCidrRange: "10.0.2.0/28" }]],
    ["network.new.json", { name: "new" }],
  ]);
  expect(changes(before, after)).toEqual([
    "network.new.json: added",
    "network.old.json: removed (no longer adopted)",
    'redis.a.json: labels changed: {"a":"1"} -> {"a":"2"}',
    "redis.a.json: memorySizeGb changed: 1 -> 5",
    "redis.a.json: replicaCount added: 1",
    'redis.a.json: tier removed (was "BASIC")',
    "subnets.v.json: added s3, removed s2, changed s1",
  ]);
  expect(changes(after, after)).toEqual([]);
});
