/**
 * The project file's schema and its forward migrations. `PRAGMA user_version` holds the number
 * of migrations applied; each migration runs in its own transaction together with the version
 * bump, so a file is always at exactly one version. Add a migration by appending to
 * {@link MIGRATIONS}; never edit one that has shipped.
 */
import type Database from 'better-sqlite3';

/** `PRAGMA application_id` of HCLab projects: "HCLB". */
export const APPLICATION_ID = 0x48434c42;

export interface Migration {
  /** The version the file is at after this migration. */
  version: number;
  description: string;
  up: (db: Database.Database) => void;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    description: 'VMs, experiments, embedded traces, runs, per-step results and run log',
    up(db) {
      db.exec(`
        CREATE TABLE IF NOT EXISTS meta (
          key TEXT PRIMARY KEY,
          value TEXT NOT NULL
        );
        CREATE TABLE IF NOT EXISTS vms (
          id INTEGER PRIMARY KEY AUTOINCREMENT,
          name TEXT NOT NULL UNIQUE,
          spec TEXT NOT NULL,
          updated_at TEXT NOT NULL
        );
        CREATE TABLE IF NOT EXISTS experiments (
          id INTEGER PRIMARY KEY AUTOINCREMENT,
          name TEXT NOT NULL UNIQUE,
          config TEXT NOT NULL,
          updated_at TEXT NOT NULL
        );
        CREATE TABLE IF NOT EXISTS traces (
          id INTEGER PRIMARY KEY AUTOINCREMENT,
          file_name TEXT NOT NULL,
          options TEXT NOT NULL,
          bytes BLOB NOT NULL,
          created_at TEXT NOT NULL
        );
        CREATE TABLE IF NOT EXISTS runs (
          id INTEGER PRIMARY KEY AUTOINCREMENT,
          experiment_id INTEGER REFERENCES experiments(id) ON DELETE SET NULL,
          experiment_name TEXT NOT NULL,
          experiment TEXT NOT NULL,
          vms TEXT NOT NULL,
          state TEXT NOT NULL,
          steps_total INTEGER NOT NULL,
          created_at TEXT NOT NULL,
          finished_at TEXT,
          error TEXT
        );
        CREATE TABLE IF NOT EXISTS run_results (
          run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
          step INTEGER NOT NULL,
          vm_name TEXT NOT NULL,
          result TEXT NOT NULL,
          finished_at TEXT NOT NULL,
          PRIMARY KEY (run_id, step)
        ) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS run_log (
          id INTEGER PRIMARY KEY AUTOINCREMENT,
          run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
          at TEXT NOT NULL,
          level TEXT NOT NULL,
          message TEXT NOT NULL
        );
        INSERT OR IGNORE INTO meta (key, value) VALUES ('format', 'hclab-project');
      `);
    },
  },
  {
    version: 2,
    description: 'indexes for listing runs per experiment and a run’s log',
    up(db) {
      db.exec(`
        CREATE INDEX IF NOT EXISTS runs_by_experiment ON runs (experiment_id, id);
        CREATE INDEX IF NOT EXISTS run_log_by_run ON run_log (run_id, id);
      `);
    },
  },
  {
    version: 3,
    description: 'crash recovery: the hv-log strategy’s write log (one row per logged guest write)',
    up(db) {
      db.exec(`
        CREATE TABLE IF NOT EXISTS crash_logs (
          id INTEGER PRIMARY KEY AUTOINCREMENT,
          vm_name TEXT NOT NULL,
          flush_seconds REAL NOT NULL,
          created_at TEXT NOT NULL
        );
        CREATE TABLE IF NOT EXISTS crash_log_records (
          log_id INTEGER NOT NULL REFERENCES crash_logs(id) ON DELETE CASCADE,
          seq INTEGER NOT NULL,
          page INTEGER NOT NULL,
          version INTEGER NOT NULL,
          time REAL NOT NULL,
          flushed_at REAL NOT NULL,
          PRIMARY KEY (log_id, seq)
        ) WITHOUT ROWID;
      `);
    },
  },
  {
    version: 4,
    description: 'revisions of VMs and experiments (a save based on a stale revision is refused)',
    up(db) {
      for (const table of ['vms', 'experiments']) {
        const columns = db.pragma(`table_info(${table})`) as { name: string }[];
        if (!columns.some((c) => c.name === 'revision'))
          db.exec(`ALTER TABLE ${table} ADD COLUMN revision INTEGER NOT NULL DEFAULT 1`);
      }
    },
  },
  {
    version: 5,
    description:
      'stored analyses: allocation and crash-recovery results with their parameters, like runs',
    up(db) {
      db.exec(`
        CREATE TABLE IF NOT EXISTS analyses (
          id INTEGER PRIMARY KEY AUTOINCREMENT,
          kind TEXT NOT NULL CHECK (kind IN ('alloc', 'crash')),
          title TEXT NOT NULL,
          run_id INTEGER REFERENCES runs(id) ON DELETE SET NULL,
          vm_name TEXT,
          params TEXT NOT NULL,
          snapshot TEXT,
          state TEXT NOT NULL DEFAULT 'done',
          error TEXT,
          report TEXT,
          hclab_version TEXT NOT NULL,
          created_at TEXT NOT NULL
        );
        CREATE INDEX IF NOT EXISTS analyses_by_kind ON analyses (kind, id);
      `);
    },
  },
];

export const LATEST_VERSION = MIGRATIONS[MIGRATIONS.length - 1].version;

/** Tables every project has from version 1 on (checked before a file is opened read-write). */
export const REQUIRED_TABLES = [
  'meta',
  'vms',
  'experiments',
  'traces',
  'runs',
  'run_results',
  'run_log',
];

export function schemaVersion(db: Database.Database): number {
  return db.pragma('user_version', { simple: true }) as number;
}

/**
 * Applies the migrations after the file's version, up to `target` (default: the latest), each in
 * one transaction with its version bump. Idempotent: a file already at `target` is untouched.
 */
export function migrate(db: Database.Database, target = LATEST_VERSION): number {
  let version = schemaVersion(db);
  for (const m of MIGRATIONS) {
    if (m.version <= version || m.version > target) continue;
    db.transaction(() => {
      if (m.version === 1) db.pragma(`application_id = ${APPLICATION_ID}`);
      m.up(db);
      db.pragma(`user_version = ${m.version}`);
    }).immediate();
    version = m.version;
  }
  return version;
}
