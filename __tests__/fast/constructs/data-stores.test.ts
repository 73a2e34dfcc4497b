import { TerraformStack, Testing } from "cdktf";
import { Memorystore, MemorystoreProps } from "../../../constructs/gcp/memorystore";
import { Network } from "../../../constructs/gcp/network";
import { RedisDatabase, RedisDatabaseProps } from "../../../constructs/scaleway/db";
import { PrivateNetwork } from "../../../constructs/scaleway/network";

// The Redis constructs check their own props, each refusal naming the field, the value and the
// rule (survivors of npm run mutate: refusals no test reached, or reached without the field name).

function synthesized(scope: TerraformStack): { resource: Record<string, Record<string, any>> } {
  return JSON.parse(Testing.synth(scope));
}

describe("Memorystore", () => {
  function cache(overrides: Partial<MemorystoreProps> = {}) {
    const scope = new TerraformStack(Testing.app(), "test");
    const network = new Network(scope, "network", { name: "test-vpc", logicalId: "vpc" });
    new Memorystore(scope, "cache", {
      name: "test-cache", region: "us-central1", network, reservedIpRange: "10.9.0.0/29",
      transitEncryption: true, deletionProtection: true, ...overrides,
    });
    return scope;
  }

  test.each<[Partial<MemorystoreProps>, string]>([
    [{ name: "Test-Cache" }, 'test/cache: name "Test-Cache" must be 1-40 lowercase letters'],
    [{ maintenanceWindow: { day: "SUN" as any, hour: 3 } }, 'test/cache: maintenanceWindow.day "SUN" must be one of MONDAY, TUESDAY, WEDNESDAY, THURSDAY, FRIDAY, SATURDAY, SUNDAY'],
    [{ maintenanceWindow: { day: "MONDAY", hour: 24 } }, "test/cache: maintenanceWindow.hour 24 must be an integer from 0 to 23"],
    [{ memorySizeGb: 0 }, "test/cache: memorySizeGb 0 must be an integer from 1 to 300"],
    [{ redisConfigs: { "maxmemory-policy": "forget-everything" } }, 'test/cache: redisConfigs.maxmemory-policy "forget-everything" '],
    [{ redisVersion: "REDIS_8_0" as any }, 'test/cache: redisVersion "REDIS_8_0" must be one of REDIS_3_2, REDIS_4_0, REDIS_5_0, REDIS_6_X, REDIS_7_0, REDIS_7_2'],
    [{ displayName: "d".repeat(81) }, `test/cache: displayName "${"d".repeat(81)}" must be 1-80 characters`],
    [{ persistence: { mode: "AOF" as any } }, 'test/cache: persistence.mode "AOF" must be one of DISABLED, RDB'],
    [{ persistence: { mode: "DISABLED", rdbSnapshotPeriod: "ONE_HOUR" } }, 'test/cache: persistence.rdbSnapshotPeriod "ONE_HOUR" is only for mode RDB'],
    [{ persistence: { mode: "RDB", rdbSnapshotPeriod: "TWO_HOURS" as any } }, 'test/cache: persistence.rdbSnapshotPeriod "TWO_HOURS" must be one of ONE_HOUR, SIX_HOURS, TWELVE_HOURS, TWENTY_FOUR_HOURS'],
    [{ reservedIpRange: "10.9.0.0/28" }, 'test/cache: reservedIpRange "10.9.0.0/28" must be a valid /29 range'],
    [{ connectMode: "PRIVATE_SERVICE_ACCESS", reservedIpRange: "10.9.0.0/25", allocatedRangeName: "redis-range" }, 'test/cache: reservedIpRange "10.9.0.0/25" must be a /24 or larger for PRIVATE_SERVICE_ACCESS'],
    [{ connectMode: "PRIVATE_SERVICE_ACCESS", reservedIpRange: "10.9.0.0/24" }, "test/cache: allocatedRangeName undefined is required for PRIVATE_SERVICE_ACCESS"],
    [{ connectMode: "PRIVATE_SERVICE_ACCESS", reservedIpRange: "10.9.0.0/24", allocatedRangeName: "Redis_Range" }, 'test/cache: allocatedRangeName "Redis_Range" must be 1-63 lowercase letters'],
  ])("rejects %j", (overrides, message) => {
    expect(() => cache(overrides)).toThrow(message);
  });

  test("skips checkov's transit encryption check only where TLS is off, and has a lifecycle only when protected or adopted (found by npm run mutate)", () => {
    const instance = (overrides: Partial<MemorystoreProps>) => (cache(overrides).toTerraform() as any).resource.google_redis_instance.cache;
    expect(instance({ transitEncryption: false })["//"].checkov_skip).toEqual({ CKV_GCP_97: expect.stringContaining("transit encryption is off by configuration") });
    expect(instance({ transitEncryption: true })["//"]?.checkov_skip).toBeUndefined();
    expect(instance({ deletionProtection: false }).lifecycle).toBeUndefined();
    expect(instance({ deletionProtection: true }).lifecycle).toEqual({ prevent_destroy: true });
  });

  test("writes persistence as given, and a snapshot period only where one is given", () => {
    const rdb = synthesized(cache({ persistence: { mode: "RDB", rdbSnapshotPeriod: "SIX_HOURS" } })).resource.google_redis_instance.cache;
    expect(rdb.persistence_config).toEqual({ persistence_mode: "RDB", rdb_snapshot_period: "SIX_HOURS" });
    const off = synthesized(cache({ persistence: { mode: "DISABLED" } })).resource.google_redis_instance.cache;
    expect(off.persistence_config).toEqual({ persistence_mode: "DISABLED" });
    expect(synthesized(cache()).resource.google_redis_instance.cache.persistence_config).toBeUndefined();
  });

  test("private services access reserves its range at the default address, named as given, and Redis takes it by reference", () => {
    const resource = synthesized(cache({ connectMode: "PRIVATE_SERVICE_ACCESS", reservedIpRange: "10.9.0.0/24", allocatedRangeName: "redis-range" })).resource;
    expect(resource.google_compute_global_address.cache_psa).toMatchObject({ name: "redis-range", address: "10.9.0.0", prefix_length: 24, purpose: "VPC_PEERING" });
    expect(resource.google_redis_instance.cache).toMatchObject({ connect_mode: "PRIVATE_SERVICE_ACCESS", reserved_ip_range: "${google_compute_global_address.cache_psa.name}" });
  });
});

describe("RedisDatabase", () => {
  function database(overrides: Partial<RedisDatabaseProps> = {}) {
    const scope = new TerraformStack(Testing.app(), "test");
    const privateNetwork = new PrivateNetwork(scope, "network", { vpcName: "test-vpc", privateNetworkName: "test-pn", region: "fr-par", cidr: "10.0.0.0/24", tags: [] });
    new RedisDatabase(scope, "cache", {
      name: "test-cache", zone: "fr-par-1", version: "7.2.11", nodeType: "RED1-MICRO", userName: "backend",
      tls: true, privateNetwork, tags: [], ...overrides,
    });
    return scope;
  }

  test.each<[Partial<RedisDatabaseProps>, string]>([
    [{ passwordVersion: 0 }, "test/cache: passwordVersion 0 must be an integer of at least 1"],
    [{ publicAcl: [{ ip: "10.0.0.0/8" }, { ip: "1.2.3.4" }] as any }, 'test/cache: publicAcl[1].ip "1.2.3.4" must be a valid IPv4 CIDR'],
    [{ settings: { "maxmemory-policy": "forget-everything" } }, 'test/cache: settings.maxmemory-policy "forget-everything" '],
  ])("rejects %j", (overrides, message) => {
    expect(() => database(overrides)).toThrow(message);
  });

  test("the password sits at the default address beside the cluster", () => {
    const resource = synthesized(database()).resource;
    expect(Object.keys(resource.random_password)).toEqual(["cache_password"]);
  });
});
