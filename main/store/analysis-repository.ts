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
  report: string;
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
  report: unknown;
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
  };
}

const COLUMNS = 'id, kind, title, run_id, vm_name, created_at, hclab_version';

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
      report: fromJson(r.report),
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
        `INSERT INTO analyses (kind, title, run_id, vm_name, params, snapshot, report, hclab_version, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        a.kind,
        a.title,
        a.runId,
        a.vmName,
        toJson(a.params),
        a.vm === undefined ? null : toJson(a.vm),
        toJson(a.report),
        a.hclabVersion,
        nowIso(),
      );
    return this.list().find((s) => s.id === Number(info.lastInsertRowid)) as AnalysisSummary;
  }

  remove(id: number): void {
    this.store.assertWritable();
    const info = this.store.db.prepare('DELETE FROM analyses WHERE id = ?').run(id);
    if (info.changes === 0) throw new ApiError('NOT_FOUND', `no analysis with id ${id}`);
  }
}
