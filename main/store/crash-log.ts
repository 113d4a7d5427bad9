/**
 * The hv-log strategy's write log in SQLite (DESIGN.md §2 Crash model): tables `crash_logs` and
 * `crash_log_records` (migration 3). Each flushed batch of the hypervisor's log buffer is one
 * transaction; recovery reads the records back from the file in sequence order.
 *
 * A log lives in the project file (one per VM; a new run replaces the VM's previous log) or,
 * without a project, in a temporary SQLite file that {@link openTemporaryCrashLog} creates and
 * removes.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type Database from 'better-sqlite3';
import type { LogRecord, LogStore } from '../engine/crash/hv-log.js';
import { nowIso } from './json.js';
import { migrate } from './schema.js';
import { openDatabase } from './sqlite.js';

export class SqliteCrashLog implements LogStore {
  readonly logId: number;
  private readonly insert: Database.Statement;
  private readonly select: Database.Statement;
  private readonly appendTx: (records: readonly LogRecord[], flushTime: number) => void;
  /** Transactions committed (one per flushed batch). */
  batches = 0;

  constructor(
    private readonly db: Database.Database,
    vmName: string,
    flushSeconds: number,
  ) {
    const create = db.transaction(() => {
      // The VM's previous log is obsolete once a new run starts.
      db.prepare('DELETE FROM crash_logs WHERE vm_name = ?').run(vmName);
      return db
        .prepare('INSERT INTO crash_logs (vm_name, flush_seconds, created_at) VALUES (?, ?, ?)')
        .run(vmName, flushSeconds, nowIso()).lastInsertRowid;
    });
    this.logId = Number(create());
    this.insert = db.prepare(
      'INSERT INTO crash_log_records (log_id, seq, page, version, time, flushed_at) VALUES (?, ?, ?, ?, ?, ?)',
    );
    this.select = db
      .prepare(
        'SELECT seq, page, version FROM crash_log_records WHERE log_id = ? AND seq BETWEEN ? AND ? ORDER BY seq',
      )
      .raw(true);
    this.appendTx = db.transaction((records: readonly LogRecord[], flushTime: number) => {
      for (const r of records)
        this.insert.run(this.logId, r.seq, r.page, r.version, r.time, flushTime);
    });
  }

  appendBatch(records: readonly LogRecord[], flushTime: number): void {
    this.appendTx(records, flushTime);
    this.batches++;
  }

  *read(fromSeq: number, toSeq: number): Iterable<{ seq: number; page: number; version: number }> {
    if (toSeq < fromSeq) return;
    for (const row of this.select.iterate(this.logId, fromSeq, toSeq) as Iterable<
      [number, number, number]
    >)
      yield { seq: row[0], page: row[1], version: row[2] };
  }

  /** Records stored for this log. */
  count(): number {
    return (
      this.db
        .prepare('SELECT COUNT(*) AS n FROM crash_log_records WHERE log_id = ?')
        .get(this.logId) as { n: number }
    ).n;
  }
}

/** A crash log in a fresh temporary SQLite file; `dispose` closes and deletes it. */
export function openTemporaryCrashLog(
  vmName: string,
  flushSeconds: number,
): { log: SqliteCrashLog; file: string; dispose: () => void } {
  const dir = mkdtempSync(path.join(tmpdir(), 'hclab-crash-'));
  const file = path.join(dir, 'crash-log.sqlite');
  const db = openDatabase(file);
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    migrate(db);
    return {
      log: new SqliteCrashLog(db, vmName, flushSeconds),
      file,
      dispose: () => {
        db.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  } catch (err) {
    db.close();
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
}
