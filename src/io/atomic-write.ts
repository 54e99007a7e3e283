// src/io/atomic-write.ts — whole-file writes through a temporary that is renamed over the target;
// temporaries left by killed writers are removed by the next write to the same target.
import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, openSync, readdirSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';

// Note [Temporary names]
// `.<target name>.<writer pid>.<12 hex digits>.tmp`, beside the target: the name says which target
// and which process it belongs to, so a later write can tell a killed writer's leftover (its pid is
// gone) from a concurrent writer's file in progress (its pid is alive), and never touches the
// temporaries of other targets. The random part keeps writers within one process (workers) apart.
const RANDOM_BYTES = 6;

/** A fresh temporary path for writing `target` from process `pid` (Note [Temporary names]). */
export function temporaryPath(target: string, pid: number): string {
  const full = resolve(target);
  return join(dirname(full), `.${basename(full)}.${pid}.${randomBytes(RANDOM_BYTES).toString('hex')}.tmp`);
}

/** The writer pid in `name` when it is one of `target`'s temporaries, else null. */
function temporaryWriter(name: string, target: string): number | null {
  const prefix = `.${basename(target)}.`;
  if (!name.startsWith(prefix)) return null;
  const rest = new RegExp(`^(\\d+)\\.[0-9a-f]{${2 * RANDOM_BYTES}}\\.tmp$`).exec(name.slice(prefix.length));
  return rest === null ? null : Number(rest[1]);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: the process exists but belongs to another user.
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Removes the temporaries of `target` whose writers are no longer running; best effort, never throws. */
export function removeStaleTemporaries(target: string): void {
  const full = resolve(target);
  const dir = dirname(full);
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return;
  }
  for (const name of names) {
    const pid = temporaryWriter(name, full);
    if (pid === null || isAlive(pid)) continue;
    try {
      unlinkSync(join(dir, name));
    } catch {
      // Another writer removed it first, or the directory forbids it: the write itself succeeded.
    }
  }
}

/**
 * Writes `bytes` to `path` atomically: they go to a temporary file in the same directory, which is
 * fsynced and then renamed over `path`, so a crash never leaves a truncated file there.
 */
export function writeFileAtomic(path: string, bytes: Uint8Array): void {
  const target = resolve(path);
  const tmp = temporaryPath(target, process.pid);
  const fd = openSync(tmp, 'wx', 0o644);
  try {
    try {
      for (let done = 0; done < bytes.length; ) done += writeSync(fd, bytes, done, bytes.length - done);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, target);
  } catch (e) {
    try {
      unlinkSync(tmp);
    } catch {
      // Already gone or never created: nothing to clean up.
    }
    throw e;
  }
  removeStaleTemporaries(target);
  syncDirectory(dirname(target));
}

/** fsyncs a directory so the rename itself survives a power loss (not supported on every platform). */
function syncDirectory(dir: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(dir, 'r');
    fsyncSync(fd);
  } catch {
    // Windows cannot open directories; the rename is still atomic there.
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
