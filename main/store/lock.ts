/**
 * One writer per project: `<file>.lock` holds the owner's pid and hostname. A lock whose pid is
 * no longer alive on this host is stale (the owner crashed or was killed) and is taken over.
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { ApiError } from '../../shared/api/errors.js';

export interface LockOwner {
  pid: number;
  hostname: string;
  since: string;
}

export function lockPath(file: string): string {
  return `${file}.lock`;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readOwner(path: string): LockOwner | null | 'missing' {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return 'missing';
    throw err;
  }
  try {
    const o = JSON.parse(text) as Partial<LockOwner>;
    if (typeof o.pid === 'number' && typeof o.hostname === 'string')
      return { pid: o.pid, hostname: o.hostname, since: String(o.since ?? '') };
  } catch {
    // An unreadable lock (its writer died while writing it) is stale.
  }
  return null;
}

/** The live owner of the project's lock, or null when it is free or stale. */
export function lockOwner(file: string): LockOwner | null {
  const o = readOwner(lockPath(file));
  if (o === 'missing' || o === null) return null;
  if (o.hostname === os.hostname() && !isAlive(o.pid)) return null;
  return o;
}

/** A held lock; `release()` removes the lock file if it is still ours. */
export interface ProjectLock {
  readonly path: string;
  release(): void;
}

/** Takes the lock of `file` or throws ApiError LOCKED naming the owner. */
export function acquireLock(file: string): ProjectLock {
  const path = lockPath(file);
  const me: LockOwner = {
    pid: process.pid,
    hostname: os.hostname(),
    since: new Date().toISOString(),
  };
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      writeFileSync(path, JSON.stringify(me), { flag: 'wx' });
      return {
        path,
        release() {
          const o = readOwner(path);
          if (o !== 'missing' && o !== null && o.pid === me.pid && o.hostname === me.hostname)
            rmSync(path, { force: true });
        },
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') {
        // Created but not written (a full disk): an empty lock must not be left behind.
        rmSync(path, { force: true });
        throw err;
      }
    }
    const o = readOwner(path);
    if (o === 'missing') continue;
    if (o !== null && (o.hostname !== os.hostname() || isAlive(o.pid)))
      throw new ApiError(
        'LOCKED',
        `${file} is open in another HCLab instance (pid ${o.pid} on ${o.hostname} since ${o.since}); open it read-only instead`,
      );
    // Stale: its owner is gone. Take it over.
    rmSync(path, { force: true });
  }
  throw new ApiError('LOCKED', `${file}: could not take the project lock ${path}`);
}
