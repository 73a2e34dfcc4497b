import { AnnotationMetadataEntryType, App, Aspects } from "cdktf";
import * as fs from "fs";
import * as path from "path";
import { ConfigError, loadConfig, selectEnvironments, ValidatedConfigs } from "./config/load";
import { Config } from "./config/schema";
import { annotations, checkPolicy, writeAsChecked } from "./policy/policy";
import { policyRules } from "./policy/packs";
import { userCwd, userPath } from "./input/user-path";
import { checkOutdir, discard, newGeneration, publish } from "./output/publish";
import { GcpStack } from "./stacks/gcp-stack";
import { Cloud, stackName } from "./naming/names";
import { LOCAL_STATE_DIR } from "./stacks/state-backend";
import { ScalewayStack } from "./stacks/scaleway-stack";
import { StateBucketStack } from "./stacks/state-bucket-stack";

/**
 * The project's directory, wherever this runs from (main.ts there, or its build in
 * .build/<hash>/): configuration, output and local state default to it, not to the caller's folder.
 */
const FROM_BUILD = path.basename(path.dirname(__dirname)) === ".build";
const PROJECT_ROOT = FROM_BUILD ? path.dirname(path.dirname(__dirname)) : __dirname;
/** Configurations this build validated (config/load.ts); none when run from the sources. */
const validatedConfigs = () => (FROM_BUILD ? new ValidatedConfigs(path.join(__dirname, "config-cache")) : undefined);

/** Adds one stack per cloud each selected environment configures. */
export function addStacks(app: App, config: Config, environments?: string[]): void {
  for (const [environment, clouds] of selectEnvironments(config, environments)) {
    const stacks = [
      clouds.gcp && new GcpStack(app, { environment, config: clouds.gcp, production: clouds.production }),
      clouds.scaleway && new ScalewayStack(app, { environment, config: clouds.scaleway, production: clouds.production }),
      clouds.gcp?.state && new StateBucketStack(app, { cloud: "gcp", environment, config: { ...clouds.gcp, state: clouds.gcp.state }, repository: config.ci?.repository }),
      clouds.scaleway?.state && new StateBucketStack(app, { cloud: "scaleway", environment, config: { ...clouds.scaleway, state: clouds.scaleway.state }, repository: config.ci?.repository }),
    ];
    for (const stack of stacks) {
      if (!stack) continue;
      for (const rule of policyRules({ environment, production: clouds.production, invoker: clouds.gcp?.backend.invoker })) Aspects.of(stack).add(rule);
    }
  }
}

const CLOUDS: Cloud[] = ["gcp", "scaleway"];

/**
 * The stack of each cloud each selected environment configures, by name, in the order addStacks
 * makes them: what CI plans and applies (`npm run stacks`) and what the tests enumerate. The state
 * bootstrap stacks are not among them: they are applied by hand, once (docs/state.md).
 */
export function environmentStacks(config: Config, environments?: string[]): string[] {
  return selectEnvironments(config, environments).flatMap(([environment, clouds]) =>
    CLOUDS.filter((cloud) => clouds[cloud]).map((cloud) => stackName(cloud, environment)),
  );
}

export interface SynthOptions {
  readonly configFile: string;
  /** Only these environments; all when absent. */
  readonly environments?: string[];
  /** @default cdktf's (cdktf.out, or what the CLI passes) */
  readonly outdir?: string;
  /** Runs on the complete output before it is published; what it throws discards it. */
  readonly finish?: (generation: string) => void;
}

/** A synthesized output, complete in its generation directory but not yet the output. */
interface WrittenOutput {
  readonly generation: string;
  readonly outdir: string;
  readonly stateDir: string;
  /** Kept once the output is published. */
  readonly configs?: ValidatedConfigs;
}

/**
 * Validates the configuration, builds every stack (constructs validate their props), checks the
 * policy rules, and writes only when all of it passed: cdktf writes stack by stack, so it writes
 * into a new generation directory that becomes the output in one step (output/publish.ts), keeping
 * what `cdktf deploy` left in the previous one.
 */
export function synthesize(options: SynthOptions): void {
  publishOutput(writeGeneration(options));
}

/** Everything but the switch: a failure discards the generation. */
function writeGeneration(options: SynthOptions, started: (generation: string) => void = () => {}): WrittenOutput {
  const configs = validatedConfigs();
  const config = loadConfig(options.configFile, configs);
  const given = options.outdir ?? setting("CDKTF_OUTDIR", "a directory such as cdktf.out") ?? path.join(PROJECT_ROOT, "cdktf.out");
  const outdir = userPath(given).path;
  const stateDir = userPath(setting("REDIS_NET_STATE_DIR", "a directory for local state") ?? path.join(PROJECT_ROOT, "terraform-state")).path;
  checkOutdir(outdir, given, [
    { dir: PROJECT_ROOT, what: "the project's directory" },
    { dir: userCwd(), what: "the directory you are in" },
  ]);
  const generation = newGeneration(outdir);
  started(generation);
  try {
    // Every stack directory is <generation>/stacks/<stack>: the same way up to the state directory.
    const localStateDir = path.relative(path.join(generation, "stacks", "stack"), stateDir);
    const app = new App({ outdir: generation, context: { [LOCAL_STATE_DIR]: localStateDir } });
    addStacks(app, config, options.environments);
    const { violations, synthesized } = checkPolicy(app);
    if (violations.length) throw new Error(`policy violations:\n${violations.join("\n")}`);
    for (const warning of annotations(app, AnnotationMetadataEntryType.WARN)) console.warn(`warning: ${warning}`);
    writeAsChecked(synthesized);
    app.synth();
    options.finish?.(generation);
    return { generation, outdir, stateDir, configs };
  } catch (error) {
    discard(generation);
    throw error;
  }
}

function publishOutput({ generation, outdir, stateDir, configs }: WrittenOutput): void {
  publish(generation, outdir);
  moveLegacyState(outdir, stateDir);
  configs?.keep();
}

/**
 * The synth command: `synthesize`, interruptible. The handler exists before the generation does,
 * and synthesis is synchronous, so a Ctrl-C during it is handled in the one event-loop turn taken
 * before publishing: the generation is discarded and the previous output stays.
 */
async function interruptibleSynthesize(options: SynthOptions): Promise<void> {
  let generation: string | undefined;
  const interrupted = () => {
    if (generation) discard(generation);
    process.exit(130);
  };
  process.once("SIGINT", interrupted).once("SIGTERM", interrupted);
  try {
    const written = writeGeneration(options, (started) => (generation = started));
    await new Promise((resolve) => setImmediate(resolve));
    publishOutput(written);
  } finally {
    process.off("SIGINT", interrupted).off("SIGTERM", interrupted);
  }
}

/**
 * Local state used to live in the stack directories (`terraform.<stack>.tfstate`), where cleaning
 * the output deleted it. Moves it to the state directory once, never over a state already there.
 */
function moveLegacyState(outdir: string, stateDir: string): void {
  const stacks = path.join(outdir, "stacks");
  for (const stack of fs.existsSync(stacks) ? fs.readdirSync(stacks) : []) {
    for (const suffix of [".tfstate", ".tfstate.backup"]) {
      const legacy = path.join(stacks, stack, `terraform.${stack}${suffix}`);
      const target = path.join(stateDir, `${stack}${suffix}`);
      if (!fs.existsSync(legacy) || fs.existsSync(target)) continue;
      fs.mkdirSync(stateDir, { recursive: true });
      fs.renameSync(legacy, target);
      console.warn(`moved local state ${path.relative(process.cwd(), legacy)} to ${path.relative(process.cwd(), target)}; run terraform init -reconfigure in the stack directory before the next plan`);
    }
  }
}

/** Which configuration and environments to synthesize, from REDIS_NET_CONFIG / REDIS_NET_ENVIRONMENTS. */
export function optionsFromEnvironment(): SynthOptions {
  const environments = setting("REDIS_NET_ENVIRONMENTS", "environment names separated by commas, e.g. staging,production")?.split(",").map((name) => name.trim());
  if (environments?.some((name) => name === "")) {
    throw new ConfigError([`REDIS_NET_ENVIRONMENTS ${JSON.stringify(process.env.REDIS_NET_ENVIRONMENTS)}: has an empty name; give environment names separated by commas, e.g. staging,production`]);
  }
  const configFile = setting("REDIS_NET_CONFIG", "a configuration file such as config/environments.json");
  return {
    // Relative to the working directory, so that messages name it as given where the user is there.
    configFile: configFile === undefined ? path.join(PROJECT_ROOT, "config", "environments.json") : path.isAbsolute(configFile) ? configFile : path.relative(process.cwd(), userPath(configFile).path) || ".",
    environments,
  };
}

/**
 * An environment variable that is unset (undefined) or has a value: set but empty is an error,
 * never a path or an empty list (an empty CDKTF_OUTDIR would write into the source tree).
 */
function setting(name: string, expected: string): string | undefined {
  const value = process.env[name];
  if (value !== undefined && value.trim() === "") throw new ConfigError([`${name} is set but empty: unset it, or set it to ${expected}`]);
  return value;
}

export async function main(options: Partial<SynthOptions> = {}): Promise<void> {
  try {
    await interruptibleSynthesize({ ...optionsFromEnvironment(), ...options });
  } catch (error) {
    // Configuration and prop errors are written for people: their message, not a stack trace.
    console.error((error as Error).message);
    process.exit(1);
  }
}

/** `npm run stacks`: environmentStacks as a JSON list, for the workflows' matrices. */
export function printStacks(): void {
  try {
    const { configFile, environments } = optionsFromEnvironment();
    const configs = validatedConfigs();
    console.log(JSON.stringify(environmentStacks(loadConfig(configFile, configs), environments)));
    configs?.keep();
  } catch (error) {
    console.error((error as Error).message);
    process.exit(1);
  }
}
