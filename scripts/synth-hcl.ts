// `npm run synth:hcl`: every stack as plain HCL, the way out of cdktf. It is cdktf's own HCL
// synthesis (what `cdktf synth --hcl` switches on), then touch-ups so the result reads as
// hand-written: depends_on and ignore_changes entries unquoted (quoted references are deprecated), required_version
// written out (cdktf 0.21 renders other `terraform` attributes as `0 = "required_version"`, their
// index and name), quotes inside strings with interpolations escaped, and `terraform fmt`.
//   usage: npm run synth:hcl [-- <outdir>]      default cdktf.out.hcl; REDIS_NET_* as for synth;
//   REDIS_NET_TERRAFORM names the CLI that formats (default terraform)
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { main as synth } from "../main";
import { REQUIRED_TERRAFORM_VERSION } from "../stacks/terraform-version";
import { parseOptions } from "./args";

const USAGE = "npm run synth:hcl [-- <outdir>]";

export async function main(argv: string[]): Promise<number> {
  try {
    const { positionals } = parseOptions({ args: argv, allowPositionals: true }, USAGE);
    if (positionals.length > 1) throw new Error(`one output directory (got ${positionals.join(", ")}); usage: ${USAGE}`);
    const given = positionals[0] ?? "cdktf.out.hcl";
    // cdktf reads it when the app and its stacks are made.
    process.env.SYNTH_HCL_OUTPUT = "true";
    await synth({ outdir: given });
    touchUp(path.resolve(given));
    return 0;
  } catch (error) {
    console.error(`synth:hcl: ${(error as Error).message}`);
    return 1;
  }
}

function touchUp(outdir: string): void {
  const manifest = JSON.parse(fs.readFileSync(path.join(outdir, "manifest.json"), "utf8"));
  for (const stack of Object.values<{ synthesizedStackPath: string }>(manifest.stacks)) {
    const file = path.join(outdir, stack.synthesizedStackPath);
    const hcl = fs.readFileSync(file, "utf8")
      .replace(/depends_on = \[([^\]]*)\]/g, (_, list) => `depends_on = [${list.replace(/"([\w-]+\.[\w-]+)"/g, "$1")}]`)
      .replace(/ignore_changes = \[([^\]]*)\]/g, (_, list) => `ignore_changes = [${list.replace(/"([\w-]+)"/g, "$1")}]`)
      .replace(/^\s*0 = "required_version"$/m, `required_version = "${REQUIRED_TERRAFORM_VERSION}"`);
    const misrendered = /^\s*\d+ = "\w+"$/m.exec(hcl);
    if (misrendered) throw new Error(`${file}: cdktf rendered a terraform setting as "${misrendered[0].trim()}"; write it out in scripts/synth-hcl.js`);
    fs.writeFileSync(file, escapeInnerQuotes(hcl));
    const fmt = spawnSync(process.env.REDIS_NET_TERRAFORM ?? "terraform", ["fmt", "-list=false", file], { encoding: "utf8" });
    if (fmt.error) console.error(`terraform not found: ${path.relative(process.cwd(), file)} left unformatted`);
    else if (fmt.status !== 0) throw new Error(`terraform fmt ${file}:\n${fmt.stderr}`);
    console.log(path.relative(process.cwd(), file));
  }
}

/**
 * cdktf 0.21 renders a string that holds both double quotes and an interpolation (a Cloud
 * Monitoring filter) without escaping the quotes; escapes those outside `${...}`.
 */
function escapeInnerQuotes(hcl: string): string {
  return hcl.replace(/^(\s*[\w-]+ = )"(.*)"$/gm, (_, head: string, body: string) => {
    let out = "";
    let depth = 0;
    for (let i = 0; i < body.length; i++) {
      const c = body[i];
      if (depth === 0 && c === "$" && body[i + 1] === "{") {
        depth = 1;
        out += "${";
        i++;
      } else if (depth > 0) {
        depth += c === "{" ? 1 : c === "}" ? -1 : 0;
        out += c;
      } else if (c === "\\") {
        out += c + (body[i + 1] ?? "");
        i++;
      } else {
        out += c === '"' ? '\\"' : c;
      }
    }
    return `${head}"${out}"`;
  });
}
