/**
 * Writes a set of named files into a folder safely: every name is checked to stay inside the
 * folder and, without `force`, not to exist yet — before anything is written; each file goes to a
 * temporary name in the folder and all are renamed at the end. Any failure or cancellation
 * removes every temporary file (and a figures/ folder it made), so no partial file is left, and
 * becomes one line naming the path and what went wrong.
 */
import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { lstat, mkdir, open, rename, rmdir, stat, unlink } from 'node:fs/promises';
import path from 'node:path';
import { CancelledError } from '../engine/control.js';
import { IoError, ioProblem } from '../store/io-errors.js';
import { checkRelativeName } from './names.js';

export interface NamedContent {
  name: string;
  make(): Promise<Uint8Array> | Uint8Array;
}

export interface SafeWriteOptions {
  force?: boolean;
  signal?: AbortSignal;
  onProgress?(done: number, total: number, what: string): void;
}

/** A report file that exists already (without force). */
export class ReportFileExistsError extends Error {
  constructor(readonly file: string) {
    super(`${file}: already exists; use --force to replace it, or choose another output folder`);
    this.name = 'ReportFileExistsError';
  }
}

const TODO: Record<string, string> = {
  ENOSPC: 'free some space or choose another output folder',
  EDQUOT: 'free some space or choose another output folder',
  EROFS: 'choose a writable output folder',
  EACCES: 'check the permissions of the output folder, or choose another one',
  EPERM: 'check the permissions of the output folder, or choose another one',
  ENOENT: 'create the output folder first, or check the path',
  ENOTDIR: 'the output must be a folder: check the path',
  EISDIR: 'remove or rename that folder',
};

/** The error as one line naming `file`; not-I/O errors unchanged. */
function named(err: unknown, file: string): unknown {
  if (err instanceof IoError || err instanceof ReportFileExistsError) return err;
  const p = ioProblem(err);
  if (p === null) return err;
  return new IoError(file, p.code, p.what, TODO[p.code] ?? p.todo);
}

async function exists(file: string): Promise<'file' | 'dir' | null> {
  try {
    return (await lstat(file)).isDirectory() ? 'dir' : 'file';
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
}

function inside(dir: string, file: string): boolean {
  const rel = path.relative(dir, file);
  return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel);
}

async function writeBytes(file: string, bytes: Uint8Array): Promise<void> {
  // O_EXCL: never follows or replaces anything already there.
  const fh = await open(file, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, 0o644);
  try {
    let off = 0;
    while (off < bytes.length) {
      const { bytesWritten } = await fh.write(bytes, off, bytes.length - off);
      off += bytesWritten;
    }
  } finally {
    await fh.close();
  }
}

/**
 * Checks the names before anything is made: each a plain name inside `outDir` (which must be a
 * folder), no folder in the way, and none there yet unless `force`. Returns the absolute paths
 * and the subfolders (figures/) the names need.
 */
export async function checkTargets(
  outDir: string,
  files: readonly { name: string }[],
  force: boolean,
): Promise<{ finals: string[]; subdirs: Set<string> }> {
  const abs = path.resolve(outDir);
  const show = (name: string): string => path.join(outDir, name);
  try {
    const st = await stat(abs);
    if (!st.isDirectory())
      throw Object.assign(new Error('not a directory'), { code: 'ENOTDIR', path: abs });
  } catch (err) {
    throw named(err, outDir);
  }
  // Every name first: inside the folder, and not there yet (unless force).
  const finals: string[] = [];
  const subdirs = new Set<string>();
  for (const f of files) {
    const final = path.resolve(abs, checkRelativeName(f.name));
    if (!inside(abs, final)) throw new Error(`${show(f.name)}: outside the output folder`);
    finals.push(final);
    if (f.name.includes('/')) subdirs.add(f.name.split('/')[0]);
  }
  for (const sub of subdirs) {
    const kind = await exists(path.join(abs, sub)).catch((err: unknown) => {
      throw named(err, show(sub));
    });
    if (kind === 'file')
      throw new IoError(
        show(sub),
        'ENOTDIR',
        'a file is in the way of the folder',
        'remove or rename it, or choose another output folder',
      );
  }
  for (let i = 0; i < files.length; i++) {
    const kind = await exists(finals[i]).catch((err: unknown) => {
      throw named(err, show(files[i].name));
    });
    if (kind === 'dir')
      throw new IoError(show(files[i].name), 'EISDIR', 'a folder is in the way', TODO.EISDIR);
    if (kind === 'file' && !force) throw new ReportFileExistsError(show(files[i].name));
  }
  return { finals, subdirs };
}

/**
 * Writes the files into `outDir` (which must exist). Returns the absolute paths written, in
 * order. `outDir` is shown as given in error lines.
 */
export async function writeFilesSafely(
  outDir: string,
  files: readonly NamedContent[],
  opts: SafeWriteOptions = {},
): Promise<string[]> {
  const abs = path.resolve(outDir);
  const show = (name: string): string => path.join(outDir, name);
  const { finals, subdirs } = await checkTargets(outDir, files, opts.force === true);

  const tag = `.hclab-report-${process.pid}-${randomBytes(4).toString('hex')}-`;
  const temps: string[] = [];
  const madeDirs: string[] = [];
  const renamed: string[] = [];
  let current = outDir;
  try {
    for (const sub of subdirs) {
      const dir = path.join(abs, sub);
      current = show(sub);
      if ((await exists(dir)) === null) {
        await mkdir(dir);
        madeDirs.push(dir);
      }
    }
    for (let i = 0; i < files.length; i++) {
      if (opts.signal?.aborted) throw new CancelledError();
      const f = files[i];
      current = show(f.name);
      opts.onProgress?.(i, files.length, f.name);
      const bytes = await f.make();
      if (opts.signal?.aborted) throw new CancelledError();
      const temp = path.join(abs, tag + f.name.replace(/\//g, '-'));
      temps.push(temp);
      await writeBytes(temp, bytes);
    }
    opts.onProgress?.(files.length, files.length, 'renaming');
    for (let i = 0; i < files.length; i++) {
      current = show(files[i].name);
      const existed = (await exists(finals[i])) !== null;
      await rename(temps[i], finals[i]);
      if (!existed) renamed.push(finals[i]);
    }
    return finals;
  } catch (err) {
    // Leave nothing behind: temporaries, files this call added, folders it made.
    for (const t of temps) await unlink(t).catch(() => undefined);
    for (const r of renamed) await unlink(r).catch(() => undefined);
    for (const d of madeDirs.reverse()) await rmdir(d).catch(() => undefined);
    throw named(err, current);
  }
}
