import { existsSync, mkdirSync, readFileSync, writeFileSync } from "fs";
import path from "path";
import { optionsFromEnvironment, synthesize } from "../../../main";
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
