import { spawn, spawnSync } from "child_process";
import { readFileSync, writeFileSync } from "fs";
import * as path from "path";
import { APP_SOURCES, copyProject } from "../../helpers/helpers";

// The synth path compiles without type-checking for speed; it must still never run a stale build.
test("synth rebuilds after any source change and not otherwise", () => {
  const copy = copyProject([...APP_SOURCES, "scripts"]);

  const synth = () => {
    const run = spawnSync("node", ["-e", 'console.log(require("./scripts/build").build())'], { cwd: copy, encoding: "utf8" });
    expect(run.stderr).toBe("");
    spawnSync("node", ["scripts/run.js"], { cwd: copy, env: { ...process.env, CDKTF_OUTDIR: path.join(copy, "out"), REDIS_NET_ENVIRONMENTS: "staging" } });
    const stack = JSON.parse(readFileSync(path.join(copy, "out", "stacks", "gcp-staging", "cdk.tf.json"), "utf8"));
    return { rebuilt: run.stdout.trim() === "true", routingMode: stack.resource.google_compute_network.vpc.routing_mode };
  };

  expect(synth()).toEqual({ rebuilt: true, routingMode: "REGIONAL" });
  expect(synth()).toEqual({ rebuilt: false, routingMode: "REGIONAL" });
  const network = path.join(copy, "constructs", "gcp", "network.ts");
  writeFileSync(network, readFileSync(network, "utf8").replace('routingMode: "REGIONAL"', 'routingMode: "GLOBAL"'));
  expect(synth()).toEqual({ rebuilt: true, routingMode: "GLOBAL" });
}, 30_000);

test("synths started together after a source change both run the new build, and leave a working one", async () => {
  const copy = copyProject([...APP_SOURCES, "scripts"]);
  const network = path.join(copy, "constructs", "gcp", "network.ts");
  writeFileSync(network, readFileSync(network, "utf8").replace('routingMode: "REGIONAL"', 'routingMode: "GLOBAL"'));
  const synth = (out: string) =>
    new Promise<number | null>((resolve) => {
      const child = spawn("node", ["scripts/run.js"], { cwd: copy, stdio: "ignore", env: { ...process.env, CDKTF_OUTDIR: path.join(copy, out), REDIS_NET_ENVIRONMENTS: "staging" } });
      child.on("exit", resolve);
    });
  for (let round = 0; round < 3; round++) {
    writeFileSync(network, readFileSync(network, "utf8").replace(/\/\/ round \d+\n|$/, `// round ${round}\n`));
    expect(await Promise.all([synth(`a${round}`), synth(`b${round}`), synth(`c${round}`)])).toEqual([0, 0, 0]);
    for (const out of ["a", "b", "c"]) {
      const stack = JSON.parse(readFileSync(path.join(copy, `${out}${round}`, "stacks", "gcp-staging", "cdk.tf.json"), "utf8"));
      expect(stack.resource.google_compute_network.vpc.routing_mode).toBe("GLOBAL");
    }
  }
  const run = spawnSync("node", ["-e", 'console.log(require("./scripts/build").build())'], { cwd: copy, encoding: "utf8" });
  expect(run.stdout.trim()).toBe("false"); // the stamp is right: dist is current and complete
}, 60_000);
