import { configSchema } from "../../../config/schema";
import { configProblems, rawConfig } from "../../helpers/helpers";

// A misspelt key must be refused, never ignored: `"prodution": true` would otherwise build
// production as non-production (no deletion protection, no production policy pack, no alerts).

/** Every object level of a zod schema, by path (`*` for a record's values, `[]` for an array's items), and whether it refuses unknown keys. */
function objectLevels(schema: any, at: string, found: Map<string, boolean>): Map<string, boolean> {
  const def = schema._zod.def;
  switch (def.type) {
    case "optional":
    case "nullable":
    case "default":
    case "prefault":
    case "readonly":
    case "catch":
      return objectLevels(def.innerType, at, found);
    case "pipe":
      return objectLevels(def.in, at, found);
    case "lazy":
      return objectLevels(def.getter(), at, found);
    case "union":
      for (const option of def.options) objectLevels(option, at, found);
      return found;
    case "record":
      return objectLevels(def.valueType, `${at}.*`, found);
    case "array":
      return objectLevels(def.element, `${at}[]`, found);
    case "object":
      found.set(at, def.catchall?._zod.def.type === "never");
      for (const [key, value] of Object.entries(def.shape)) objectLevels(value, at ? `${at}.${key}` : key, found);
      return found;
    default:
      return found;
  }
}

test("every object level of the schema refuses unknown keys", () => {
  const levels = objectLevels(configSchema, "", new Map());
  expect(levels.size).toBeGreaterThanOrEqual(25);
  expect([...levels].filter(([, strict]) => !strict).map(([at]) => at || "(root)")).toEqual([]);
});

/** Keys whose objects hold names the user picks (variables, secrets, Redis settings), not settings. */
const USER_NAMED = new Set(["environment", "secrets", "redisConfigs"]);

/** The path of every object of the shipped configuration whose keys are settings. */
function settingObjects(value: unknown, at: string[] = []): string[][] {
  if (!value || typeof value !== "object" || Array.isArray(value)) return [];
  const last = at[at.length - 1];
  const ofSettings = !USER_NAMED.has(last) && !(at.length === 1 && last === "environments");
  const inner = Object.entries(value).flatMap(([key, child]) => settingObjects(child, [...at, key]));
  return ofSettings ? [at, ...inner] : inner;
}

test("a misspelt key planted at any level of the shipped configuration is refused, naming it and the key it is near", () => {
  const paths = settingObjects(rawConfig());
  expect(paths.length).toBeGreaterThanOrEqual(20);
  for (const at of paths) {
    const known = Object.keys(at.reduce((object, key) => object[key], rawConfig()));
    // One letter dropped and the case changed: within two edits of the key, case aside.
    const typo = known[0].slice(0, -1).toUpperCase();
    const problems = configProblems((raw) => {
      const target = at.reduce((object, key) => object[key], raw);
      target.prodution = true;
      target[typo] = 1;
    });
    // Only an environment holds a key near "prodution".
    const near = at.length === 2 && at[0] === "environments" ? '; did you mean "production"?' : "";
    const field = (key: string) => [...at, key].join(".");
    expect(problems).toEqual([`${field("prodution")}: is not a known setting${near} (got true); ${field(typo)}: is not a known setting; did you mean ${JSON.stringify(known[0])}? (got 1)`]);
  }
});

test('"prodution": true at the environment level is refused, so production is never built as non-production by a typo', () => {
  expect(
    configProblems((raw) => {
      delete raw.environments.production.production;
      raw.environments.production.prodution = true;
    }),
  ).toEqual(expect.arrayContaining([expect.stringContaining("environments.production.prodution: is not a known setting")]));
});

test("a misspelt key in a list's entry, or in another case, is refused with the key it is near", () => {
  const problems = configProblems((raw) => {
    raw.environments.staging.scaleway.adopt.redis.publicAcl[0].descripton = "office";
    raw.environments.staging.gcp.redis.MEMORYSIZEG = 1;
  });
  expect(problems).toEqual(
    expect.arrayContaining([
      'environments.staging.scaleway.adopt.redis.publicAcl.0.descripton: is not a known setting; did you mean "description"? (got "office")',
      'environments.staging.gcp.redis.MEMORYSIZEG: is not a known setting; did you mean "memorySizeGb"? (got 1)',
    ]),
  );
});
