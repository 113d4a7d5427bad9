/**
 * Stored analyses (allocation and crash-recovery results): the request with its defaults, the
 * report and, for crash analyses, the VM as it was — one row each, committed at once.
 */
import {
  AnalysisDetailSchema,
  type AnalysisDetail,
  type AnalysisKind,
  type AnalysisSummary,
} from '../../shared/api/analyses.js';
import type { RunState } from '../../shared/api/entities.js';
import { ApiError } from '../../shared/api/errors.js';
import { fromJson, nowIso, toJson } from './json.js';
import type { StoreHandle } from './repositories.js';

interface AnalysisRow {
  id: number;
  kind: AnalysisKind;
  title: string;
  run_id: number | null;
  vm_name: string | null;
  params: string;
  snapshot: string | null;
  state: RunState;
  error: string | null;
  report: string | null;
  hclab_version: string;
  created_at: string;
}

/** What a new analysis stores. */
export interface NewAnalysis {
  kind: AnalysisKind;
  title: string;
  runId: number | null;
  vmName: string | null;
  params: unknown;
  /** Crash: the VM spec it replayed. */
  vm?: unknown;
  /** Absent: queued (a crash analysis for the run queue). */
  report?: unknown;
  hclabVersion: string;
}

function summaryOf(r: AnalysisRow): AnalysisSummary {
  return {
    id: r.id,
    kind: r.kind,
    title: r.title,
    createdAt: r.created_at,
    runId: r.run_id,
    vmName: r.vm_name,
    hclabVersion: r.hclab_version,
    state: r.state,
    error: r.error,
  };
}

const COLUMNS = 'id, kind, title, run_id, vm_name, created_at, hclab_version, state, error';

export class AnalysisRepository {
  constructor(private readonly store: StoreHandle) {}

  /** Newest first; optionally of one kind. */
  list(kind?: AnalysisKind): AnalysisSummary[] {
    const db = this.store.db;
    const rows = (
      kind === undefined
        ? db.prepare(`SELECT ${COLUMNS} FROM analyses ORDER BY id DESC`).all()
        : db.prepare(`SELECT ${COLUMNS} FROM analyses WHERE kind = ? ORDER BY id DESC`).all(kind)
    ) as AnalysisRow[];
    return rows.map(summaryOf);
  }

  get(id: number): AnalysisDetail {
    const r = this.store.db.prepare('SELECT * FROM analyses WHERE id = ?').get(id) as
      AnalysisRow | undefined;
    if (r === undefined) throw new ApiError('NOT_FOUND', `no analysis with id ${id}`);
    const doc = {
      ...summaryOf(r),
      params: fromJson(r.params),
      report: r.report === null ? null : fromJson(r.report),
      ...(r.snapshot === null ? {} : { vm: fromJson(r.snapshot) }),
    };
    const parsed = AnalysisDetailSchema.safeParse(doc);
    if (!parsed.success)
      throw new ApiError('INTERNAL', `analysis ${id} is damaged: ${parsed.error.message}`);
    return parsed.data;
  }

  create(a: NewAnalysis): AnalysisSummary {
    this.store.assertWritable();
    const info = this.store.db
      .prepare(
        `INSERT INTO analyses (kind, title, run_id, vm_name, params, snapshot, report, state, hclab_version, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        a.kind,
        a.title,
        a.runId,
        a.vmName,
        toJson(a.params),
        a.vm === undefined ? null : toJson(a.vm),
        a.report === undefined ? null : toJson(a.report),
        a.report === undefined ? 'queued' : 'done',
        a.hclabVersion,
        nowIso(),
      );
    return this.summary(Number(info.lastInsertRowid));
  }

  summary(id: number): AnalysisSummary {
    const r = this.store.db.prepare(`SELECT ${COLUMNS} FROM analyses WHERE id = ?`).get(id) as
      AnalysisRow | undefined;
    if (r === undefined) throw new ApiError('NOT_FOUND', `no analysis with id ${id}`);
    return summaryOf(r);
  }

  /** The stored parameters and VM snapshot of a queued analysis (for its worker). */
  inputs(id: number): { params: unknown; vm: unknown } {
    const r = this.store.db
      .prepare('SELECT params, snapshot FROM analyses WHERE id = ?')
      .get(id) as { params: string; snapshot: string | null } | undefined;
    if (r === undefined) throw new ApiError('NOT_FOUND', `no analysis with id ${id}`);
    return { params: fromJson(r.params), vm: r.snapshot === null ? null : fromJson(r.snapshot) };
  }

  setState(id: number, state: RunState, error: string | null = null): AnalysisSummary {
    this.store.assertWritable();
    this.store.db
      .prepare('UPDATE analyses SET state = ?, error = ? WHERE id = ?')
      .run(state, error, id);
    return this.summary(id);
  }

  /** Stores a queued analysis's report and marks it done, in one statement. */
  finish(id: number, report: unknown): AnalysisSummary {
    this.store.assertWritable();
    this.store.db
      .prepare("UPDATE analyses SET report = ?, state = 'done', error = NULL WHERE id = ?")
      .run(toJson(report), id);
    return this.summary(id);
  }

  /** Analyses left queued or running by a process that is gone become 'interrupted'. */
  markInterrupted(): number[] {
    const db = this.store.db;
    const ids = (
      db
        .prepare("SELECT id FROM analyses WHERE state IN ('queued', 'running') ORDER BY id")
        .all() as {
        id: number;
      }[]
    ).map((r) => r.id);
    if (ids.length > 0)
      db.prepare(
        "UPDATE analyses SET state = 'interrupted' WHERE state IN ('queued', 'running')",
      ).run();
    return ids;
  }

  remove(id: number): void {
    this.store.assertWritable();
    const info = this.store.db.prepare('DELETE FROM analyses WHERE id = ?').run(id);
    if (info.changes === 0) throw new ApiError('NOT_FOUND', `no analysis with id ${id}`);
  }
}
