// npm run stress:output [-- --rounds N]: the synthesized output under abuse, N rounds of each:
//  - two synths at once into the same fresh output directory: both succeed, the output is complete;
//  - a synth killed with SIGKILL at a random moment, alternating between two configurations so the
//    old and the new output differ: the output is then exactly the old or the new one, what a
//    deploy keeps in a stack directory (.terraform/, the lock file) survives, and the next synth works.
// Prints the figures; exits 1 on the first round that breaks.
import { ChildProcess, spawn } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { count, parseOptions } from "./args";
import { ROOT } from "./root";

const VARIANTS = ["staging", "staging,production"];

/** A complete output as { stack: cdk.tf.json text }, or why it is not complete. */
type Output = Record<string, string> | string;

function synth(work: string, outdir: string, environments: string): ChildProcess {
  const env = { ...process.env, CDKTF_OUTDIR: outdir, REDIS_NET_STATE_DIR: path.join(work, "state"), REDIS_NET_ENVIRONMENTS: environments };
  return spawn("node", [path.join(ROOT, "scripts", "run.js")], { cwd: ROOT, env, stdio: ["ignore", "ignore", "pipe"] });
}

function finished(child: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }> {
  return new Promise((resolve) => {
    let stderr = "";
    child.stderr!.on("data", (d) => (stderr += d));
    child.on("exit", (code, signal) => resolve({ code, signal, stderr }));
  });
}

function readOutput(outdir: string): Output {
  try {
    const manifest = JSON.parse(fs.readFileSync(path.join(outdir, "manifest.json"), "utf8"));
    return Object.fromEntries(Object.entries<{ synthesizedStackPath: string }>(manifest.stacks).map(([name, s]) => {
      const text = fs.readFileSync(path.join(outdir, s.synthesizedStackPath), "utf8");
      JSON.parse(text);
      return [name, text];
    }));
  } catch (error) {
    return `incomplete: ${(error as Error).message}`;
  }
}

const same = (a: Output | undefined, b: Output | undefined) => typeof a === "object" && typeof b === "object" && JSON.stringify(a) === JSON.stringify(b);

export async function main(argv: string[]): Promise<number> {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), "redis-net-stress-"));
  try {
    const rounds = count("rounds", parseOptions({ args: argv, options: { rounds: { type: "string" } } }, "npm run stress:output [-- --rounds N]").values.rounds, 50);
    console.log(await stress(rounds, work));
    return 0;
  } catch (error) {
    console.error(`stress: ${(error as Error).message}`);
    return 1;
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

/** The figures of `rounds` rounds; throws at the first round that breaks. */
async function stress(rounds: number, work: string): Promise<string> {
  // The two complete outputs a synth of each variant writes.
  const expected: Output[] = [];
  for (const [i, variant] of VARIANTS.entries()) {
    const outdir = path.join(work, `expected-${i}`);
    const run = await finished(synth(work, outdir, variant));
    if (run.code !== 0) throw new Error(`synth ${variant} failed: ${run.stderr}`);
    expected.push(readOutput(outdir));
  }

  const figures = { concurrent: 0, killedOld: 0, killedNew: 0, killedBeforeFirst: 0 };
  for (let round = 1; round <= rounds; round++) {
    // Two at once into one fresh directory.
    const fresh = path.join(work, `concurrent-${round}`);
    const both = await Promise.all([finished(synth(work, fresh, VARIANTS[1])), finished(synth(work, fresh, VARIANTS[1]))]);
    if (both.some((r) => r.code !== 0)) throw new Error(`round ${round}: a concurrent synth failed: ${both.map((r) => r.stderr).join("\n")}`);
    if (!same(readOutput(fresh), expected[1])) throw new Error(`round ${round}: concurrent synths left ${JSON.stringify(readOutput(fresh)).slice(0, 200)}`);
    figures.concurrent++;

    // Killed at a random moment, over an output a deploy has used.
    const outdir = path.join(work, "killed");
    const before = fs.existsSync(outdir) ? readOutput(outdir) : undefined;
    const kept = path.join(outdir, "stacks", "gcp-staging", ".terraform", "kept");
    if (before) {
      fs.mkdirSync(path.dirname(kept), { recursive: true });
      fs.writeFileSync(kept, String(round));
    }
    const variant = round % 2;
    const child = synth(work, outdir, VARIANTS[variant]);
    const done = finished(child);
    setTimeout(() => child.kill("SIGKILL"), Math.random() * 900);
    const result = await done;
    const after = fs.existsSync(outdir) ? readOutput(outdir) : undefined;
    if (after === undefined && before === undefined) figures.killedBeforeFirst++;
    else if (same(after, expected[variant])) figures.killedNew++;
    else if (same(after, before)) figures.killedOld++;
    else throw new Error(`round ${round}: killed synth (${result.signal ?? result.code}) left neither the old nor the new output: ${typeof after === "string" ? after : "a mix"}`);
    if (before && fs.readFileSync(kept, "utf8") !== String(round)) throw new Error(`round ${round}: .terraform/ in the stack directory was lost`);
    const next = await finished(synth(work, outdir, VARIANTS[variant]));
    if (next.code !== 0 || !same(readOutput(outdir), expected[variant])) throw new Error(`round ${round}: the next synth after a kill failed: ${next.stderr}`);
  }
  const leftovers = fs.readdirSync(path.join(work, "killed.gen")).filter((e) => e !== path.basename(fs.realpathSync(path.join(work, "killed"))));
  return `${rounds} rounds: ${figures.concurrent} pairs of concurrent synths complete; killed synths left the old output ${figures.killedOld} times, the new one ${figures.killedNew} times, nothing yet ${figures.killedBeforeFirst} times; never a mix; the next synth always worked; .terraform/ always kept; ${leftovers.length} older or unpublished generations waiting for the 10-minute prune`;
}
