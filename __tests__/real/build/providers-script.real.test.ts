import { spawn } from "child_process";
import { existsSync, readFileSync, readlinkSync } from "fs";
import path from "path";
import { providerMirror, ROOT } from "../../helpers/helpers";

// scripts/providers.sh runs before every rehearsal, verify and plan, often beside a terraform
// init that reads its CLI config and mirror: it must never leave either half-written.
const config = providerMirror();
const maybe = config ? test : test.skip;

maybe("runs of providers.sh beside each other never leave the CLI config or a mirror link missing", async () => {
  const link = path.join(path.dirname(config!), "mirror", "registry.terraform.io", "hashicorp", "google");
  const version = readFileSync(path.join(ROOT, "cdktf.json"), "utf8").match(/hashicorp\/google@([\d.]+)/)![1];
  const provider = path.join(link, version, "linux_amd64", `terraform-provider-google_v${version}`);
  const expected = readFileSync(config!, "utf8");
  const runs = Array.from({ length: 6 }, () => new Promise<number | null>((resolve) => spawn("bash", [path.join(ROOT, "scripts", "providers.sh")], { stdio: "ignore" }).on("close", resolve)));
  let done = false;
  const all = Promise.all(runs).finally(() => (done = true));
  const seen = new Set<string>();
  while (!done) {
    seen.add(existsSync(config!) ? readFileSync(config!, "utf8") : "(missing)");
    seen.add(existsSync(provider) ? readlinkSync(provider) : "(no link)");
    await new Promise((resolve) => setImmediate(resolve));
  }
  expect(await all).toEqual([0, 0, 0, 0, 0, 0]);
  expect([...seen].sort()).toEqual([expected, readlinkSync(provider)].sort());
});
