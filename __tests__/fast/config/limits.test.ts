import { Ipv4Range, isPrivate, overlaps, parseCidr } from "../../../limits/cidr";
import { VARIABLE_NAME, variableNameProblem } from "../../../limits/environment";
import { githubRepositoryProblem } from "../../../limits/github";
import { CLOUD_RUN_SERVICE, CONNECTOR, connectorNameProblem, gcsBucketNameProblem, MEMORYSTORE, MEMORYSTORE_NAME, memorystoreConfigProblem, memorystorePort, PROJECT_ID } from "../../../limits/gcp";
import { HEALTH_PATH } from "../../../limits/http";
import { intProblem, rangeRule, textProblem } from "../../../limits/rule";
import { objectStorageBucketNameProblem, PROJECT_ID_RULE, REDIS_SETTINGS, redisSettingProblem, redisUserNameProblem, redisVersionProblem, ZONE } from "../../../limits/scaleway";

// The clouds' rules, each in one place: a change to one (a new Redis version, a wider range) is
// that file and this test; the schema, the constructs and the policy follow.

describe("Redis versions", () => {
  test.each(["6.2.14", "7.0.15", "7.2.11"])("Scaleway offers %s", (version) => {
    expect(redisVersionProblem(version)).toBeUndefined();
  });
  test.each([
    ["7.4.0", "must be a version Scaleway offers: 6.2.x, 7.0.x, 7.2.x"],
    ["7.2", "must be a full Redis version such as 7.2.11"],
    ["17.2.1", "must be a version Scaleway offers: 6.2.x, 7.0.x, 7.2.x"],
  ])("Scaleway refuses %s", (version, problem) => {
    expect(redisVersionProblem(version)).toBe(problem);
  });
  test("Memorystore offers 3.2 to 7.2, and 7.2 by default", () => {
    expect(MEMORYSTORE.versions).toEqual(["REDIS_3_2", "REDIS_4_0", "REDIS_5_0", "REDIS_6_X", "REDIS_7_0", "REDIS_7_2"]);
    expect(MEMORYSTORE.defaultVersion).toBe("REDIS_7_2");
  });
});

test("Memorystore serves on 6378 with TLS and 6379 without", () => {
  expect([memorystorePort(true), memorystorePort(false)]).toEqual([6378, 6379]);
});

test("connector names count each hyphen twice, under 21", () => {
  expect(connectorNameProblem("staging-vac")).toBeUndefined();
  expect(connectorNameProblem("production-connector")).toBe("counts 21 characters (each hyphen counts two); Google requires fewer than 21");
  expect(intProblem(CONNECTOR.minInstances, 10)).toBe("must be an integer from 2 to 9");
});

test("Memorystore instance names are at most 40 characters (the schema, the construct and RN008 read this)", () => {
  expect(textProblem(MEMORYSTORE_NAME, `a${"b".repeat(39)}`)).toBeUndefined();
  expect(textProblem(MEMORYSTORE_NAME, `a${"b".repeat(40)}`)).toBe("must be 1-40 lowercase letters, digits or hyphens, starting with a letter and not ending with a hyphen");
});

test("integer ranges are worded the same everywhere", () => {
  expect(rangeRule({ min: 1, max: Infinity })).toBe("must be an integer of at least 1");
  expect(intProblem({ min: 1, max: 3 }, 1.5)).toBe("must be an integer from 1 to 3");
});

test("names the clouds reserve", () => {
  expect(redisUserNameProblem("metrics")).toBe("is reserved by Scaleway (scalewayadmin, metrics)");
  expect(gcsBucketNameProblem("google-state")).toBe('must not start with "goog" or contain "google" (Google reserves them)');
});

test("bucket names: the length, dot and IP address rules of GCS and Object Storage", () => {
  expect(gcsBucketNameProblem("a".repeat(64))).toBe("must be 3-63 characters without dots");
  expect(gcsBucketNameProblem(`${"a".repeat(64)}.example.com`)).toBe("must have each dot-separated part at most 63 characters");
  expect(gcsBucketNameProblem(`${"a".repeat(63)}.example.com`)).toBeUndefined();
  expect(gcsBucketNameProblem("192.168.1.1")).toBe("must not be an IP address");
  for (const name of ["state..bucket", "state.-bucket", "state-.bucket"]) {
    expect(objectStorageBucketNameProblem(name)).toBe("must not have two dots, or a dot next to a hyphen, in a row");
  }
  expect(objectStorageBucketNameProblem("10.0.0.1")).toBe("must not be an IP address");
  expect(objectStorageBucketNameProblem("netra.state-1")).toBeUndefined();
});

test("Memorystore's LFU eviction policies need REDIS_4_0; a bad value is quoted with its rule", () => {
  expect(memorystoreConfigProblem("REDIS_3_2", "maxmemory-policy", "allkeys-lfu")).toBe("LFU policies need REDIS_4_0 or later");
  expect(memorystoreConfigProblem("REDIS_4_0", "maxmemory-policy", "allkeys-lfu")).toBeUndefined();
  expect(memorystoreConfigProblem("REDIS_3_2", "maxmemory-policy", "allkeys-lru")).toBeUndefined();
  expect(memorystoreConfigProblem("REDIS_7_2", "maxmemory-policy", "sometimes")).toMatch(/^"sometimes" must be one of /);
});

test("a Managed Redis setting Scaleway does not offer is named with the ones it does", () => {
  expect(redisSettingProblem("save", "900 1")).toBe(`is not a setting Managed Redis lets you set (${Object.keys(REDIS_SETTINGS).join(", ")})`);
  expect(Object.keys(REDIS_SETTINGS)).toContain("maxclients");
});

describe("text rules hold the whole value, not a part of it", () => {
  test.each([
    ["a variable name", VARIABLE_NAME, "1REDIS_URL", "must be a variable name: letters, digits or '_', not starting with a digit"],
    ["a variable name", VARIABLE_NAME, "REDIS-URL", "must be a variable name: letters, digits or '_', not starting with a digit"],
    ["a GCP project ID", PROJECT_ID, "netra-staging-", "must be a GCP project ID: 6-30 lowercase letters, digits or hyphens, starting with a letter"],
    ["an HTTP path", HEALTH_PATH, "health/", 'must be an HTTP path starting with "/"'],
    ["a Scaleway zone", ZONE, "fr-par-4", "must be a Scaleway zone such as fr-par-1"],
  ])("%s refuses %#", (_what, rule, value, problem) => {
    expect(textProblem(rule, value)).toBe(problem);
  });
  test("CIDR notation is the whole text", () => {
    expect(parseCidr("x10.0.0.0/28")).toBe("must be IPv4 CIDR notation a.b.c.d/n");
    expect(parseCidr("10.0.0.0/28x")).toBe("must be IPv4 CIDR notation a.b.c.d/n");
    expect(parseCidr("10.8.0.0/28")).toEqual({ base: 10 * 2 ** 24 + 8 * 2 ** 16, prefix: 28 });
  });
  test("a Scaleway project ID is a UUID, and the refusal says so", () => {
    expect(PROJECT_ID_RULE).toBe("must be a Scaleway project ID (a UUID)");
  });
});

describe("the clouds' rules at their edges (found by npm run mutate)", () => {
  test.each([
    ["abc", undefined],
    ["abc-", "must be lowercase letters, digits, '-', '_' or '.', starting and ending with a letter or digit"],
    ["ab", "must be 3-63 characters (up to 222 with dots)"],
    ["a".repeat(63), undefined],
    [`${"a.".repeat(110)}ab`, undefined],
    [`${"a.".repeat(111)}a`, "must be 3-63 characters (up to 222 with dots)"],
    ["1.2.3.4", "must not be an IP address"],
    ["10.100.200.250", "must not be an IP address"],
    ["a1.2.3.4", undefined],
    ["1.2.3.4.5", undefined],
    ["1.22.3.4a", undefined],
    ["goog-state", 'must not start with "goog" or contain "google" (Google reserves them)'],
    ["netra-google-state", 'must not start with "goog" or contain "google" (Google reserves them)'],
    ["netra-g00gle-state", 'must not start with "goog" or contain "google" (Google reserves them)'],
    ["state-goog", undefined],
  ])("a GCS bucket named %j: %s", (name, problem) => {
    expect(gcsBucketNameProblem(name)).toBe(problem);
  });

  test("a one-letter connector name is a name", () => {
    expect(connectorNameProblem("a")).toBeUndefined();
    expect(connectorNameProblem("a-")).toBe("must be lowercase letters, digits or hyphens, starting with a letter and not ending with a hyphen");
  });

  test("a Memorystore configuration Google does not offer is named with the ones it does; an eviction policy's rule lists them", () => {
    expect(memorystoreConfigProblem("REDIS_7_2", "save", "900 1")).toMatch(/^is not a configuration Memorystore lets you set \(maxmemory-gb, maxmemory-policy, /);
    expect(memorystoreConfigProblem("REDIS_7_2", "maxmemory-policy", "lru")).toMatch(/^"lru" must be one of [a-z-]+, [a-z-]+, /);
    expect(redisSettingProblem("maxmemory-policy", "lru")).toMatch(/^"lru" must be one of [a-z-]+, [a-z-]+, /);
    // Not an LFU policy though it holds the letters: the value's own rule, not the version's.
    expect(memorystoreConfigProblem("REDIS_3_2", "maxmemory-policy", "lfu-sometimes")).toMatch(/^"lfu-sometimes" must be one of /);
    // Only the eviction policy is an LFU policy: another key's value ending in "lfu" breaks its own rule.
    expect(memorystoreConfigProblem("REDIS_3_2", "notify-keyspace-events", "lfu")).toMatch(/^"lfu" must /);
  });

  test.each(["PORT", "K_SERVICE", "K_REVISION", "K_CONFIGURATION"])("Cloud Run sets %s itself, so a service may not", (name) => {
    expect(variableNameProblem(name, { names: CLOUD_RUN_SERVICE.reservedVariables })).toBe("is set by the platform itself");
  });

  test.each([
    ["netra-systems/redis", undefined],
    ["netra-systems/.", 'must have a repository name other than "." or "..", not ending in ".git" (GitHub refuses them)'],
    ["netra-systems/..", 'must have a repository name other than "." or "..", not ending in ".git" (GitHub refuses them)'],
    ["netra-systems/redis.GIT", 'must have a repository name other than "." or "..", not ending in ".git" (GitHub refuses them)'],
    ["netra-systems/.github", undefined],
  ])("the GitHub repository %j: %s", (repository, problem) => {
    expect(githubRepositoryProblem(repository)).toBe(problem);
  });

  test.each([
    ["10.0.0.1/32", { base: 10 * 2 ** 24 + 1, prefix: 32 }],
    ["10.0.0.0/33", "has a prefix length above 32"],
  ])("CIDR %s", (text, parsed) => {
    expect(parseCidr(text)).toEqual(parsed);
  });

  const range = (text: string) => parseCidr(text) as Ipv4Range;
  test.each([
    ["10.0.0.0/28", "10.0.0.16/28", false],
    ["10.0.0.16/28", "10.0.0.0/28", false],
    ["10.0.0.0/28", "10.0.0.15/32", true],
    ["10.0.0.15/32", "10.0.0.0/28", true],
    ["10.0.0.0/24", "10.0.0.128/28", true],
    ["10.0.0.0/29", "10.0.0.0/28", true],
  ])("%s and %s overlap: %s", (a, b, overlap) => {
    expect(overlaps(range(a), range(b))).toBe(overlap);
  });

  test.each([
    ["10.0.0.0/8", true],
    ["10.255.255.240/28", true],
    ["11.0.0.0/28", false],
    ["9.255.255.255/32", false],
    ["10.0.0.0/7", false],
    ["172.31.255.0/24", true],
    ["172.32.0.0/24", false],
    ["192.168.255.255/32", true],
  ])("%s is private: %s", (text, private_) => {
    expect(isPrivate(range(text))).toBe(private_);
  });
});
