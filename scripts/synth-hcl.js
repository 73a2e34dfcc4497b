// `npm run synth:hcl`: every stack as plain HCL, the way out of cdktf. It is cdktf's own HCL
// synthesis (what `cdktf synth --hcl` switches on), then touch-ups so the result reads as
// hand-written: depends_on and ignore_changes entries unquoted (quoted references are deprecated), required_version
// written out (cdktf 0.21 renders other `terraform` attributes as `0 = "required_version"`, their
// index and name), quotes inside strings with interpolations escaped, and `terraform fmt`.
//   usage: npm run synth:hcl [-- <outdir>]      default cdktf.out.hcl; REDIS_NET_* as for synth;
//   REDIS_NET_TERRAFORM names the CLI that formats (default terraform)
const { spawnSync } = require("child_process");
const fs = require("fs");
const path = require("path");

process.env.SYNTH_HCL_OUTPUT = "true";
require("v8-compile-cache");
require("./build").build();

const given = process.argv[2] ?? "cdktf.out.hcl";
const outdir = path.resolve(given);
require("../dist/main.js").main({ outdir: given }).then(touchUp);

function touchUp() {
  const { REQUIRED_TERRAFORM_VERSION } = require("../dist/stacks/terraform-version.js");

  const manifest = JSON.parse(fs.readFileSync(path.join(outdir, "manifest.json"), "utf8"));
  for (const stack of Object.values(manifest.stacks)) {
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
function escapeInnerQuotes(hcl) {
  return hcl.replace(/^(\s*[\w-]+ = )"(.*)"$/gm, (_, head, body) => {
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
