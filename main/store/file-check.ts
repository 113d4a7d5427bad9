/**
 * Checks that a file is an HCLab project BEFORE it is opened read-write, so a damaged, foreign or
 * newer file is refused with a clear error and left byte-identical (no -wal/-shm files either).
 */
import { closeSync, existsSync, openSync, readSync, rmSync, statSync } from 'node:fs';
import type Database from 'better-sqlite3';
import { asIoError, IoError } from './io-errors.js';
import { folderWritable, readOnlyCopy } from './read-only-copy.js';
import { openDatabase } from './sqlite.js';
import { ApiError } from '../../shared/api/errors.js';
import { APPLICATION_ID, LATEST_VERSION, REQUIRED_TABLES } from './schema.js';

const MAGIC = 'SQLite format 3\0';
const HEADER_BYTES = 100;

export interface FileCheck {
  version: number;
}

function corrupt(file: string, what: string): ApiError {
  return new ApiError('CORRUPT', `${file}: ${what}; the file was left untouched`);
}

function readHeader(file: string): Buffer {
  const fd = openSync(file, 'r');
  try {
    const header = Buffer.alloc(HEADER_BYTES);
    readSync(fd, header, 0, HEADER_BYTES, 0);
    return header;
  } finally {
    closeSync(fd);
  }
}

/** Validates the file at `file`; throws ApiError NOT_FOUND, CORRUPT or NEWER_VERSION. */
export function checkProjectFile(file: string): FileCheck {
  let size: number;
  try {
    const st = statSync(file);
    if (!st.isFile()) throw corrupt(file, 'not a regular file');
    size = st.size;
  } catch (err) {
    if (err instanceof ApiError) throw err;
    if ((err as NodeJS.ErrnoException).code === 'ENOENT')
      throw new ApiError('NOT_FOUND', `${file}: no such file`);
    throw new ApiError('CORRUPT', `${file}: cannot be read (${(err as Error).message})`);
  }
  if (size === 0) throw corrupt(file, 'the file is empty, not an HCLab project');
  const header = readHeader(file);
  if (size < HEADER_BYTES || header.toString('latin1', 0, 16) !== MAGIC) {
    const text = /^[\t\n\r\x20-\x7e]*$/.test(header.toString('latin1', 0, Math.min(size, 64)));
    throw corrupt(
      file,
      size < HEADER_BYTES && header.toString('latin1', 0, 16) === MAGIC
        ? `truncated SQLite file (${size} bytes, shorter than its 100-byte header)`
        : `not an HCLab project: not a SQLite database (${text ? 'a text file' : 'unknown binary content'})`,
    );
  }
  const rawPageSize = header.readUInt16BE(16);
  const pageSize = rawPageSize === 1 ? 65536 : rawPageSize;
  if (pageSize < 512 || (pageSize & (pageSize - 1)) !== 0)
    throw corrupt(file, `damaged SQLite header (page size ${rawPageSize})`);
  if (size % pageSize !== 0)
    throw corrupt(
      file,
      `truncated or damaged: its size (${size} bytes) is not a multiple of its page size (${pageSize})`,
    );
  const walExists = existsSync(`${file}-wal`);
  // The in-header page count is valid when the "version-valid-for" field matches the change
  // counter; without a WAL holding newer pages the file must hold all of them.
  const pageCount = header.readUInt32BE(28);
  if (
    !walExists &&
    header.readUInt32BE(92) === header.readUInt32BE(24) &&
    pageCount * pageSize > size
  )
    throw corrupt(
      file,
      `truncated: its header says ${pageCount} pages of ${pageSize} bytes but the file has ${size} bytes`,
    );
  return inspectDatabase(file);
}

/**
 * Opens read-only, runs quick_check and reads the version; removes any -wal/-shm it created. On a
 * read-only medium (where SQLite cannot make the -shm it needs) a private copy is inspected.
 */
function inspectDatabase(file: string): FileCheck {
  if (folderWritable(file)) return inspectOpen(file, file);
  const copy = readOnlyCopy(file);
  try {
    return inspectOpen(copy.path, file);
  } finally {
    copy.dispose();
  }
}

/** {@link inspectDatabase} of `file`, reported as `shown`. */
function inspectOpen(file: string, shown: string): FileCheck {
  const sidecars = [`${file}-wal`, `${file}-shm`, `${file}-journal`].filter((f) => !existsSync(f));
  let db: Database.Database | null = null;
  try {
    try {
      db = openDatabase(file, { readonly: true, fileMustExist: true });
      const check = db.pragma('quick_check', { simple: true }) as string;
      if (check !== 'ok') throw corrupt(shown, `damaged SQLite database (${check})`);
    } catch (err) {
      if (err instanceof ApiError) throw err;
      // A full disk or a permission problem is not damage: say what it is.
      const io = asIoError(err, shown);
      if (io instanceof IoError && ['ENOSPC', 'EACCES', 'EROFS'].includes(io.code)) throw io;
      throw corrupt(shown, `damaged SQLite database (${(err as Error).message})`);
    }
    const version = db.pragma('user_version', { simple: true }) as number;
    const appId = db.pragma('application_id', { simple: true }) as number;
    const tables = new Set(
      (
        db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as {
          name: string;
        }[]
      ).map((r) => r.name),
    );
    if (appId !== APPLICATION_ID) {
      throw corrupt(
        file,
        appId === 0
          ? 'a SQLite database but not an HCLab project (no HCLab application id)'
          : `a SQLite database of another application (application id 0x${appId.toString(16)}), not an HCLab project`,
      );
    }
    if (version > LATEST_VERSION)
      throw new ApiError(
        'NEWER_VERSION',
        `${shown}: written by a newer HCLab (project format version ${version}; this HCLab reads up to ${LATEST_VERSION}). Update HCLab to open it; the file was left untouched.`,
      );
    if (version < 1) throw corrupt(shown, 'an HCLab project file with no schema (version 0)');
    const missing = REQUIRED_TABLES.filter((t) => !tables.has(t));
    if (missing.length > 0)
      throw corrupt(shown, `damaged HCLab project: missing table(s) ${missing.join(', ')}`);
    return { version };
  } finally {
    db?.close();
    for (const f of sidecars) rmSync(f, { force: true });
  }
}
