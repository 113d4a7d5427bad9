/**
 * A project is one SQLite file (`.hclab`): VMs, experiments, embedded traces, runs, their
 * results and logs. Files are validated before they are opened read-write (a damaged, foreign or
 * newer file is refused and left untouched), migrated forward, and locked against a second
 * writer (`<file>.lock`). Every repository write commits at once (autosave).
 */
import { existsSync, linkSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import type Database from 'better-sqlite3';
import { openDatabase } from './sqlite.js';
import { ApiError } from '../../shared/api/errors.js';
import type { ProjectInfo } from '../../shared/api/entities.js';
import { checkProjectFile } from './file-check.js';
import { asIoError, IoError, ioProblem } from './io-errors.js';
import {
  fileWriteProblem,
  folderWritable,
  readOnlyCopy,
  type ReadOnlyCopy,
} from './read-only-copy.js';
import { acquireLock, lockOwner, type ProjectLock } from './lock.js';
import { checkExistingProjectPath, checkNewProjectPath } from './project-path.js';
import { nowIso } from './json.js';
import {
  ExperimentRepository,
  TraceRepository,
  VmRepository,
  type StoreHandle,
} from './repositories.js';
import { AnalysisRepository } from './analysis-repository.js';
import { RunRepository } from './run-repository.js';
import { LATEST_VERSION, migrate, schemaVersion } from './schema.js';

export interface OpenOptions {
  readOnly?: boolean;
}

function configure(db: Database.Database): void {
  db.pragma('journal_mode = WAL');
  // Results are committed with a full fsync: a power cut or kill never loses a committed step.
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
}

export class ProjectStore implements StoreHandle {
  readonly vms: VmRepository;
  readonly experiments: ExperimentRepository;
  readonly traces: TraceRepository;
  readonly runs: RunRepository;
  readonly analyses: AnalysisRepository;
  private closed = false;
  /** Runs found 'running' or 'queued' when the file was opened (their process is gone). */
  private readonly found: number[];

  /** Device and inode of the file when opened: a vanished or replaced file is noticed. */
  private readonly identity: string | null;
  /** Why a read-write open fell back to read-only (a read-only medium), else null. */
  readOnlyReason: string | null = null;
  /** The errno behind that fallback: EROFS (read-only medium), EACCES/EPERM (permissions). */
  readOnlyCode: string | null = null;

  private constructor(
    readonly path: string,
    readonly readOnly: boolean,
    readonly db: Database.Database,
    private readonly lock: ProjectLock | null,
    private readonly copy: ReadOnlyCopy | null = null,
  ) {
    this.identity = identityOf(path);
    this.vms = new VmRepository(this);
    this.experiments = new ExperimentRepository(this, this.vms);
    this.vms.experiments = this.experiments;
    this.traces = new TraceRepository(this);
    this.runs = new RunRepository(this, this.vms, this.experiments);
    this.analyses = new AnalysisRepository(this);
    this.found = readOnly ? [] : this.runs.markInterrupted();
    if (!readOnly) this.analyses.markInterrupted();
  }

  get schemaVersion(): number {
    return schemaVersion(this.db);
  }

  /** The project's display name: the file name without `.hclab`. */
  get name(): string {
    return path.basename(this.path).replace(/\.hclab$/i, '');
  }

  /**
   * Creates a new project at `file` (refused if the file exists) and opens it. Atomic: the project
   * is built under a temporary name in the same folder (`populate` may add to it) and linked to
   * `file` only when complete, so a failure (a full disk…) leaves nothing behind.
   */
  static create(file: string, populate?: (store: ProjectStore) => void): ProjectStore {
    const abs = path.resolve(file);
    checkNewProjectPath(abs);
    const lock = acquireLockNaming(abs);
    const temp = path.join(path.dirname(abs), `.${path.basename(abs)}.creating-${process.pid}`);
    const removeTemp = () => {
      for (const f of [temp, `${temp}-wal`, `${temp}-shm`, `${temp}-journal`])
        rmSync(f, { force: true });
    };
    try {
      removeTemp();
      let db: Database.Database | null = null;
      try {
        db = openDatabase(temp);
        configure(db);
        migrate(db);
        db.prepare("INSERT OR REPLACE INTO meta (key, value) VALUES ('created_at', ?)").run(
          nowIso(),
        );
        if (populate !== undefined) {
          const building = new ProjectStore(temp, false, db, null);
          populate(building);
        }
        db.pragma('wal_checkpoint(TRUNCATE)');
      } finally {
        db?.close();
      }
      linkSync(temp, abs); // fails if `file` appeared meanwhile: never replaces it
    } catch (err) {
      removeTemp();
      lock.release();
      if ((err as NodeJS.ErrnoException).code === 'EEXIST')
        throw new ApiError('BAD_INPUT', `${abs}: a file with this name already exists`);
      throw asIoError(err, abs);
    }
    removeTemp();
    lock.release();
    return ProjectStore.open(abs);
  }

  /**
   * Opens an existing project. Read-write: validated first, then locked (LOCKED if another
   * instance has it), then migrated. Read-only works while locked and refuses every write.
   */
  static open(file: string, opts: OpenOptions = {}): ProjectStore {
    const abs = path.resolve(file);
    const readOnly = opts.readOnly === true;
    checkExistingProjectPath(abs);
    checkProjectFile(abs);
    if (readOnly) return ProjectStore.openReadOnly(abs);
    const fellBack = (code: string, where: string): ProjectStore => {
      const store = ProjectStore.openReadOnly(abs);
      store.readOnlyReason = `${abs} ${where} (${code}): opened read-only`;
      store.readOnlyCode = code;
      return store;
    };
    // A file this user may not write (its permissions): open read-only and say so, before SQLite
    // would open it read-only by itself and fail at the first write naming no file.
    const fileProblem = fileWriteProblem(abs);
    if (fileProblem === 'EACCES' || fileProblem === 'EPERM')
      return fellBack(fileProblem, 'may not be written by this user');
    let lock: ProjectLock;
    try {
      lock = acquireLock(abs);
    } catch (err) {
      const p = ioProblem(err);
      if (p !== null && (p.code === 'EROFS' || p.code === 'EACCES') && !folderWritable(abs))
        // A read-only medium (or folder): open read-only and say so, rather than fail.
        return fellBack(p.code, 'is on a read-only medium or in a read-only folder');
      throw asIoError(err, `${abs}.lock`);
    }
    let db: Database.Database | null = null;
    try {
      db = openDatabase(abs, { fileMustExist: true });
      configure(db);
      // Another writer may have changed the file between the check and the lock.
      const version = schemaVersion(db);
      if (version > LATEST_VERSION)
        throw new ApiError(
          'NEWER_VERSION',
          `${abs}: written by a newer HCLab (project format version ${version}; this HCLab reads up to ${LATEST_VERSION})`,
        );
      migrate(db);
      return new ProjectStore(abs, false, db, lock);
    } catch (err) {
      db?.close();
      lock.release();
      throw err instanceof ApiError ? err : asIoError(err, abs);
    }
  }

  /**
   * Read-only open. With a live writer the file is read in place (its -wal/-shm are the
   * writer's); otherwise from a private copy, so nothing is left beside the project and a
   * read-only medium works.
   */
  private static openReadOnly(abs: string): ProjectStore {
    if (lockOwner(abs) !== null && folderWritable(abs)) {
      const db = openDatabase(abs, { readonly: true, fileMustExist: true });
      db.pragma('busy_timeout = 5000');
      return new ProjectStore(abs, true, db, null);
    }
    const copy = readOnlyCopy(abs);
    try {
      const db = openDatabase(copy.path, { readonly: true, fileMustExist: true });
      return new ProjectStore(abs, true, db, null, copy);
    } catch (err) {
      copy.dispose();
      throw err;
    }
  }

  /**
   * Throws an {@link IoError} when the project file is no longer where it was opened (its folder
   * was removed or renamed, or the file replaced): what was written since is lost.
   */
  assertStillThere(): void {
    if (this.identity === null || this.copy !== null) return;
    if (identityOf(this.path) !== this.identity)
      throw new IoError(
        this.path,
        'ENOENT',
        'the project file vanished while it was open (its folder was removed, renamed or replaced)',
        'the results written since are lost: restore the folder and run again',
      );
  }

  assertWritable(): void {
    if (this.closed) throw new ApiError('NO_PROJECT', `${this.path}: the project is closed`);
    if (this.readOnly)
      throw new ApiError('READ_ONLY', `${this.path} was opened read-only; changes cannot be saved`);
  }

  get isOpen(): boolean {
    return !this.closed;
  }

  /** Runs that were left unfinished by a process that stopped (resumable). */
  interruptedRuns(): number[] {
    const ids = this.runs.interrupted();
    // Read-only, the file is not changed: runs left running with no live owner are interrupted too.
    if (this.readOnly && lockOwner(this.path) === null) ids.push(...this.runs.unfinished());
    return ids.sort((a, b) => a - b);
  }

  info(): ProjectInfo {
    return {
      path: this.path,
      name: this.name,
      readOnly: this.readOnly,
      schemaVersion: this.schemaVersion,
      interruptedRuns: this.interruptedRuns(),
    };
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    try {
      this.db.close();
    } finally {
      this.copy?.dispose();
      this.lock?.release();
    }
  }

  /**
   * Copies the project to `file` (a consistent snapshot via VACUUM INTO), closes this one and
   * returns the copy opened read-write.
   */
  saveAs(file: string, opts: { overwrite?: boolean } = {}): ProjectStore {
    if (this.closed) throw new ApiError('NO_PROJECT', `${this.path}: the project is closed`);
    const abs = path.resolve(file);
    if (abs === this.path) return this;
    checkNewProjectPath(abs, { replace: true });
    if (existsSync(abs)) {
      if (opts.overwrite !== true)
        throw new ApiError(
          'BAD_INPUT',
          `${abs}: a file with this name already exists; it is never replaced (overwrite: true replaces an HCLab project only)`,
        );
      // Only an HCLab project may be replaced (CORRUPT/NEWER_VERSION otherwise, file untouched).
      checkProjectFile(abs);
    }
    const lock = acquireLockNaming(abs);
    try {
      for (const f of [abs, `${abs}-wal`, `${abs}-shm`, `${abs}-journal`])
        rmSync(f, { force: true });
      this.db.prepare('VACUUM INTO ?').run(abs);
    } catch (err) {
      lock.release();
      if (err instanceof ApiError) throw err;
      throw new ApiError(
        'BAD_INPUT',
        `${abs}: cannot save the project there (${(err as Error).message})`,
      );
    }
    lock.release();
    this.close();
    return ProjectStore.open(abs);
  }

  /** Ids of runs this open found unfinished (and marked 'interrupted'). */
  get interruptedAtOpen(): readonly number[] {
    return this.found;
  }
}

function identityOf(file: string): string | null {
  try {
    const st = statSync(file);
    return `${st.dev}:${st.ino}`;
  } catch {
    return null;
  }
}

/** {@link acquireLock}, with I/O errors (EISDIR, EROFS…) naming the lock file. */
function acquireLockNaming(file: string): ProjectLock {
  try {
    return acquireLock(file);
  } catch (err) {
    throw asIoError(err, `${file}.lock`);
  }
}
