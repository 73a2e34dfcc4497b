import { createHash } from "crypto";
import { existsSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "fs";
import path from "path";
import { ConfigError, loadConfig, parseConfig, ValidatedConfigs } from "../../../config/load";
import { CONFIG_FILE, rawConfig, tempDir } from "../../helpers/helpers";
import { MEMORYSTORE } from "../../../limits/gcp";
import { redisVersionProblem } from "../../../limits/scaleway";

// What a new user gets wrong in the configuration file: each is refused with the field (or file
// position), the value and the rule. The environment and the tools' arguments, which take a run of
// the scripts, are in __tests__/real/config/config-input.real.test.ts.
let dir: string;
beforeAll(() => (dir = tempDir("input-")));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function problemsOfFile(text: string): string[] {
  const file = path.join(dir, `config-${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(file, text);
  try {
    loadConfig(file);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).problems.map((p) => p.replace(file, "<file>"));
  }
  throw new Error("configuration was accepted");
}

const shipped = readFileSync(CONFIG_FILE, "utf8");

describe("the configuration file", () => {
  test("an environment named __proto__ is refused, not dropped", () => {
    const raw = rawConfig();
    const text = JSON.stringify(raw).replace('"staging":', '"__proto__":');
    // Production stays valid, so this is the only problem.
    expect(problemsOfFile(text)).toEqual(['environments.__proto__: environment name "__proto__" must be 1-15 lowercase letters, digits or hyphens, starting with a letter']);
  });

  test("a key given twice is refused with both lines", () => {
    const lineOf = (text: string) => shipped.split("\n").findIndex((line) => line.includes(text)) + 1;
    const first = lineOf('"cidr": "10.2.0.16/28",');
    const text = shipped.replace('"cidr": "10.2.0.16/28",', '"cidr": "10.2.0.16/28",\n          "cidr": "10.9.0.0/28",');
    expect(problemsOfFile(text)).toEqual([`<file>:${first + 1}:11: the key "cidr" is given twice (first on line ${first}); JSON keeps only the last`]);
    expect(problemsOfFile(shipped.replace('"production": {', '"staging": {'))).toEqual([expect.stringMatching(new RegExp(`^<file>:\\d+:5: the key "staging" is given twice \\(first on line ${lineOf('"staging": {')}\\)`))]);
  });

  test("malformed JSON names the line and column", () => {
    expect(problemsOfFile('{\n  "environments": {\n    "staging": {,\n')).toEqual(['<file>:3:17: expected a quoted key']);
  });

  test("a byte-order mark is named", () => {
    expect(problemsOfFile(`\uFEFF${shipped}`)).toEqual(["<file>:1:1: starts with a byte-order mark (U+FEFF); save the file as UTF-8 without one"]);
  });

  test("a number out of range is named, not turned into null", () => {
    expect(problemsOfFile(shipped.replace('"memorySizeGb": 1,', '"memorySizeGb": 1e309,'))).toEqual([expect.stringMatching(/^<file>:\d+:27: the number 1e309 is out of range$/)]);
  });

  test("a misspelled top-level key suggests the right one", () => {
    expect(problemsOfFile(JSON.stringify({ enviroments: {} }))).toEqual(expect.arrayContaining(['enviroments: is not a known setting; did you mean "environments"? (got {})']));
    // Within two edits a suggestion, from three none (found by npm run mutate).
    expect(problemsOfFile(JSON.stringify({ envirnoments: {} }))).toEqual(expect.arrayContaining(['envirnoments: is not a known setting; did you mean "environments"? (got {})']));
    expect(problemsOfFile(JSON.stringify({ envrnmnts: {} }))).toEqual(expect.arrayContaining(["envrnmnts: is not a known setting (got {})"]));
    // As long as "environments", but every letter different: no suggestion.
    expect(problemsOfFile(JSON.stringify({ abcdefghijkl: {} }))).toEqual(expect.arrayContaining(["abcdefghijkl: is not a known setting (got {})"]));
  });

  test("a file that is not an object is named at its root (found by npm run mutate)", () => {
    expect(problemsOfFile("[]")).toEqual([expect.stringMatching(/^\(root\): .* \(got \[\]\)$/)]);
  });

  test("any other read error is named by its code", () => {
    const loop = path.join(dir, "loop.json");
    symlinkSync(loop, loop);
    expect(() => loadConfig(loop)).toThrow(`${loop}: cannot be read (ELOOP)`);
  });

  test("a missing file says so and how to point at one; a directory is named", () => {
    expect(() => loadConfig(path.join(dir, "absent.json"))).toThrow(`${path.join(dir, "absent.json")}: the configuration file is missing; run from the project root (it reads config/environments.json) or set REDIS_NET_CONFIG to the file`);
    expect(() => loadConfig(dir)).toThrow(`${dir}: is a directory; REDIS_NET_CONFIG must name a JSON file such as config/environments.json`);
  });
});

describe("values that look right but are not", () => {
  const problems = (change: (environments: any) => void) => {
    const raw = rawConfig();
    change(raw.environments);
    try {
      parseConfig(raw);
    } catch (error) {
      return (error as ConfigError).problems;
    }
    return [];
  };

  test("a leading zero in a CIDR is refused", () => {
    expect(problems((e) => (e.staging.gcp.connector.cidr = "010.2.0.0/28"))).toEqual(['environments.staging.gcp.connector.cidr: has a leading zero; write 10.2.0.0/28 (got "010.2.0.0/28")']);
  });

  test("a malformed /29 gets one error, not a second, false one", () => {
    expect(problems((e) => (e.staging.gcp.redis.cidr = "10.166.204.300/29"))).toEqual(['environments.staging.gcp.redis.cidr: has an octet above 255 (got "10.166.204.300/29")']);
  });

  test("Memorystore versions are the ones Google offers", () => {
    expect(problems((e) => (e.staging.gcp.redis.version = "REDIS_9_9"))).toEqual([expect.stringContaining(`environments.staging.gcp.redis.version: must be one of ${MEMORYSTORE.versions.map((v) => JSON.stringify(v)).join(", ")} (got "REDIS_9_9")`)]);
    expect(problems((e) => (e.staging.gcp.redis.version = "REDIS_6_X"))).toEqual([]);
  });

  test("Scaleway Redis versions are the ones Scaleway offers", () => {
    expect(problems((e) => (e.staging.scaleway.redis.version = "1.0.0"))).toEqual([`environments.staging.scaleway.redis.version: ${redisVersionProblem("1.0.0")} (got "1.0.0")`]);
  });
});

describe("the build's cache of validated configurations (synth reads it instead of loading the schema)", () => {
  const file = (text: string) => {
    const written = path.join(tempDir("cached-"), "environments.json");
    writeFileSync(written, text);
    return written;
  };
  const entry = (dir: string, text: string) => path.join(dir, `${createHash("sha256").update(text).digest("hex")}.json`);

  test("a valid file is kept, once the run keeps it, by the hash of its content, as the schema gave it; and read back from there", () => {
    const dir = path.join(tempDir("cache-"), "config-cache");
    const configs = new ValidatedConfigs(dir);
    const validated = loadConfig(file(shipped), configs);
    expect(existsSync(dir)).toBe(false);
    configs.keep();
    expect(JSON.parse(readFileSync(entry(dir, shipped), "utf8"))).toStrictEqual(validated);
    // The next load takes the entry, not the schema: an entry changed by hand is what it returns.
    writeFileSync(entry(dir, shipped), JSON.stringify({ ...validated, ci: { repository: "cached/entry" } }));
    expect(loadConfig(file(shipped), new ValidatedConfigs(dir)).ci).toEqual({ repository: "cached/entry" });
  });

  test("a changed file is validated again; what fails validation is never kept", () => {
    const dir = tempDir("cache-");
    const configs = new ValidatedConfigs(dir);
    loadConfig(file(shipped), configs);
    const broken = shipped.replace('"cidr": "10.2.0.16/28"', '"cidr": "10.2.0.16/27"');
    expect(broken).not.toBe(shipped);
    expect(() => loadConfig(file(broken), configs)).toThrow(ConfigError);
    configs.keep();
    expect(readdirSync(dir)).toEqual([path.basename(entry(dir, shipped))]);
  });

  test("a damaged entry is validated again and written again, never a failed synth", () => {
    const dir = tempDir("cache-");
    writeFileSync(entry(dir, shipped), '{"environments": ');
    const configs = new ValidatedConfigs(dir);
    const validated = loadConfig(file(shipped), configs);
    expect(validated).toStrictEqual(parseConfig(JSON.parse(shipped)));
    configs.keep();
    expect(JSON.parse(readFileSync(entry(dir, shipped), "utf8"))).toStrictEqual(validated);
  });

  test("a cache that cannot be written leaves validation as without one", () => {
    const blocked = path.join(tempDir("cache-"), "a-file");
    writeFileSync(blocked, "");
    const configs = new ValidatedConfigs(path.join(blocked, "config-cache"));
    expect(loadConfig(file(shipped), configs)).toStrictEqual(parseConfig(JSON.parse(shipped)));
    expect(() => configs.keep()).not.toThrow();
  });
});
