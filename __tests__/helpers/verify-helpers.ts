import { spawnSync } from "child_process";
import { readFileSync, writeFileSync } from "fs";
import path from "path";
import { APP_SOURCES, copyProject } from "./helpers";

// The project as `npm run verify` sees it, with one construct attribute changed.
export function projectWithRedisRulePriority(priority: number): string {
  const copy = copyProject([...APP_SOURCES, "scripts", "reference"]);
  const file = path.join(copy, "constructs", "gcp", "firewall-rules.ts");
  const source = readFileSync(file, "utf8");
  // The Redis rule takes the default priority; staging has no other rule that does.
  expect(source).toContain("priority: priority ?? 1000,");
  writeFileSync(file, source.replace("priority: priority ?? 1000,", `priority: priority ?? ${priority},`));
  return copy;
}

/** Takes one feature out of reference/beyond.json in a copy of the project; returns its addresses. */
export function unlistFeature(copy: string, feature: string): string[] {
  const file = path.join(copy, "reference", "beyond.json");
  const beyond = JSON.parse(readFileSync(file, "utf8"));
  const [removed] = beyond.features.filter((f: { feature: string }) => f.feature === feature);
  expect(removed).toBeDefined();
  beyond.features = beyond.features.filter((f: { feature: string }) => f !== removed);
  writeFileSync(file, JSON.stringify(beyond, null, 2));
  return removed.addresses;
}

export const verify = (cwd: string, ...args: string[]) =>
  spawnSync("node", ["scripts/run.js", "verify", ...args], { cwd, encoding: "utf8", timeout: 540_000 });
