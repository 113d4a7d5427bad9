/**
 * Checks of a project path before anything is created, locked or opened there, so that each
 * mistake gets its own message: a name of only spaces, a folder given where a file is meant, a
 * folder that does not exist, an existing file where a new project was asked for.
 */
import { statSync, type Stats } from 'node:fs';
import path from 'node:path';
import { ApiError } from '../../shared/api/errors.js';

function stat(p: string): Stats | null {
  try {
    return statSync(p);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new ApiError('BAD_INPUT', `${p}: cannot be read (${(err as Error).message})`);
  }
}

/** The project's name: the file name without `.hclab`. */
function projectName(abs: string): string {
  return path.basename(abs).replace(/\.hclab$/i, '');
}

/** The folder that should hold `abs` exists and is a folder (NOT_FOUND / BAD_INPUT otherwise). */
function checkFolder(abs: string): void {
  const dir = path.dirname(abs);
  const st = stat(dir);
  if (st === null)
    throw new ApiError(
      'NOT_FOUND',
      `${dir}: no such folder (create it first, or choose an existing folder for ${path.basename(abs)})`,
    );
  if (!st.isDirectory())
    throw new ApiError(
      'BAD_INPUT',
      `${dir}: not a folder, so ${path.basename(abs)} cannot go in it`,
    );
}

function folderGiven(abs: string): ApiError {
  return new ApiError(
    'BAD_INPUT',
    `${abs} is a folder: give the project's file name inside it, e.g. ${path.join(abs, 'study.hclab')}`,
  );
}

/**
 * Checks `abs` (absolute) as the path of a new project file. `replace`: an existing file there
 * may be replaced (save as); otherwise it is refused.
 */
export function checkNewProjectPath(abs: string, opts: { replace?: boolean } = {}): void {
  if (projectName(abs).trim() === '')
    throw new ApiError(
      'BAD_INPUT',
      `${abs}: the project name is empty or only spaces; give a file name such as study.hclab`,
    );
  const st = stat(abs);
  if (st?.isDirectory()) throw folderGiven(abs);
  if (st !== null && opts.replace !== true)
    throw new ApiError(
      'BAD_INPUT',
      `${abs}: a file with this name already exists (open it, or choose another name)`,
    );
  if (st !== null && !st.isFile())
    throw new ApiError('BAD_INPUT', `${abs}: exists and is not a regular file`);
  checkFolder(abs);
}

/** Checks `abs` (absolute) as the path of an existing project before it is opened. */
export function checkExistingProjectPath(abs: string): void {
  const st = stat(abs);
  if (st?.isDirectory()) throw folderGiven(abs);
  if (st === null) {
    checkFolder(abs);
    throw new ApiError('NOT_FOUND', `${abs}: no such file`);
  }
}

/**
 * A project path as the caller gave it, made absolute. Relative paths are resolved against
 * `cwd`, or refused (BAD_INPUT with the reason) when `refuseRelative` says why they cannot be.
 */
export function absoluteProjectPath(
  given: string,
  opts: { cwd?: string; refuseRelative?: string } = {},
): string {
  if (path.isAbsolute(given)) return path.resolve(given);
  if (opts.refuseRelative !== undefined)
    throw new ApiError(
      'BAD_INPUT',
      `'${given}' is a relative path: ${opts.refuseRelative}; give an absolute path such as ${path.join(opts.cwd ?? process.cwd(), given.trim() === '' ? 'study.hclab' : given)}`,
    );
  return path.resolve(opts.cwd ?? process.cwd(), given);
}
