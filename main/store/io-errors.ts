/**
 * I/O errors as one line naming the file and what to do: errno codes from Node (ENOSPC, EROFS,
 * EIO, EACCES, EISDIR, ENOENT…) and SQLite's result codes (SQLITE_FULL, SQLITE_IOERR_*,
 * SQLITE_READONLY_*, SQLITE_CANTOPEN), which name no file, so the caller supplies it.
 */
import { statfsSync } from 'node:fs';
import path from 'node:path';

interface Problem {
  code: string;
  what: string;
  todo: string;
}

const ERRNO: Record<string, Omit<Problem, 'code'>> = {
  ENOSPC: { what: 'no space left on the device', todo: 'free some space and try again' },
  EDQUOT: { what: 'disk quota exceeded', todo: 'free some space and try again' },
  EFBIG: { what: 'file too large for the file system', todo: 'use another file system' },
  EROFS: {
    what: 'the file system is read-only',
    todo: 'copy the project to a writable folder, or open it read-only',
  },
  EIO: {
    what: 'input/output error from the device',
    todo: 'check the disk and copy the project to another one',
  },
  EACCES: { what: 'permission denied', todo: 'check the permissions of the file and its folder' },
  EPERM: {
    what: 'operation not permitted',
    todo: 'check the permissions of the file and its folder',
  },
  EISDIR: { what: 'a folder is in the way', todo: 'remove or rename that folder' },
  ENOTDIR: { what: 'a part of the path is not a folder', todo: 'check the path' },
  ENOENT: {
    what: 'no such file or folder',
    todo: 'check the path (was the folder removed or renamed?)',
  },
  EMFILE: { what: 'too many open files', todo: 'raise the open-file limit (ulimit -n)' },
};

/** SQLite result codes (better-sqlite3's `code`) as the errno they stand for. */
function errnoOfSqlite(code: string): string | null {
  if (code === 'SQLITE_FULL') return 'ENOSPC';
  if (code === 'SQLITE_READONLY' || code.startsWith('SQLITE_READONLY_')) return 'EROFS';
  if (code === 'SQLITE_PERM' || code === 'SQLITE_AUTH') return 'EACCES';
  if (code === 'SQLITE_CANTOPEN' || code.startsWith('SQLITE_CANTOPEN_')) return 'EACCES';
  if (code === 'SQLITE_IOERR_NOMEM') return null;
  if (code === 'SQLITE_IOERR' || code.startsWith('SQLITE_IOERR_')) return 'EIO';
  return null;
}

/** The I/O problem behind an error, or null when it is not one. */
export function ioProblem(err: unknown): Problem | null {
  if (!(err instanceof Error)) return null;
  const raw = (err as NodeJS.ErrnoException).code;
  if (typeof raw !== 'string') return null;
  const code = raw.startsWith('SQLITE_') ? errnoOfSqlite(raw) : raw;
  if (code === null) return null;
  const p = ERRNO[code];
  return p === undefined ? null : { code, ...p };
}

/** An I/O error as one line: `FILE: what (CODE); what to do`. */
export class IoError extends Error {
  constructor(
    readonly file: string,
    readonly code: string,
    what: string,
    todo: string,
  ) {
    super(`${file}: ${what} (${code}); ${todo}`);
    this.name = 'IoError';
  }
}

/**
 * The error as an {@link IoError} naming its own path (Node errors carry one) or else `file`;
 * other errors are returned unchanged.
 */
export function asIoError(err: unknown, file: string): unknown {
  if (err instanceof IoError) return err;
  let p = ioProblem(err);
  if (p === null) return err;
  const own = (err as NodeJS.ErrnoException).path;
  const named = typeof own === 'string' ? own : file;
  // SQLite reports a write that failed for lack of space as a generic I/O error.
  if (p.code === 'EIO' && nearlyFull(named)) p = { code: 'ENOSPC', ...ERRNO.ENOSPC };
  return new IoError(named, p.code, p.what, p.todo);
}

/** Whether the file system holding `file` has less than 1 MiB free. */
function nearlyFull(file: string): boolean {
  try {
    const st = statfsSync(path.dirname(file));
    return st.bavail * st.bsize < 2 ** 20;
  } catch {
    return false;
  }
}

/** Runs `job`, turning I/O errors into {@link IoError}s naming `file`. */
export async function namingFile<T>(file: string, job: () => Promise<T> | T): Promise<T> {
  try {
    return await job();
  } catch (err) {
    throw asIoError(err, file);
  }
}
