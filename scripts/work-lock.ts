// One run at a time in a work directory (a stack directory drift plans in or restore-state pushes
// from, verify's cdktf.out.verify): a second run refuses at once, naming the first. The lock is a
// file holding its owner's process; a run killed outright leaves the file, and the next run, finding
// that process gone, takes the lock over. Released when the owner exits.
import * as fs from "fs";
import * as path from "path";

export const LOCK_FILE = ".redis-net.lock";

interface Owner {
  readonly pid: number;
  /** The process's start time (Linux), so that a reused process ID is not taken for the owner. */
  readonly started?: string;
  readonly command: string;
  readonly since: string;
}

/**
 * Claims `dir` (named `label` in messages) for this process until it exits; throws, naming the
 * run that holds it, when another live one does.
 */
export function claimDirectory(dir: string, label: string): void {
  const file = path.join(dir, LOCK_FILE);
  const me: Owner = { pid: process.pid, started: startTime(process.pid), command: commandLine(), since: new Date().toISOString() };
  const text = JSON.stringify(me);
  for (let attempt = 0; ; attempt++) {
    if (create(file, text)) break;
    const found = read(file);
    if (found === undefined) continue; // released meanwhile
    const owner = parse(found);
    if (!owner) {
      // Being written (a claim is created, then written), or left half-written by a killed run.
      if (attempt < 20) {
        pause(50);
        continue;
      }
    } else if (alive(owner)) {
      throw new Error(`${label}: in use by another run (pid ${owner.pid}, since ${owner.since}: ${owner.command}); wait for it to end`);
    }
    removeStale(file, found);
  }
  process.once("exit", () => {
    if (read(file) === text) fs.rmSync(file, { force: true });
  });
}

/** Creates `file` holding `text` unless it exists. */
function create(file: string, text: string): boolean {
  try {
    fs.writeFileSync(file, text, { flag: "wx" });
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") return false;
    throw new Error(`${path.dirname(file)}: cannot hold a lock file (${(error as NodeJS.ErrnoException).code})`);
  }
}

/**
 * Removes a dead run's lock. Under a second lock: two runs that both found it stale could
 * otherwise each remove it, the later one removing the lock the earlier had just made.
 */
function removeStale(file: string, stale: string): void {
  const breaker = `${file}.break`;
  if (!create(breaker, String(process.pid))) {
    const holder = Number(read(breaker));
    // A breaker killed within these few lines leaves its lock; its process tells.
    if (!holder || !alive({ pid: holder })) fs.rmSync(breaker, { force: true });
    else pause(20);
    return;
  }
  try {
    if (read(file) === stale) fs.rmSync(file, { force: true });
  } finally {
    fs.rmSync(breaker, { force: true });
  }
}

function read(file: string): string | undefined {
  try {
    return fs.readFileSync(file, "utf8");
  } catch {
    return undefined;
  }
}

function parse(text: string): Owner | undefined {
  try {
    const owner = JSON.parse(text);
    return Number.isInteger(owner?.pid) ? owner : undefined;
  } catch {
    return undefined;
  }
}

function alive(owner: Pick<Owner, "pid" | "started">): boolean {
  return running(owner.pid) && (owner.started === undefined || startTime(owner.pid) === owner.started);
}

/** Whether a process with this ID exists (ours or not). */
export function running(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code !== "ESRCH";
  }
}

/** Field 22 of /proc/<pid>/stat (after the parenthesised command, which may hold spaces). */
function startTime(pid: number): string | undefined {
  try {
    return fs.readFileSync(`/proc/${pid}/stat`, "utf8").replace(/^.*\) /s, "").split(" ")[19];
  } catch {
    return undefined;
  }
}

/** The tool and its arguments (scripts/run.js <tool> ...). */
function commandLine(): string {
  return process.argv.slice(2).join(" ");
}

function pause(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}
