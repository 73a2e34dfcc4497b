import { existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, realpathSync, symlinkSync, utimesSync, writeFileSync } from "fs";
import path from "path";
import { checkOutdir, discard, newGeneration, publish } from "../../../output/publish";
import { tempDir } from "../../helpers/helpers";

// How a synth's output replaces the previous one (output/publish.ts), in-process on temporary
// folders; the synth process around it is __tests__/real/build/output.real.test.ts.

/** Writes `files` (path → content) under `dir`. */
function write(dir: string, files: Record<string, string>): void {
  for (const [file, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    writeFileSync(path.join(dir, file), content);
  }
}

const MANIFEST = JSON.stringify({ version: "0.21.0", stacks: { "gcp-staging": { synthesizedStackPath: "stacks/gcp-staging/cdk.tf.json" } } });

/** A synth: a generation with these files, published. */
function synth(outdir: string, files: Record<string, string>): string {
  const generation = newGeneration(outdir);
  write(generation, { "manifest.json": MANIFEST, ...files });
  publish(generation, outdir);
  return generation;
}

describe("publish", () => {
  test("the output becomes a link to the new generation, which keeps what deploys left and none of a removed stack's synthesized files", () => {
    const outdir = path.join(tempDir("publish-"), "cdktf.out");
    synth(outdir, {
      "stacks/gcp-staging/cdk.tf.json": "old",
      "stacks/gcp-staging/.terraform/providers/marker": "init",
      "stacks/gcp-staging/plan.tfplan": "plan",
      "stacks/gcp-gone/cdk.tf.json": "gone",
      "stacks/gcp-gone/.terraform.lock.hcl": "lock",
      "stacks/scaleway-gone/cdk.tf": "gone",
    });
    const second = synth(outdir, { "stacks/gcp-staging/cdk.tf.json": "new" });
    expect(realpathSync(outdir)).toBe(realpathSync(second));
    expect(lstatSync(outdir).isSymbolicLink()).toBe(true);
    // The marker says what the generations' folder is to whoever finds it.
    expect(readFileSync(path.join(`${outdir}.gen`, ".redis-net-generations"), "utf8")).toBe("Generations of the synthesized output beside this directory (output/publish.ts).\n");
    const read = (file: string) => readFileSync(path.join(outdir, file), "utf8");
    expect([read("stacks/gcp-staging/cdk.tf.json"), read("stacks/gcp-staging/.terraform/providers/marker"), read("stacks/gcp-staging/plan.tfplan")]).toEqual(["new", "init", "plan"]);
    // A stack no longer synthesized keeps what terraform left, never its old configuration.
    expect(readdirSync(path.join(outdir, "stacks", "gcp-gone"))).toEqual([".terraform.lock.hcl"]);
    expect(readdirSync(path.join(outdir, "stacks", "scaleway-gone"))).toEqual([]);
  });

  test("the prune removes its own entries once ten minutes old, and nothing else", () => {
    const outdir = path.join(tempDir("prune-"), "cdktf.out");
    const first = synth(outdir, {});
    const generations = `${outdir}.gen`;
    const own = ["g-Stale1", "link-4242", "before-generations-4242"];
    const foreign = ["notes.txt", "g-Stale1.bak", "my-g-Stale1", "g-Short", "g-Stale.", "link-", "link-x", "before-generations-x"];
    for (const entry of [...own, ...foreign, "g-Fresh1"]) write(generations, { [entry]: "" });
    const at = (minutes: number) => new Date(Date.now() - minutes * 60_000);
    for (const entry of [...own, ...foreign]) utimesSync(path.join(generations, entry), at(11), at(11));
    utimesSync(path.join(generations, "g-Fresh1"), at(9), at(9));
    utimesSync(first, at(11), at(11));
    const second = synth(outdir, {});
    // The generation just replaced goes once stale like the rest; a run may still be reading a fresh one.
    expect(readdirSync(generations).sort()).toEqual([".redis-net-generations", "g-Fresh1", path.basename(second), ...foreign].sort());
  });

  test("an older synth's output directory moves aside into the generations, carried first", () => {
    const outdir = path.join(tempDir("older-"), "cdktf.out");
    write(outdir, { "manifest.json": MANIFEST, "stacks/gcp-staging/terraform.tfstate": "state" });
    synth(outdir, { "stacks/gcp-staging/cdk.tf.json": "new" });
    expect(readFileSync(path.join(outdir, "stacks/gcp-staging/terraform.tfstate"), "utf8")).toBe("state");
    expect(readdirSync(`${outdir}.gen`).filter((entry) => entry.startsWith("before-generations-"))).toEqual([`before-generations-${process.pid}`]);
  });

  test("what appears at the output during the synth is checked again: a file or someone's directory is refused and kept", () => {
    const dir = tempDir("raced-");
    for (const [name, appears] of Object.entries({ file: () => writeFileSync(path.join(dir, "file"), "mine"), folder: () => write(dir, { "folder/notes": "mine" }) })) {
      const outdir = path.join(dir, name);
      checkOutdir(outdir);
      const generation = newGeneration(outdir);
      appears();
      expect(() => publish(generation, outdir)).toThrow(`output directory ${outdir}: ${name === "file" ? "is a file" : "holds files synth did not write (notes)"}`);
      expect(readFileSync(name === "file" ? outdir : path.join(outdir, "notes"), "utf8")).toBe("mine");
    }
  });

  test("discard removes an unpublished generation and leaves the output; a second discard is harmless", () => {
    const outdir = path.join(tempDir("discard-"), "cdktf.out");
    const published = synth(outdir, {});
    const unpublished = newGeneration(outdir);
    write(unpublished, { "stacks/gcp-staging/cdk.tf.json": "{}" });
    discard(unpublished);
    expect(existsSync(unpublished)).toBe(false);
    expect(() => discard(unpublished)).not.toThrow();
    expect(realpathSync(outdir)).toBe(realpathSync(published));
  });

  test("the new generation's file or directory wins over the old output's of the same name (found by npm run mutate)", () => {
    const outdir = path.join(tempDir("wins-"), "cdktf.out");
    synth(outdir, { "stacks/gcp-staging/x/kept": "old", "stacks/gcp-staging/y": "old", "stacks/gcp-staging/z": "old" });
    synth(outdir, { "stacks/gcp-staging/x": "new", "stacks/gcp-staging/y/inner": "new" });
    const read = (file: string) => readFileSync(path.join(outdir, "stacks/gcp-staging", file), "utf8");
    expect([read("x"), read("y/inner"), read("z")]).toEqual(["new", "new", "old"]);
  });

  test("an empty output directory is replaced, not moved aside; the generation just published is never pruned (found by npm run mutate)", () => {
    const outdir = path.join(tempDir("empty-"), "cdktf.out");
    mkdirSync(outdir);
    const generation = newGeneration(outdir);
    // A generation whose time says stale, as after a synth that took long.
    const old = new Date(Date.now() - 11 * 60_000);
    utimesSync(generation, old, old);
    publish(generation, outdir);
    expect(readdirSync(`${outdir}.gen`).sort()).toEqual([".redis-net-generations", path.basename(generation)]);
    expect(realpathSync(outdir)).toBe(realpathSync(generation));
  });
});

describe("checkOutdir refuses, naming the path as given, what synth must not replace", () => {
  const refusal = (outdir: string, given?: string, guarded = [] as { dir: string; what: string }[]) => {
    try {
      checkOutdir(outdir, given, guarded);
    } catch (error) {
      return (error as Error).message;
    }
    return undefined;
  };

  test("absent, empty, and earlier outputs are accepted", () => {
    const dir = tempDir("accepted-");
    expect(refusal(path.join(dir, "absent"))).toBeUndefined();
    mkdirSync(path.join(dir, "empty"));
    expect(refusal(path.join(dir, "empty"))).toBeUndefined();
    write(dir, { "older/manifest.json": MANIFEST, "older/stacks/gcp-staging/cdk.tf.json": "{}" });
    expect(refusal(path.join(dir, "older"))).toBeUndefined();
    synth(path.join(dir, "linked"), {});
    expect(refusal(path.join(dir, "linked"))).toBeUndefined();
  });

  test("a file, a path under a file, someone's directory or link, a foreign <outdir>.gen", () => {
    const dir = tempDir("refused-");
    write(dir, { file: "", "mine/notes": "", "mine/a-list": "", "elsewhere/x": "", "out.gen/zeta.txt": "", "out.gen/g-Abc123/x": "", "out.gen/keep.txt": "", "other.gen": "" });
    symlinkSync(path.join(dir, "elsewhere"), path.join(dir, "link"));
    expect(refusal(path.join(dir, "file"), "given")).toBe("output directory given: is a file; choose another output directory");
    expect(refusal(path.join(dir, "file", "out"))).toBe(`output directory ${path.join(dir, "file", "out")}: cannot be created: ${path.join(dir, "file")} is a file, not a directory`);
    expect(refusal(path.join(dir, "file", "a", "b"))).toBe(`output directory ${path.join(dir, "file", "a", "b")}: cannot be created: ${path.join(dir, "file")} is a file, not a directory`);
    symlinkSync("loop", path.join(dir, "loop"));
    expect(refusal(path.join(dir, "loop", "out"))).toBe(`output directory ${path.join(dir, "loop", "out")}: cannot be created: ${path.join(dir, "loop")} cannot be examined (ELOOP)`);
    expect(refusal(path.join(dir, "mine"))).toBe(`output directory ${path.join(dir, "mine")}: holds files synth did not write (a-list, notes) and no synth manifest; give an empty or new directory, or an earlier output of synth`);
    expect(refusal(path.join(dir, "link"))).toBe(`output directory ${path.join(dir, "link")}: is a link to ${path.join(dir, "elsewhere")}, which synth did not make; remove the link or choose another output directory`);
    expect(refusal(path.join(dir, "out"))).toBe(`output directory ${path.join(dir, "out")}: ${path.join(dir, "out.gen")}, where synth keeps its generations, holds files synth did not write (keep.txt, zeta.txt); move them or choose another output directory`);
    expect(refusal(path.join(dir, "other"))).toBe(`output directory ${path.join(dir, "other")}: ${path.join(dir, "other.gen")}, where synth keeps its generations, is a file; move it or choose another output directory`);
  });

  test("a manifest that is not cdktf's does not make a directory synth's", () => {
    const dir = tempDir("manifest-");
    for (const [name, manifest] of Object.entries({ noVersion: { stacks: { a: { synthesizedStackPath: "x" } } }, noStacks: { version: "1", stacks: {} }, badPath: { version: "1", stacks: { a: {} } }, notJson: "{" })) {
      write(dir, { [`${name}/manifest.json`]: typeof manifest === "string" ? manifest : JSON.stringify(manifest) });
      expect(refusal(path.join(dir, name))).toMatch(/holds files synth did not write \(manifest\.json\) and no synth manifest/);
    }
  });

  test("a guarded directory, or one of its ancestors", () => {
    const dir = tempDir("guarded-");
    const project = path.join(dir, "project");
    mkdirSync(project);
    const guarded = [{ dir: project, what: "the project's directory" }];
    expect(refusal(project, ".", guarded)).toBe("output directory .: is the project's directory; synth replaces its output directory with a link, so give one of its own, such as cdktf.out");
    symlinkSync(project, path.join(dir, "alias"));
    expect(refusal(path.join(dir, "alias"), "alias", guarded)).toBe("output directory alias: is the project's directory; synth replaces its output directory with a link, so give one of its own, such as cdktf.out");
    expect(refusal(dir, "..", guarded)).toBe(`output directory ..: holds the project's directory (${project}); give a directory of the output's own, such as cdktf.out`);
    expect(refusal(path.join(project, "cdktf.out"), undefined, guarded)).toBe(undefined);
    expect(refusal(path.parse(dir).root, "/", guarded)).toBe(`output directory /: holds the project's directory (${project}); give a directory of the output's own, such as cdktf.out`);
  });
});
