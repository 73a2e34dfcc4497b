// A path the user gave (an argument, an option, an environment variable): resolved against the
// directory they were in when they typed it, and named in every error as they typed it. `npm run`
// runs each script from the project's root and keeps the user's directory in INIT_CWD.
import * as fs from "fs";
import * as path from "path";

export interface UserPath {
  /** As typed, with the option or variable that gave it: `--dir ../x`, `cdktf.out/stacks/x`. */
  readonly label: string;
  /** As typed. */
  readonly given: string;
  /** Absolute. */
  readonly path: string;
}

/** The directory relative paths start from: the user's under `npm run`, else the working directory. */
export function userCwd(): string {
  const init = process.env.INIT_CWD;
  const packageJson = process.env.npm_package_json;
  // npm runs a script in its package's directory; anywhere else these variables were only inherited.
  if (init && packageJson && sameDirectory(path.dirname(packageJson), process.cwd())) return init;
  return process.cwd();
}

function sameDirectory(a: string, b: string): boolean {
  try {
    return fs.realpathSync(a) === fs.realpathSync(b);
  } catch {
    return false;
  }
}

/** A path as the user gave it; `option` names where (`--dir`, `CDKTF_OUTDIR=`), if anywhere. */
export function userPath(given: string, option?: string): UserPath {
  const label = option === undefined ? given : option.endsWith("=") ? `${option}${given}` : `${option} ${given}`;
  if (given.trim() === "") throw new Error(`${option ?? "path"}: is empty; give a path`);
  return { label, given, path: path.resolve(userCwd(), given) };
}

/** A path of the project's own, named relative to the user's directory in messages. */
export function projectPath(absolute: string): UserPath {
  const given = path.relative(userCwd(), absolute) || ".";
  return { label: given, given, path: absolute };
}

/** A path inside one the user gave, named from it. */
export function inside(p: UserPath, ...parts: string[]): UserPath {
  const given = path.join(p.given, ...parts);
  return { label: given, given, path: path.join(p.path, ...parts) };
}

/** `p` if it is a directory; otherwise an error saying what it is instead. */
export function existingDirectory(p: UserPath): UserPath {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(p.path);
  } catch (error) {
    throw new Error(`${p.label}: ${missing(p, error as NodeJS.ErrnoException, "directory")}`);
  }
  if (!stat.isDirectory()) throw new Error(`${p.label}: is a file, not a directory`);
  return p;
}

/** Why `p` cannot be read: missing (with what its parent holds, for a typo), or the system's reason. */
export function missing(p: UserPath, error: NodeJS.ErrnoException, what: "directory" | "file"): string {
  if (error.code === "EACCES") return `cannot be read (permission denied)`;
  if (error.code === "ENOTDIR") return `no such ${what} (a part of the path is a file)`;
  if (error.code !== "ENOENT") return `cannot be read (${error.code ?? error.message})`;
  const parent = path.dirname(p.path);
  const parentGiven = path.dirname(p.given);
  let entries: string[];
  try {
    entries = fs.readdirSync(parent).filter((e) => !e.startsWith(".")).sort();
  } catch {
    return `no such ${what} (nor is there ${parentGiven})`;
  }
  return `no such ${what} (${parentGiven} holds ${entries.length ? list(entries) : "nothing"})`;
}

/** A file a tool writes: its directory must exist and be writable. */
export function outputFile(p: UserPath): UserPath {
  const stat = fs.statSync(p.path, { throwIfNoEntry: false });
  if (stat?.isDirectory()) throw new Error(`${p.label}: is a directory; give a file name`);
  const dir = path.dirname(p.path);
  const problem = unwritable(dir);
  if (problem) throw new Error(`${p.label}: ${path.dirname(p.given)} ${problem}`);
  return p;
}

/** Why files cannot be made in `dir`, or undefined when they can. */
export function unwritable(dir: string): string | undefined {
  try {
    fs.accessSync(dir, fs.constants.W_OK);
    return fs.statSync(dir).isDirectory() ? undefined : "is a file, not a directory";
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "EROFS") return "is on a read-only filesystem";
    if (code === "EACCES" || code === "EPERM") return "is not writable by this user";
    if (code === "ENOENT") return "does not exist";
    if (code === "ENOTDIR") return "is not a directory (a part of it is a file)";
    return `cannot be written (${code})`;
  }
}

/** At most eight names, then how many more. */
export function list(names: string[]): string {
  return names.length > 8 ? `${names.slice(0, 8).join(", ")} and ${names.length - 8} more` : names.join(", ");
}
