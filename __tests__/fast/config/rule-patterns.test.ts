import { secretLikeProblem, VARIABLE_NAME, variableNameProblem } from "../../../limits/environment";
import * as gcp from "../../../limits/gcp";
import { EMAIL, TextRule } from "../../../limits/rule";
import * as scw from "../../../limits/scaleway";

// Each name and value rule pinned at its edges: a value each rule must take, and the nearest ones it
// must refuse (a character, a length or an anchor away). The configuration, the constructs and the
// policy read these rules, so a loosened one lets through what the cloud refuses at apply.

const rules: [string, TextRule, string[], string[]][] = [
  ["VARIABLE_NAME", VARIABLE_NAME, ["A", "_", "_1", "a".repeat(255)], ["", "1A", "A-B", "A B", "a".repeat(256)]],
  ["gcp PROJECT_NUMBER", gcp.PROJECT_NUMBER, ["123456", "12345678901234567890"], ["12345", "123456789012345678901", "12345a", "a123456"]],
  ["gcp REGION", gcp.REGION, ["us-central1", "europe-west10", "northamerica-northeast2"], ["us-central0", "us-central", "uscentral1", "us-central1a", "Us-central1", "us-1central1", "-central1"]],
  ["gcp NOTIFICATION_CHANNEL", gcp.NOTIFICATION_CHANNEL, ["projects/my-project/notificationChannels/123"], ["projects/my-project/notificationChannels/12a", "projects/my-project/notificationChannels/", "xprojects/my-project/notificationChannels/1", "projects/my-project/notificationChannels/1/x", "projects/1project/notificationChannels/1"]],
  ["gcp IAM_MEMBER", gcp.IAM_MEMBER, ["serviceAccount:a@b.iam.gserviceaccount.com", "user:a@b.c", "group:g@b.c", "principal://x", "principalSet://x"], ["domain:b.c", "user:", "user:a b", "xuser:a", "allUsers"]],
  ["gcp WORKLOAD_IDENTITY_ID", gcp.WORKLOAD_IDENTITY_ID, ["gith", "a".repeat(32), "github-gcp-1"], ["gcp-github", "abc", "a".repeat(33), "Github", "git_hub"]],
  ["gcp CUSTOM_ROLE_ID", gcp.CUSTOM_ROLE_ID, ["abc", "a".repeat(64), "Deploy_role.v2"], ["ab", "a".repeat(65), "deploy-role", "deploy role"]],
  ["gcp IAM_ROLE", gcp.IAM_ROLE, ["roles/run.admin", "projects/my-project/roles/deploy_v2"], ["roles/", "roles/run-admin", "projects/my-project/roles/ab", "projects/My-project/roles/abc", "xroles/run.admin", "roles/run.admin/x"]],
  ["gcp GCS_LOCATION", gcp.GCS_LOCATION, ["us-central1", "US", "EU", "eu", "asia", "europe-west10", "ASIA", "US-CENTRAL1", "EUROPE-WEST10", "NAM4", "nam4", "ASIA1", "EUR8", "eur4", "asia1"], ["eur6", "us-central", "Us", "us-", "US-CENTRAL", "us-central1a", "US-Central1", "US-CENTRAL1a", "US-central1", "us central1", "1us", "US1", "EUR6", "NAM4-X", "Nam4"]],
  ["gcp KEYSPACE_EVENTS", gcp.KEYSPACE_EVENTS, ["", "KEA", "Ex", "KEg$lshzxeAtmnd"], ["KEB", "kea", " K", "E "]],
  ["gcp CLOUD_RUN name", gcp.CLOUD_RUN.name, ["ab", "a".repeat(22), "my-backend2"], ["a", "a".repeat(23), "backend-", "2backend", "-backend", "Backend", "back_end"]],
  ["gcp SECRET_VERSION", gcp.SECRET_VERSION, ["latest", "1", "10"], ["0", "01", "Latest", "latest1", "1latest", ""]],
  ["scaleway PRINCIPAL", scw.PRINCIPAL, ["application_id:11111111-2222-3333-4444-555555555555", "user_id:aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee"], ["group_id:11111111-2222-3333-4444-555555555555", "application_id:11111111-2222-3333-4444-55555555555", "application_id:11111111-2222-3333-4444-5555555555555", "application_id:11111111-2222-3333-444-555555555555", "application_id:G1111111-2222-3333-4444-555555555555", "xapplication_id:11111111-2222-3333-4444-555555555555"]],
  ["scaleway LIVE_NAME", scw.LIVE_NAME, ["a", "9", "gift-genie", "a".repeat(63)], ["-a", "a".repeat(64), "Gift", "gift_genie", ""]],
  ["scaleway REDIS version", scw.REDIS.version, ["7.2.11", "6.2.14", "17.10.100"], ["7.2", "7.2.x", "v7.2.11", "7.2.11-1"]],
  ["scaleway REDIS nodeType", scw.REDIS.nodeType, ["RED1-MICRO", "RED1-2XS", "RED1-S"], ["RED1-", "red1-micro", "RED2-MICRO", "RED1-MICRO ", "XRED1-MICRO"]],
  ["scaleway CONTAINER name", scw.CONTAINER.name, ["ab", "a".repeat(26), "my-backend2"], ["a", "a".repeat(27), "backend-", "2backend", "Backend"]],
  ["scaleway PERMISSION_SET", scw.PERMISSION_SET, ["RedisReadOnly", "ContainersFullAccess", "Ab"], ["A", "redisReadOnly", "Redis-ReadOnly", "Redis ReadOnly", "1Redis"]],
  ["scaleway IAM_NAME", scw.IAM_NAME, ["ab", "a".repeat(64), "ci-deploy-staging"], ["a", "a".repeat(65), "ci-", "1ci", "Ci-deploy", "ci_deploy"]],
  ["scaleway TAG", scw.TAG, ["a", "managed-by=cdktf", "env staging", "x".repeat(128)], ["", " a", "\ta", "a,b", "x".repeat(129)]],
  ["scaleway SECRET_REVISION", scw.SECRET_REVISION, ["latest", "latest_enabled", "1", "12"], ["0", "01", "latest_disabled", "Latest", "1x", ""]],
  ["EMAIL", EMAIL, ["ops@example.com", "a.b+c@d.e.f"], ["ops@example", "@example.com", "ops@.com", "ops example@x.com", "ops@exa mple.com", "ops@@example.com", "ops@example.com and more"]],
];

describe.each(rules)("%s", (_name, rule, accepted, refused) => {
  test.each(accepted)("takes %j", (value) => {
    expect(rule.pattern.test(value)).toBe(true);
  });
  test.each(refused)("refuses %j", (value) => {
    expect(rule.pattern.test(value)).toBe(false);
  });
});

/** A value the rule takes has no problem; one it refuses gets the value and the rule's text. */
function expectValues(problem: (value: string) => string | undefined, rule: TextRule, accepted: string[], refused: string[]): void {
  for (const value of accepted) expect([value, problem(value)]).toEqual([value, undefined]);
  for (const value of refused) expect([value, problem(value)]).toEqual([value, `${JSON.stringify(value)} ${rule.rule}`]);
}

describe("Memorystore's redis_configs values", () => {
  test.each([
    ["maxmemory-gb", ["1", "0.5", "12.25"], ["", ".5", "1.", "1,5", "1.5.2", "-1", "1GB"]],
    ["maxmemory-policy", ["volatile-lru", "allkeys-lru", "volatile-lfu", "allkeys-lfu", "volatile-random", "allkeys-random", "volatile-ttl", "noeviction"], ["lru", "allkeys-lru2", "xnoeviction", "volatile"]],
    ["timeout", ["0", "1", "9999999999"], ["00", "01", "10000000000", "-1", "1.0", ""]],
    ["activedefrag", ["yes", "no"], ["Yes", "yess", "y", "yesno", ""]],
    ["maxmemory-clients", ["0", "1048576", "10%", "100%"], ["1000%", "%", "10 %", "10%%", "-1", ""]],
  ] as [string, string[], string[]][])("%s", (key, accepted, refused) => {
    expectValues((value) => gcp.memorystoreConfigProblem("REDIS_7_2", key, value), gcp.MEMORYSTORE_CONFIGS[key].rule, accepted, refused);
  });
});

describe("Scaleway Managed Redis settings", () => {
  test.each([
    ["maxclients", ["0", "10000", "9999999999"], ["00", "01", "10000000000", "-1", "1e3", ""]],
    ["maxmemory-policy", ["volatile-lru", "allkeys-lru", "volatile-lfu", "allkeys-lfu", "volatile-random", "allkeys-random", "volatile-ttl", "noeviction"], ["lru", "noeviction2", "xvolatile-ttl"]],
    ["notify-keyspace-events", ["", "KEA", "Ex"], ["KEB", "kea", " K"]],
    ["activedefrag", ["yes", "no"], ["Yes", "yess", "ayes", "y", ""]],
  ] as [string, string[], string[]][])("%s", (name, accepted, refused) => {
    expectValues((value) => scw.redisSettingProblem(name, value), scw.REDIS_SETTINGS[name], accepted, refused);
  });
});

describe("plain variables that look like secrets", () => {
  test.each(["DB_PASSWORD", "PASSWD", "GPG_PASSPHRASE", "CLIENT_SECRET", "AUTH_TOKEN", "STRIPE_API_KEY", "APIKEY", "AWS_ACCESS_KEY", "ACCESSKEY", "SSH_PRIVATE_KEY", "PRIVATEKEY", "GOOGLE_CREDENTIALS", "CREDENTIAL", "REDIS_AUTH_STRING", "AUTHSTRING", "SENTRY_DSN", "password", "PASSWORD_FILE", "MY_SECRET_NAME", "TOKEN_URL", "API_KEY_ID", "APIKEY_ID", "MYAPIKEY"])("%s is named like a secret", (name) => {
    expect(secretLikeProblem(name, "x")).toMatch(/^is named like a secret/);
  });
  test.each(["TOKENIZER", "PASSWORDLESS", "SECRETARY", "APIKEYS", "DSN_HOST", "PASSWORD2", "LOG_LEVEL"])("%s is not", (name) => {
    expect(secretLikeProblem(name, "x")).toBeUndefined();
  });
  const key = "A1b2C3d4E5f6G7h8";
  const jwt = `eyJ${"a".repeat(10)}.${"b".repeat(10)}.s`;
  test.each([
    ["redis://user:pw@host:6379", "a URL with a password in it"],
    ["postgres+ssl://:pw@host/db", "a URL with a password in it"],
    ["jdbc:postgresql://app:pw@db/app", "a URL with a password in it"],
    ["x-1://user:pw@host", "a URL with a password in it"],
    ["-----BEGIN RSA PRIVATE KEY-----\nMII", "a private key"],
    ["x -----BEGIN PRIVATE KEY-----", "a private key"],
    [`sk_live_${key}`, "an API key (sk-...)"],
    [`rk-${key}`, "an API key (sk-...)"],
    [`pk-proj-${key}`, "an API key (sk-...)"],
    [`Bearer sk-${key}`, "an API key (sk-...)"],
    [`ghp_${key}abcd`, "a GitHub token"],
    [`token=github_pat_${key}abcd`, "a GitHub token"],
    ["AKIAABCDEFGHIJ123456", "an AWS access key"],
    ["id ASIAABCDEFGHIJ123456 key", "an AWS access key"],
    [`AIza${"a1_-B".repeat(7)}`, "a Google API key"],
    [`key=AIza${"a1_-B".repeat(7)}`, "a Google API key"],
    ["xoxb-1234567890", "a Slack token"],
    ["Bearer xoxp-12345-67890", "a Slack token"],
    [jwt, "a JSON Web Token"],
    [`Bearer ${jwt}`, "a JSON Web Token"],
    ["SCWABCDEFGHIJ1234567", "a Scaleway access key"],
    ["key:SCWABCDEFGHIJ1234567", "a Scaleway access key"],
  ])("%j looks like %s", (value, what) => {
    expect(secretLikeProblem("VALUE", value)).toMatch(new RegExp(`^looks like ${what.replace(/[()]/g, "\\$&")};`));
  });
  // Near misses: a token cut one character short, inside a longer word, or of another kind.
  test.each([
    "redis://host:6379",
    "https://user@host/path",
    "redis://host:6379/pw@x",
    "redis://user:@host",
    "-----BEGIN PUBLIC KEY-----",
    `sk_${key.slice(1)}`,
    `sk${key}`,
    `ask_${key}`,
    `ghp_${key}abc`,
    `ghx_${key}abcd`,
    `xghp_${key}abcd`,
    "AKIAABCDEFGHIJ12345",
    "AKIAABCDEFGHIJ1234567",
    "xAKIAABCDEFGHIJ123456",
    "akiaABCDEFGHIJ123456",
    "AKIAabcdefghij123456",
    `AIza${"a1_-B".repeat(7).slice(1)}`,
    `xAIza${"a1_-B".repeat(7)}`,
    "xoxc-1234567890",
    "xoxb-123456789",
    "axoxb-1234567890",
    `eyJ${"a".repeat(9)}.${"b".repeat(10)}.sig`,
    `eyJ${"a".repeat(10)}.${"b".repeat(9)}.sig`,
    `eyJ${"a".repeat(10)}.${"b".repeat(10)}.`,
    `xeyJ${"a".repeat(10)}.${"b".repeat(10)}.s`,
    "SCWABCDEFGHIJ123456",
    "SCWABCDEFGHIJ12345678",
    "xSCWABCDEFGHIJ1234567",
    "scwABCDEFGHIJ1234567",
    "SCWabcdefghij1234567",
  ])("%j does not", (value) => {
    expect(secretLikeProblem("VALUE", value)).toBeUndefined();
  });
});

test("a variable name that breaks the rule is refused before anything else is checked", () => {
  expect(variableNameProblem("1ABC", {})).toBe(VARIABLE_NAME.rule);
  expect(variableNameProblem("PORT", { names: ["PORT"] })).toBe("is set by the platform itself");
  expect(variableNameProblem("APP_MODE", { names: ["PORT"], prefix: "SCW_" })).toBeUndefined();
});

test.each([
  ["abc", undefined],
  ["a".repeat(63), undefined],
  ["ab", "must be 3-63 characters"],
  ["a".repeat(64), "must be 3-63 characters"],
  ["10.10.10.10", "must not be an IP address"],
  ["a1.2.3.4", undefined],
  ["1.2.3.4.5", undefined],
])("a Scaleway Object Storage bucket named %j: %s", (name, problem) => {
  expect(scw.objectStorageBucketNameProblem(name)).toBe(problem);
});

test("a Scaleway container takes at least 128 MiB of memory (Serverless Containers' smallest size)", () => {
  expect(scw.CONTAINER.memoryLimitBytes.min).toBe(134_217_728);
});

// Every refusal is printed as `<field> <value> <rule>`, so an emptied rule leaves a user an error
// that says nothing. Each text rule in limits/ says what the value must be.
const limitModules = ["cidr", "environment", "gcp", "github", "http", "rule", "scaleway", "state"];
function textRules(value: unknown, path: string, found: [string, string][] = []): [string, string][] {
  if (!value || typeof value !== "object" || value instanceof RegExp) return found;
  const { pattern, rule } = value as Partial<TextRule>;
  if (pattern instanceof RegExp && typeof rule === "string") return [...found, [path, rule]];
  return Object.entries(value).reduce((all, [key, inner]) => textRules(inner, `${path}.${key}`, all), found);
}
const wording = limitModules.flatMap((name) => textRules(require(`../../../limits/${name}`), name));

test("limits/ holds the text rules the tests above pin", () => {
  expect(wording.length).toBeGreaterThanOrEqual(50);
});

test.each(wording)("%s says what the value must be", (_path, rule) => {
  expect(rule).toMatch(/^must( not)? [a-z]+ \S.{8,}/);
});
