import * as fs from "fs";
import * as path from "path";
import { list, unwritable } from "../input/user-path";

/**
 * The synthesized output switches from old to new in one step. Each synth writes a complete tree
 * into its own generation directory `<outdir>.gen/<id>/`; `<outdir>` is a symlink to the current
 * one, replaced by a single rename once the new tree is complete. A killed or failed synth leaves
 * the previous output untouched, and two synths at once each publish a complete tree.
 *
 * What `cdktf deploy` and people keep in the output (`.terraform`, lock files, plans, verify's
 * work) is carried into the new generation (hard-linked), so synthesizing again loses nothing.
 *
 * Only what synth made is replaced or pruned: an output directory must be absent, empty, or an
 * earlier output (the link into `<outdir>.gen`, or an older synth's directory with its manifest),
 * and `<outdir>.gen` must be synth's (its marker, or only entries synth names).
 */

/** Files synth writes: regenerated each time, so never carried from one generation to the next. */
const SYNTHESIZED = new Set([
  // Stryker disable next-line StringLiteral: equivalent, every generation has its own manifest, which carry never replaces
  "manifest.json",
  "cdk.tf.json",
  "cdk.tf",
]);
/** Generations no run can still be writing or reading. */
const STALE_MS = 10 * 60 * 1000;
/** Written into `<outdir>.gen` when synth makes it. */
const MARKER = ".redis-net-generations";
/** What synth makes in `<outdir>.gen`: generations, links about to be renamed, an older output moved aside. All that prune removes. */
const OWN_ENTRY = /^(?:g-[A-Za-z0-9]{6}|link-\d+|before-generations-\d+)$/;

/** A directory the output must not be, nor hold: synth would replace it with a link. */
export interface Guarded {
  readonly dir: string;
  /** "the project's directory", "the directory you are in" */
  readonly what: string;
}

/**
 * Refuses, before anything is written, an output path synth must not publish to, naming the path
 * as the user gave it: a file or a path under one, a guarded directory or one of its ancestors,
 * a directory or link synth did not make, a `<outdir>.gen` that is not synth's, or a place it
 * cannot write.
 */
export function checkOutdir(outdir: string, given = outdir, guarded: Guarded[] = []): void {
  const refuse = (problem: string): never => {
    throw new Error(`output directory ${given}: ${problem}`);
  };
  for (const { dir, what } of guarded) {
    const [out, kept] = [realish(outdir), realish(dir)];
    if (out === kept) refuse(`is ${what}; synth replaces its output directory with a link, so give one of its own, such as cdktf.out`);
    if (kept.startsWith(`${out}${path.sep}`) || out === path.parse(out).root) refuse(`holds ${what} (${dir}); give a directory of the output's own, such as cdktf.out`);
  }
  let parent = path.dirname(outdir);
  for (; parent !== path.dirname(parent); parent = path.dirname(parent)) {
    const stat = existing(parent);
    if (typeof stat === "string") refuse(`cannot be created: ${parent} cannot be examined (${stat})`);
    else if (stat && !stat.isDirectory()) refuse(`cannot be created: ${parent} is a file, not a directory`);
    if (stat) break;
  }
  const problem = outdirProblem(outdir) ?? generationsProblem(`${outdir}.gen`);
  if (problem) refuse(problem);
  // The generations and the link are made beside the output directory.
  const cannotWrite = unwritable(parent);
  if (cannotWrite) refuse(`${parent} ${cannotWrite}, so synth cannot write there; choose a directory on a writable filesystem`);
}

/**
 * The path with its links resolved, where it exists: what two spellings of one directory share. A
 * path that does not exist can neither be nor hold a guarded directory, which exists.
 */
function realish(file: string): string {
  try {
    return fs.realpathSync(file);
  } catch {
    return path.resolve(file);
  }
}

/** Why an existing `outdir` is not synth's to replace, or undefined. */
function outdirProblem(outdir: string): string | undefined {
  const stat = fs.lstatSync(outdir, { throwIfNoEntry: false });
  if (!stat) return undefined;
  if (stat.isSymbolicLink()) {
    const target = path.resolve(path.dirname(outdir), fs.readlinkSync(outdir));
    return path.dirname(target) === `${outdir}.gen` ? undefined : `is a link to ${target}, which synth did not make; remove the link or choose another output directory`;
  }
  if (!stat.isDirectory()) return "is a file; choose another output directory";
  // Listed by name: libuv sorts what readdir returns.
  const entries = fs.readdirSync(outdir);
  if (!entries.length || isManifest(path.join(outdir, "manifest.json"))) return undefined;
  return `holds files synth did not write (${list(entries)}) and no synth manifest; give an empty or new directory, or an earlier output of synth`;
}

/** Whether `file` is a cdktf manifest: what an older synth left in its output directory. */
function isManifest(file: string): boolean {
  try {
    // What is not shaped as a manifest throws on the way (no stacks, a null), which answers false too.
    const manifest = JSON.parse(fs.readFileSync(file, "utf8"));
    const stacks = Object.values<{ synthesizedStackPath: unknown }>(manifest.stacks);
    return typeof manifest.version === "string" && stacks.length > 0 && stacks.every((s) => typeof s.synthesizedStackPath === "string");
  } catch {
    return false;
  }
}

/** Why an existing `<outdir>.gen` is not synth's, or undefined. */
function generationsProblem(generations: string): string | undefined {
  const stat = fs.lstatSync(generations, { throwIfNoEntry: false });
  if (!stat) return undefined;
  if (!stat.isDirectory()) return `${generations}, where synth keeps its generations, is a file; move it or choose another output directory`;
  const entries = fs.readdirSync(generations);
  if (entries.includes(MARKER)) return undefined;
  const foreign = entries.filter((entry) => !OWN_ENTRY.test(entry));
  return foreign.length ? `${generations}, where synth keeps its generations, holds files synth did not write (${list(foreign)}); move them or choose another output directory` : undefined;
}

/**
 * The stat of a path; undefined where it or a parent does not exist (or a parent is a file); the
 * error's code where it cannot be examined (a link loop, no permission).
 */
function existing(file: string): fs.Stats | string | undefined {
  try {
    return fs.statSync(file);
  } catch (error) {
    const code = String((error as NodeJS.ErrnoException).code);
    return ["ENOENT", "ENOTDIR"].includes(code) ? undefined : code;
  }
}

/** A new, empty generation directory for one synth. */
export function newGeneration(outdir: string): string {
  const generations = `${outdir}.gen`;
  fs.mkdirSync(generations, { recursive: true });
  fs.writeFileSync(path.join(generations, MARKER), "Generations of the synthesized output beside this directory (output/publish.ts).\n");
  return fs.mkdtempSync(path.join(generations, "g-"));
}

/** Makes `generation` the output: carries over what the current output holds, then one rename. */
export function publish(generation: string, outdir: string): void {
  const generations = path.dirname(generation);
  // Checked again: the output may have changed since the synth began.
  const problem = outdirProblem(outdir);
  if (problem) throw new Error(`output directory ${outdir}: ${problem}`);
  const stat = fs.lstatSync(outdir, { throwIfNoEntry: false });
  const current = stat?.isSymbolicLink() ? resolveLink(outdir) : stat?.isDirectory() ? outdir : undefined;
  if (current) carry(current, generation);
  if (stat?.isDirectory()) {
    // A real directory a link cannot replace in one rename: this is the only switch that is not a
    // single step. An empty one goes; an older synth's output moves aside once (carried above).
    try {
      if (fs.readdirSync(outdir).length) fs.renameSync(outdir, path.join(generations, `before-generations-${process.pid}`));
      else fs.rmdirSync(outdir);
    } catch (error) {
      // A concurrent synth switched it first.
      if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
    }
  }
  const link = path.join(generations, `link-${process.pid}`);
  fs.rmSync(link, { force: true });
  fs.symlinkSync(path.relative(path.dirname(outdir), generation), link);
  fs.renameSync(link, outdir);
  prune(generations, generation);
}

/** Removes a generation that will not be published (a failed or interrupted synth). */
export function discard(generation: string): void {
  fs.rmSync(generation, { recursive: true, force: true });
}

function resolveLink(link: string): string | undefined {
  try {
    return fs.realpathSync(link);
  } catch {
    return undefined; // dangling: its generation was removed by hand
  }
}

/**
 * Links what `from` holds and `to` lacks into `to`, merging directories; new files win. Hard links,
 * not moves: until `<outdir>` is switched, the current generation keeps everything it had, so a
 * synth killed between carrying and switching leaves the old output whole (a move lost .terraform/
 * to the unpublished generation then). Generations are siblings, so on one filesystem.
 */
function carry(from: string, to: string): void {
  let entries: string[];
  try {
    entries = fs.readdirSync(from);
  } catch {
    return; // a concurrent synth's prune removed it
  }
  for (const entry of entries) {
    if (SYNTHESIZED.has(entry)) continue;
    const source = path.join(from, entry);
    const target = path.join(to, entry);
    try {
      const stat = fs.lstatSync(source);
      if (stat.isDirectory()) {
        fs.mkdirSync(target, { recursive: true });
        carry(source, target);
        // Stryker disable next-line ConditionalExpression: equivalent on Linux, whose link(2) links a symlink itself; macOS's would follow it
      } else if (stat.isSymbolicLink()) {
        fs.symlinkSync(fs.readlinkSync(source), target);
      } else {
        fs.linkSync(source, target);
      }
    } catch (error) {
      // Gone meanwhile (a concurrent prune), or already there: the new generation's own file or
      // directory wins over a file (mkdir and link refuse to replace), or a concurrent synth linked it first.
      if (!["ENOENT", "EEXIST"].includes((error as NodeJS.ErrnoException).code ?? "")) throw error;
    }
  }
}

/** Deletes generations, leftovers and links of other runs once they are stale; nothing else. */
function prune(generations: string, keep: string): void {
  const now = Date.now();
  for (const entry of fs.readdirSync(generations)) {
    const abs = path.join(generations, entry);
    if (abs === keep || !OWN_ENTRY.test(entry)) continue;
    // Stryker disable next-line ObjectLiteral,BooleanLiteral: only a concurrent prune removes an entry between readdir and lstat
    const stat = fs.lstatSync(abs, { throwIfNoEntry: false });
    // Stryker disable next-line EqualityOperator: ten minutes to the millisecond cannot be observed
    if (stat && now - stat.mtimeMs > STALE_MS) fs.rmSync(abs, { recursive: true, force: true });
  }
}
