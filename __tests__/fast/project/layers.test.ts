import { readdirSync, readFileSync, statSync } from "fs";
import path from "path";
import { ROOT } from "../../helpers/helpers";

// The layers point one way: input (paths and files people give) reads nothing else; configuration
// reads input, limits and naming; stacks compose constructs for
// configuration; constructs know neither configuration nor stacks; policy reads only the output.
const MAY_IMPORT: Record<string, string[]> = {
  input: ["input"],
  limits: ["limits"],
  naming: ["naming"],
  config: ["config", "input", "limits", "naming"],
  constructs: ["constructs", "limits", ".gen"],
  policy: ["policy", "limits"],
  output: ["output", "input"],
  stacks: ["stacks", "config", "constructs", "limits", "naming", "policy", ".gen"],
};

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const file = path.join(dir, name);
    return statSync(file).isDirectory() ? sources(file) : name.endsWith(".ts") ? [file] : [];
  });
}

/** The top-level folders a file imports from, by relative import. */
function importedLayers(file: string): string[] {
  const specifiers = [...readFileSync(file, "utf8").matchAll(/from "(\.[^"]+)"/g)].map((m) => m[1]);
  return specifiers.map((s) => path.relative(ROOT, path.resolve(path.dirname(file), s)).split(path.sep)[0]);
}

test.each(Object.keys(MAY_IMPORT))("%s/ imports only from the layers below it", (layer) => {
  const offending = sources(path.join(ROOT, layer)).flatMap((file) =>
    importedLayers(file).filter((imported) => !MAY_IMPORT[layer].includes(imported)).map((imported) => `${path.relative(ROOT, file)} imports ${imported}/`),
  );
  expect(offending).toEqual([]);
});

test("tests load cdktf without token creation stacks, with archiver and semver loaded on first use (helpers/before-cdktf.ts)", () => {
  expect(String(require("cdktf/lib/tokens/private/stack-trace").captureStackTrace)).not.toContain("Error.captureStackTrace");
  for (const [name, member] of [["archiver", "create"], ["semver", "satisfies"]]) {
    const file = require.resolve(name, { paths: [path.dirname(require.resolve("cdktf/lib/private/fs"))] });
    expect(require(file)).not.toBe(jest.requireActual(file));
    expect(require(file)[member]).toBe(jest.requireActual(file)[member]);
  }
});

test("limits/ knows neither cdktf nor zod: it is plain data and functions", () => {
  const offending = sources(path.join(ROOT, "limits")).filter((file) => /from "(cdktf|zod|constructs)"/.test(readFileSync(file, "utf8")));
  expect(offending).toEqual([]);
});

test("no construct hands out a generated provider resource: only attributes and handles", () => {
  const offending = sources(path.join(ROOT, "constructs")).flatMap((file) => {
    const text = readFileSync(file, "utf8");
    const generated = [...text.matchAll(/import \{ ([^}]+) \} from "[./]+\.gen\//g)].flatMap((m) => m[1].split(",").map((n) => n.trim()));
    const exposed = [...text.matchAll(/^\s*(?:public )?readonly (\w+)\??: (\w+)/gm)].filter(([, , type]) => generated.includes(type));
    return exposed.map(([, field, type]) => `${path.relative(ROOT, file)}: ${field}: ${type}`);
  });
  expect(offending).toEqual([]);
});

test("every test is in a tier's folder by layer, and only helpers and fixtures sit elsewhere", () => {
  const tests = path.join(ROOT, "__tests__");
  const misplaced = sources(tests).map((file) => path.relative(tests, file)).filter((file) => {
    const [top, , name] = file.split(path.sep);
    if (top === "fixtures") return false;
    if (top === "helpers") return file.split(path.sep).length !== 2;
    if (top === "fast") return !name?.endsWith(".test.ts") || name.endsWith(".real.test.ts");
    if (top === "real") return !name?.endsWith(".real.test.ts");
    return true;
  });
  expect(misplaced).toEqual([]);
});
