/**
 * Read-only opens that leave nothing behind. SQLite needs `-shm` (and keeps `-wal`) beside a WAL
 * database even to read it, which a read-only medium cannot hold and which a read-only open must
 * not leave behind. So when no live writer owns the project, it is read from a private copy
 * (the file and its committed `-wal`, if any) in the temporary folder, removed on close.
 */
import { accessSync, constants, copyFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export interface ReadOnlyCopy {
  path: string;
  dispose(): void;
}

/** Whether new files can be made in the folder of `file` (false on a read-only medium). */
export function folderWritable(file: string): boolean {
  try {
    accessSync(path.dirname(file), constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

/** Why this process may not write `file` itself (EACCES, EPERM, EROFS…), or null when it may. */
export function fileWriteProblem(file: string): string | null {
  try {
    accessSync(file, constants.W_OK);
    return null;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    return typeof code === 'string' ? code : 'EACCES';
  }
}

export function readOnlyCopy(file: string): ReadOnlyCopy {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'hclab-read-'));
  const dispose = () => rmSync(dir, { recursive: true, force: true });
  try {
    const copy = path.join(dir, path.basename(file));
    copyFileSync(file, copy);
    if (existsSync(`${file}-wal`)) copyFileSync(`${file}-wal`, `${copy}-wal`);
    return { path: copy, dispose };
  } catch (err) {
    dispose();
    throw err;
  }
}
