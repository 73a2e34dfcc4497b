import * as fs from "fs";
import * as path from "path";

/**
 * The synthesized output switches from old to new in one step. Each synth writes a complete tree
 * into its own generation directory `<outdir>.gen/<id>/`; `<outdir>` is a symlink to the current
 * one, replaced by a single rename once the new tree is complete. A killed or failed synth leaves
 * the previous output untouched, and two synths at once each publish a complete tree.
 *
 * What `cdktf deploy` and people keep in the output (`.terraform`, lock files, plans, verify's
 * work) is carried into the new generation (hard-linked), so synthesizing again loses nothing.
 */

/** Files synth writes: regenerated each time, so never carried from one generation to the next. */
const SYNTHESIZED = new Set(["manifest.json", "cdk.tf.json", "cdk.tf"]);
/** Generations no run can still be writing or reading. */
const STALE_MS = 10 * 60 * 1000;

/** Refuses an output path that is a file or lies under one, naming the path as the user gave it. */
export function checkOutdir(outdir: string, given = outdir): void {
  for (let dir = path.dirname(outdir); dir !== path.dirname(dir); dir = path.dirname(dir)) {
    const parent = existing(dir);
    if (parent && !parent.isDirectory()) throw new Error(`output directory ${given}: cannot be created: ${dir} is a file, not a directory`);
    if (parent) break;
  }
  const stat = fs.lstatSync(outdir, { throwIfNoEntry: false });
  if (stat && !stat.isDirectory() && !stat.isSymbolicLink()) throw new Error(`output directory ${given}: is a file; choose another output directory`);
}

/** The stat of a path, or undefined where it or a parent does not exist (or a parent is a file). */
function existing(file: string): fs.Stats | undefined {
  try {
    return fs.statSync(file);
  } catch (error) {
    if (["ENOENT", "ENOTDIR"].includes((error as NodeJS.ErrnoException).code ?? "")) return undefined;
    throw error;
  }
}

/** A new, empty generation directory for one synth. */
export function newGeneration(outdir: string): string {
  const generations = `${outdir}.gen`;
  fs.mkdirSync(generations, { recursive: true });
  return fs.mkdtempSync(path.join(generations, "g-"));
}

/** Makes `generation` the output: carries over what the current output holds, then one rename. */
export function publish(generation: string, outdir: string): void {
  const generations = path.dirname(generation);
  const stat = fs.lstatSync(outdir, { throwIfNoEntry: false });
  const current = stat?.isSymbolicLink() ? resolveLink(outdir) : stat?.isDirectory() ? outdir : undefined;
  if (current) carry(current, generation);
  if (stat?.isDirectory()) {
    // An output from before generations: a real directory a link cannot replace in one rename.
    // It moves aside once; this is the only switch that is not a single step.
    fs.renameSync(outdir, path.join(generations, `before-generations-${process.pid}`));
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
    const stat = fs.lstatSync(source, { throwIfNoEntry: false });
    const existing = fs.lstatSync(target, { throwIfNoEntry: false });
    if (!stat || (existing && !(existing.isDirectory() && stat.isDirectory()))) continue;
    try {
      if (stat.isDirectory()) {
        fs.mkdirSync(target, { recursive: true });
        carry(source, target);
      } else if (stat.isSymbolicLink()) {
        fs.symlinkSync(fs.readlinkSync(source), target);
      } else {
        fs.linkSync(source, target);
      }
    } catch (error) {
      // Gone meanwhile, or linked by a concurrent synth first.
      if (!["ENOENT", "EEXIST"].includes((error as NodeJS.ErrnoException).code ?? "")) throw error;
    }
  }
}

/** Deletes generations, leftovers and links of other runs once they are stale. */
function prune(generations: string, keep: string): void {
  const now = Date.now();
  for (const entry of fs.readdirSync(generations)) {
    const abs = path.join(generations, entry);
    if (abs === keep) continue;
    const stat = fs.lstatSync(abs, { throwIfNoEntry: false });
    if (stat && now - stat.mtimeMs > STALE_MS) fs.rmSync(abs, { recursive: true, force: true });
  }
}
