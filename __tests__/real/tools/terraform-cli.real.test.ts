import { spawnSync } from "child_process";
import { chmodSync, mkdirSync, rmSync, writeFileSync } from "fs";
import path from "path";
import { ROOT, tempDir } from "../../helpers/helpers";

// scripts/terraform.sh picks the CLI verify runs; building OpenTofu itself is measured, not tested.
function pick(withTerraform: boolean) {
  const dir = tempDir("cli-");
  const bin = path.join(dir, "path");
  mkdirSync(bin);
  mkdirSync(path.join(dir, "cache", "bin"), { recursive: true });
  const cachedTofu = path.join(dir, "cache", "bin", "tofu_v1.12.6");
  writeFileSync(cachedTofu, "#!/bin/sh\n");
  chmodSync(cachedTofu, 0o755);
  if (withTerraform) {
    writeFileSync(path.join(bin, "terraform"), "#!/bin/sh\n");
    chmodSync(path.join(bin, "terraform"), 0o755);
  }
  const run = spawnSync("/bin/bash", [path.join(ROOT, "scripts", "terraform.sh")], {
    env: { PATH: `${bin}:/usr/bin:/bin`, REDIS_NET_CACHE: path.join(dir, "cache") },
    encoding: "utf8",
  });
  rmSync(dir, { recursive: true, force: true });
  return { status: run.status, printed: run.stdout.trim().replace(dir, "<dir>") };
}

test("terraform on PATH is used as it is", () => {
  expect(pick(true)).toEqual({ status: 0, printed: "<dir>/path/terraform" });
});

test("without terraform, OpenTofu from the cache by version", () => {
  expect(pick(false)).toEqual({ status: 0, printed: "<dir>/cache/bin/tofu_v1.12.6" });
});
