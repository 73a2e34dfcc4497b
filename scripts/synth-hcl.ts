// `npm run synth:hcl`: every stack as plain HCL, the way out of cdktf. It is cdktf's own HCL
// synthesis (what `cdktf synth --hcl` switches on), then touch-ups so the result reads as
// hand-written: depends_on and ignore_changes entries unquoted (quoted references are deprecated), required_version
// written out (cdktf 0.21 renders other `terraform` attributes as `0 = "required_version"`, their
// index and name), quotes inside strings with interpolations escaped, and `terraform fmt`.
// The touch-ups are made in the new output before it is published (output/publish.ts), so a failure
// leaves the previous output as it was, and two runs at once each publish a complete one.
//   usage: npm run synth:hcl [-- <outdir>]      default cdktf.out.hcl in the project; a relative
//   <outdir> is from where you typed it; REDIS_NET_* as for synth; REDIS_NET_TERRAFORM names the
//   CLI that formats (default terraform)
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { userCwd, userPath } from "../input/user-path";
import { main as synth } from "../main";
import { REQUIRED_TERRAFORM_VERSION } from "../stacks/terraform-version";
import { parseOptions } from "./args";
import { ROOT } from "./root";

const USAGE = "npm run synth:hcl [-- <outdir>]";

export async function main(argv: string[]): Promise<number> {
  try {
    const { positionals } = parseOptions({ args: argv, allowPositionals: true }, USAGE);
    if (positionals.length > 1) throw new Error(`one output directory (got ${positionals.join(", ")}); usage: ${USAGE}`);
    const given = positionals[0];
    const outdir = given === undefined ? path.join(ROOT, "cdktf.out.hcl") : userPath(given).path;
    // cdktf reads it when the app and its stacks are made.
    process.env.SYNTH_HCL_OUTPUT = "true";
    let files: string[] = [];
    // main() names the output directory in its errors as given, and exits 1 on them.
    await synth({ outdir: given ?? outdir, finish: (generation) => (files = touchUp(generation)) });
    for (const file of files) console.log(path.relative(userCwd(), path.join(outdir, file)));
    return 0;
  } catch (error) {
    console.error(`synth:hcl: ${(error as Error).message}`);
    return 1;
  }
}

/** Touches up each stack's HCL in a synthesized output; returns their paths in it. */
function touchUp(outdir: string): string[] {
  const manifest = JSON.parse(fs.readFileSync(path.join(outdir, "manifest.json"), "utf8"));
  const files = Object.values<{ synthesizedStackPath: string }>(manifest.stacks).map((stack) => stack.synthesizedStackPath);
  for (const relative of files) {
    const file = path.join(outdir, relative);
    const hcl = fs.readFileSync(file, "utf8")
      .replace(/depends_on = \[([^\]]*)\]/g, (_, list) => `depends_on = [${list.replace(/"([\w-]+\.[\w-]+)"/g, "$1")}]`)
      .replace(/ignore_changes = \[([^\]]*)\]/g, (_, list) => `ignore_changes = [${list.replace(/"([\w-]+)"/g, "$1")}]`)
      .replace(/^\s*0 = "required_version"$/m, `required_version = "${REQUIRED_TERRAFORM_VERSION}"`);
    const misrendered = /^\s*\d+ = "\w+"$/m.exec(hcl);
    if (misrendered) throw new Error(`${relative}: cdktf rendered a terraform setting as "${misrendered[0].trim()}"; write it out in scripts/synth-hcl.ts`);
    fs.writeFileSync(file, escapeInnerQuotes(hcl));
    const fmt = spawnSync(process.env.REDIS_NET_TERRAFORM ?? "terraform", ["fmt", "-list=false", file], { cwd: outdir, encoding: "utf8", timeout: 60_000 });
    if ((fmt.error as NodeJS.ErrnoException | undefined)?.code === "ENOENT") console.error(`terraform not found: ${relative} left unformatted`);
    else if (fmt.error) throw new Error(`terraform fmt ${relative}: did not finish within 60 s`);
    else if (fmt.status !== 0) throw new Error(`terraform fmt ${relative}:\n${fmt.stderr}`);
  }
  return files;
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
