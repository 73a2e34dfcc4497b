import { existsSync, rmSync, writeFileSync } from "fs";
import fc from "fast-check";
import path from "path";
import { overlaps, parseCidr, Ipv4Range } from "../../../limits/cidr";
import { ConfigError, parseConfig } from "../../../config/load";
import { synthesize } from "../../../main";
import { rawConfig, tempDir } from "../../helpers/helpers";

// Property-based: random configurations, valid and not, through the real parse and synth path.

const octet = fc.integer({ min: 0, max: 255 });
/** An aligned private range of one prefix length inside 10/8. */
const range10 = (prefix: number) =>
  fc.tuple(octet, octet, octet).map(([b, c, d]) => {
    const size = 2 ** (32 - prefix);
    const start = ((10 << 24) | (b << 16) | (c << 8) | d) >>> 0;
    const aligned = start - (start % size);
    return `${[24, 16, 8, 0].map((s) => (aligned >>> s) & 255).join(".")}/${prefix}`;
  });
const disjoint = (a: string, b: string) => !overlaps(parseCidr(a) as Ipv4Range, parseCidr(b) as Ipv4Range);

const TEAM_ADDRESS = fc.constantFrom("platform-oncall@netrasystems.ai", "sre@example.org");

const gcp = fc
  .record({
    project: fc.stringMatching(/^[a-z][a-z0-9-]{4,20}[a-z0-9]$/),
    region: fc.constantFrom("us-central1", "europe-west1", "asia-east1"),
    connector: fc.record({
      cidr: range10(28),
      minInstances: fc.integer({ min: 2, max: 8 }),
      machineType: fc.constantFrom("f1-micro", "e2-micro", "e2-standard-4"),
    }),
    redis: fc.record({
      cidr: range10(29),
      tier: fc.constantFrom("BASIC", "STANDARD_HA"),
      memorySizeGb: fc.integer({ min: 1, max: 300 }),
      transitEncryption: fc.boolean(),
      maintenanceWindow: fc.record({ day: fc.constantFrom("MONDAY", "SUNDAY"), hour: fc.integer({ min: 0, max: 23 }) }),
    }),
    backend: fc.record({ minInstances: fc.integer({ min: 0, max: 5 }), maxInstances: fc.integer({ min: 5, max: 50 }) }),
    nat: fc.record({ enabled: fc.boolean() }),
    // Production alerts must notify someone.
    alerts: fc.record({ email: TEAM_ADDRESS }),
  })
  .filter((g) => disjoint(g.connector.cidr, g.redis.cidr))
  .map((g) => ({ ...g, connector: { ...g.connector, maxInstances: g.connector.minInstances + 1 } }));

const scaleway = fc
  .record({
    projectId: fc.uuid({ version: 4 }),
    region: fc.constantFrom("fr-par", "nl-ams", "pl-waw"),
    zoneNumber: fc.integer({ min: 1, max: 3 }),
    privateNetwork: fc.record({ cidr: fc.constantFrom("172.16.0.0/22", "10.20.0.0/20", "192.168.0.0/24") }),
    redis: fc.record({
      version: fc.constantFrom("7.2.11", "7.0.15"),
      nodeType: fc.constantFrom("RED1-MICRO", "RED1-S", "RED1-M"),
      clusterSize: fc.constantFrom(1, 2, 3, 5),
      userName: fc.stringMatching(/^[A-Za-z][A-Za-z0-9_-]{0,20}$/).filter((name) => !["scalewayadmin", "metrics"].includes(name.toLowerCase())),
      tls: fc.boolean(),
      passwordVersion: fc.integer({ min: 1, max: 1000 }),
    }),
    container: fc.record({ name: fc.stringMatching(/^[a-z][a-z0-9-]{0,10}[a-z0-9]$/), minScale: fc.integer({ min: 0, max: 3 }), maxScale: fc.integer({ min: 3, max: 20 }) }),
    alerts: fc.record({ contactEmails: fc.array(TEAM_ADDRESS, { minLength: 1, maxLength: 2 }) }),
  })
  .map(({ zoneNumber, ...s }) => ({ ...s, zone: `${s.region}-${zoneNumber}` }));

const environment = fc.record({ production: fc.boolean(), gcp, scaleway });
const config = fc.record({ name: fc.stringMatching(/^[a-z][a-z0-9]{0,9}$/), env: environment }).map(({ name, env }) => ({ environments: { [name]: env } }));

/** Synthesizes into a scratch directory: the error message, or the stacks written. */
function synth(raw: unknown): { error?: string; stacks?: string[] } {
  const dir = tempDir("prop-");
  const configFile = path.join(dir, "environments.json");
  const outdir = path.join(dir, "out");
  writeFileSync(configFile, JSON.stringify(raw));
  try {
    synthesize({ configFile, outdir });
    const name = Object.keys((raw as any).environments)[0];
    return { stacks: ["gcp", "scaleway"].filter((cloud) => existsSync(path.join(outdir, "stacks", `${cloud}-${name}`, "cdk.tf.json"))) };
  } catch (error) {
    expect(existsSync(outdir)).toBe(false);
    return { error: (error as Error).message };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// Fixed seeds keep CI reproducible; the counters prove both outcomes were exercised.
test("random valid configurations synthesize both clouds, and the policy refuses exactly production without TLS", () => {
  const seen = { refused: 0, written: 0 };
  fc.assert(
    fc.property(config, (raw) => {
      const env = Object.values(raw.environments)[0];
      // What the build's cache keeps (config/load.ts) is the validated configuration as JSON: nothing lost.
      const validated = parseConfig(raw);
      expect(JSON.parse(JSON.stringify(validated))).toStrictEqual(validated);
      const result = synth(raw);
      const tlsOff = env.production && (!env.gcp.redis.transitEncryption || !env.scaleway.redis.tls);
      if (tlsOff) {
        expect(result.error).toMatch(/^policy violations:\n(\[[^\]]+\] \[RN004\] .+: has (transit encryption|TLS) off in production; .+\n?)+$/);
        seen.refused++;
      } else {
        expect(result).toEqual({ stacks: ["gcp", "scaleway"] });
        seen.written++;
      }
    }),
    { numRuns: 15, seed: 20261124 },
  );
  expect(seen.refused).toBeGreaterThan(0);
  expect(seen.written).toBeGreaterThan(0);
}, 120_000);

/** Replaces one leaf of the shipped configuration with a value of the wrong shape. */
const brokenConfig = fc
  .record({
    leaf: fc.constantFrom(
      ["staging", "gcp", "connector", "cidr"], ["staging", "gcp", "connector", "minInstances"], ["staging", "gcp", "redis", "cidr"],
      ["staging", "gcp", "redis", "tier"], ["staging", "gcp", "region"], ["production", "scaleway", "zone"],
      ["production", "scaleway", "redis", "userName"], ["production", "scaleway", "redis", "clusterSize"],
      ["production", "scaleway", "container", "port"], ["production", "production"], ["staging", "gcp", "nat", "enabled"],
    ),
    value: fc.oneof(fc.string({ maxLength: 12 }), fc.integer({ min: -5, max: 100_000 }), fc.constant(null), fc.boolean(), fc.array(fc.nat(), { maxLength: 2 }), fc.constant("10.0.0.1/33")),
  })
  .map(({ leaf, value }) => {
    const raw = rawConfig();
    let at = raw.environments;
    for (const key of leaf.slice(0, -1)) at = at[key];
    at[leaf[leaf.length - 1]] = value;
    return { raw, field: `environments.${leaf.join(".")}` };
  });

test("random invalid values are rejected with a message naming the field, never a stack trace", () => {
  let rejected = 0;
  fc.assert(
    fc.property(brokenConfig, ({ raw, field }) => {
      let error: unknown;
      try {
        parseConfig(raw);
      } catch (e) {
        error = e;
      }
      // Some random values are valid (a different but allowed region, say): then nothing is thrown.
      if (error === undefined) return;
      expect(error).toBeInstanceOf(ConfigError);
      const message = (error as Error).message;
      expect(message).toMatch(/^invalid configuration:\n( {2}- \S+: .+\n?)+$/);
      expect(message).not.toMatch(/\bat .+\.(ts|js):\d+/);
      expect(message).toContain(field);
      rejected++;
    }),
    { numRuns: 200, seed: 20261124 },
  );
  expect(rejected).toBeGreaterThan(150);
});
