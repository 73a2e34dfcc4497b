import { parseCidr } from "../../../limits/cidr";
import { VARIABLE_NAME } from "../../../limits/environment";
import { CONNECTOR, connectorNameProblem, gcsBucketNameProblem, MEMORYSTORE, MEMORYSTORE_NAME, memorystoreConfigProblem, memorystorePort, PROJECT_ID } from "../../../limits/gcp";
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
