import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "fs";
import path from "path";
import { userCwd } from "../../../input/user-path";
import { main, optionsFromEnvironment, printStacks, synthesize } from "../../../main";
import { CONFIG_FILE, rawConfig, tempDir } from "../../helpers/helpers";

// The synth command's settings and what it does beside writing the stacks, in-process; the
// process itself (exit codes, signals, messages on stderr) is __tests__/real/build/.

const SETTINGS = ["REDIS_NET_CONFIG", "REDIS_NET_ENVIRONMENTS", "CDKTF_OUTDIR", "REDIS_NET_STATE_DIR"];
const saved = Object.fromEntries(SETTINGS.map((name) => [name, process.env[name]]));
beforeEach(() => SETTINGS.forEach((name) => delete process.env[name]));
afterEach(() => SETTINGS.forEach((name) => (saved[name] === undefined ? delete process.env[name] : (process.env[name] = saved[name]))));

describe("optionsFromEnvironment", () => {
  test("unset: the project's configuration and every environment", () => {
    expect(optionsFromEnvironment()).toEqual({ configFile: CONFIG_FILE, environments: undefined });
  });

  test("environments by name, spaces around them ignored; a configuration file relative to the working directory", () => {
    process.env.REDIS_NET_ENVIRONMENTS = " staging , production";
    process.env.REDIS_NET_CONFIG = path.join("config", "environments.json");
    expect(optionsFromEnvironment()).toEqual({ configFile: path.relative(process.cwd(), CONFIG_FILE), environments: ["staging", "production"] });
    process.env.REDIS_NET_CONFIG = CONFIG_FILE;
    expect(optionsFromEnvironment().configFile).toBe(CONFIG_FILE);
    // The working directory itself is named "." in messages, never "".
    process.env.REDIS_NET_CONFIG = path.relative(userCwd(), process.cwd()) || ".";
    expect(optionsFromEnvironment().configFile).toBe(".");
  });

  test("an empty name, or a setting set but empty, is refused with what to give", () => {
    process.env.REDIS_NET_ENVIRONMENTS = "staging,,production";
    expect(() => optionsFromEnvironment()).toThrow('REDIS_NET_ENVIRONMENTS "staging,,production": has an empty name; give environment names separated by commas, e.g. staging,production');
    process.env.REDIS_NET_ENVIRONMENTS = " ";
    expect(() => optionsFromEnvironment()).toThrow("REDIS_NET_ENVIRONMENTS is set but empty: unset it, or set it to environment names separated by commas, e.g. staging,production");
    delete process.env.REDIS_NET_ENVIRONMENTS;
    process.env.REDIS_NET_CONFIG = "";
    expect(() => optionsFromEnvironment()).toThrow("REDIS_NET_CONFIG is set but empty: unset it, or set it to a configuration file such as config/environments.json");
  });
});

/** What `run` printed with console.warn. */
function warned(run: () => void): unknown[][] {
  const warn = jest.spyOn(console, "warn").mockImplementation(() => {});
  try {
    run();
    return [...warn.mock.calls];
  } finally {
    warn.mockRestore();
  }
}

describe("synthesize", () => {
  test("an output or state directory set but empty is refused before anything is written", () => {
    const outdir = path.join(tempDir("settings-"), "out");
    process.env.CDKTF_OUTDIR = "";
    expect(() => synthesize({ configFile: CONFIG_FILE })).toThrow("CDKTF_OUTDIR is set but empty: unset it, or set it to a directory such as cdktf.out");
    delete process.env.CDKTF_OUTDIR;
    process.env.REDIS_NET_STATE_DIR = " ";
    expect(() => synthesize({ configFile: CONFIG_FILE, outdir })).toThrow("REDIS_NET_STATE_DIR is set but empty: unset it, or set it to a directory for local state");
    expect(existsSync(outdir)).toBe(false);
  });

  test("local state an older synth kept in its stack directories moves to the state directory once, never over a state there", () => {
    const dir = tempDir("legacy-");
    const outdir = path.join(dir, "cdktf.out");
    const stateDir = path.join(dir, "state");
    process.env.REDIS_NET_STATE_DIR = stateDir;
    const stack = path.join(outdir, "stacks", "gcp-staging");
    mkdirSync(stack, { recursive: true });
    writeFileSync(path.join(outdir, "manifest.json"), JSON.stringify({ version: "0.21.0", stacks: { "gcp-staging": { synthesizedStackPath: "stacks/gcp-staging/cdk.tf.json" } } }));
    for (const suffix of [".tfstate", ".tfstate.backup"]) writeFileSync(path.join(stack, `terraform.gcp-staging${suffix}`), `legacy${suffix}`);
    mkdirSync(path.join(outdir, "stacks", "scaleway-staging"));
    writeFileSync(path.join(outdir, "stacks", "scaleway-staging", "terraform.scaleway-staging.tfstate"), "legacy");
    mkdirSync(stateDir);
    writeFileSync(path.join(stateDir, "scaleway-staging.tfstate"), "current");
    const warnings = warned(() => synthesize({ configFile: CONFIG_FILE, outdir, environments: ["staging"] }));
    expect(readFileSync(path.join(stateDir, "gcp-staging.tfstate"), "utf8")).toBe("legacy.tfstate");
    expect(readFileSync(path.join(stateDir, "gcp-staging.tfstate.backup"), "utf8")).toBe("legacy.tfstate.backup");
    expect(readFileSync(path.join(stateDir, "scaleway-staging.tfstate"), "utf8")).toBe("current");
    expect(existsSync(path.join(outdir, "stacks", "gcp-staging", "terraform.gcp-staging.tfstate"))).toBe(false);
    const rel = (file: string) => path.relative(process.cwd(), file);
    expect(warnings).toEqual(
      [".tfstate", ".tfstate.backup"].map((suffix) => [
        `moved local state ${rel(path.join(stack, `terraform.gcp-staging${suffix}`))} to ${rel(path.join(stateDir, `gcp-staging${suffix}`))}; run terraform init -reconfigure in the stack directory before the next plan`,
      ]),
    );
  });

  test("what the policy only warns about is printed, and the stacks are written", () => {
    const raw = rawConfig();
    const gcp = raw.environments.staging.gcp;
    delete gcp.connector;
    gcp.directVpcEgress = { cidr: "10.2.0.0/26" };
    const dir = tempDir("warn-");
    const configFile = path.join(dir, "environments.json");
    writeFileSync(configFile, JSON.stringify(raw));
    process.env.REDIS_NET_STATE_DIR = path.join(dir, "state");
    const warnings = warned(() => synthesize({ configFile, outdir: path.join(dir, "out"), environments: ["staging"] }));
    expect(warnings).toEqual([[expect.stringMatching(/^warning: \[gcp-staging\] nat\.enabled is ignored with directVpcEgress/)]]);
    expect(existsSync(path.join(dir, "out", "stacks", "gcp-staging", "cdk.tf.json"))).toBe(true);
  });
});

/** Runs `run` with process.exit, console.error and console.log recorded, not acted on. */
async function commandRun(run: () => unknown, exit: (code?: number) => void = () => {}) {
  const calls = { exit: jest.spyOn(process, "exit").mockImplementation(exit as never), error: jest.spyOn(console, "error").mockImplementation(() => {}), log: jest.spyOn(console, "log").mockImplementation(() => {}) };
  try {
    await run();
    return { exit: [...calls.exit.mock.calls], error: [...calls.error.mock.calls], log: [...calls.log.mock.calls] };
  } finally {
    Object.values(calls).forEach((spy) => spy.mockRestore());
  }
}

describe("the commands, in-process (found by npm run mutate)", () => {
  const signals = () => ["SIGINT", "SIGTERM"].map((signal) => process.listeners(signal as NodeJS.Signals));

  test("synth writes the selected stacks and leaves no signal handler behind", async () => {
    const dir = tempDir("main-");
    process.env.REDIS_NET_STATE_DIR = path.join(dir, "state");
    const before = signals();
    const run = await commandRun(() => main({ configFile: CONFIG_FILE, outdir: path.join(dir, "out"), environments: ["staging"] }));
    expect(run).toEqual({ exit: [], error: [], log: [] });
    expect(readdirSync(path.join(dir, "out", "stacks")).sort()).toEqual(["gcp-staging", "scaleway-staging", "state-gcp-staging", "state-scaleway-staging"]);
    expect(signals()).toEqual(before);
  });

  test("synth prints a bad configuration's message, not a stack trace, exits 1 and writes nothing", async () => {
    const dir = tempDir("main-");
    const raw = rawConfig();
    raw.environments.staging.gcp.connector.cidr = "10.2.0.0/27";
    const configFile = path.join(dir, "environments.json");
    writeFileSync(configFile, JSON.stringify(raw));
    const before = signals();
    const run = await commandRun(() => main({ configFile, outdir: path.join(dir, "out") }));
    expect(run).toEqual({ exit: [[1]], error: [['invalid configuration:\n  - environments.staging.gcp.connector.cidr: must be a /28 range (got "10.2.0.0/27")']], log: [] });
    expect(existsSync(path.join(dir, "out"))).toBe(false);
    expect(signals()).toEqual(before);
  });

  test("a Ctrl-C or SIGTERM during synth discards its generation and exits 130", async () => {
    for (const signal of [0, 1]) {
      const dir = tempDir("main-");
      process.env.REDIS_NET_STATE_DIR = path.join(dir, "state");
      const before = signals();
      const outdir = path.join(dir, "out");
      let seen: { handlers: number; thrown?: string; generationKept?: boolean } = { handlers: 0 };
      // The synth is synchronous up to the turn it takes before publishing: the handler runs there.
      // Nothing is asserted until the synth has settled, so a failure cannot leave it running.
      const run = await commandRun(async () => {
        const settled = main({ configFile: CONFIG_FILE, outdir, environments: ["staging"] }).catch(() => {});
        try {
          const [generation] = readdirSync(`${outdir}.gen`).filter((entry) => entry.startsWith("g-"));
          const handlers = signals()[signal].filter((listener) => !before[signal].includes(listener));
          seen = { handlers: handlers.length };
          try {
            handlers[0]?.(signal ? "SIGTERM" : "SIGINT");
          } catch (error) {
            seen.thrown = (error as Error).message;
          }
          seen.generationKept = existsSync(path.join(`${outdir}.gen`, generation));
        } finally {
          await settled;
        }
      }, (code) => {
        throw new Error(`exit ${code}`);
      });
      expect(seen).toEqual({ handlers: 1, thrown: "exit 130", generationKept: false });
      expect(run.exit[0]).toEqual([130]);
      expect(signals()).toEqual(before);
    }
  });

  test("npm run stacks prints the environments' stacks as a JSON list; a bad setting exits 1 with its message", async () => {
    process.env.REDIS_NET_ENVIRONMENTS = "production";
    expect(await commandRun(printStacks)).toEqual({ exit: [], error: [], log: [['["gcp-production","scaleway-production"]']] });
    process.env.REDIS_NET_ENVIRONMENTS = "production,";
    const refused = await commandRun(printStacks);
    expect(refused).toEqual({ exit: [[1]], error: [[expect.stringContaining('REDIS_NET_ENVIRONMENTS "production,": has an empty name')]], log: [] });
  });
});
