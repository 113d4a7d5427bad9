/**
 * Sweeps gathered into a project. A sweep is stored as one run (experiment name = the sweep's
 * name, one step per curve task, its VM named after the task), so `hclab results`, the app and
 * reports show it like any run; its crash and allocation results become stored analyses linked
 * to that run (the Crash and Allocation views, `hclab results`, reports). The meta row
 * `sweep:NAME` records which run holds it, where it came from, the content hash of each task (a
 * re-planned sweep with other tasks is refused, not mixed) and which analysis holds each task's
 * crash or allocation result (so a second import adds none).
 */
import { ApiError } from '../../shared/api/errors.js';
import type { ExperimentConfig, VmRunResult } from '../../shared/api/entities.js';
import type { VmSpec } from '../../shared/schema/vm.js';
import type { AnalysisRepository, NewAnalysis } from './analysis-repository.js';
import { fromJson, nowIso, toJson } from './json.js';
import type { StoreHandle } from './repositories.js';
import type { RunRepository } from './run-repository.js';

export interface StoredSweep {
  name: string;
  runId: number;
  dir: string;
  /** Task content hashes, by task index. */
  hashes: string[];
  /** Each curve task's trace or workload label, by task index. */
  sources: string[];
  /** The analysis holding each imported crash (`ID:crash`) or allocation (`ID`) result. */
  analyses?: Record<string, number>;
}

/** A crash or allocation result of a task, made into an analysis once the run id is known. */
export interface SweepAnalysisImport {
  /** `t00042` (an allocation task) or `t00003:crash`. */
  key: string;
  make(runId: number): NewAnalysis;
}

export interface SweepImport {
  name: string;
  dir: string;
  experiment: ExperimentConfig;
  vms: VmSpec[];
  hashes: string[];
  sources: string[];
  /** Results by task index (absent: no result yet). */
  results: Map<number, VmRunResult>;
  /** Crash and allocation results (those already imported are skipped). */
  analyses?: SweepAnalysisImport[];
}

const PREFIX = 'sweep:';

export class SweepRepository {
  constructor(
    private readonly store: StoreHandle,
    private readonly runs: RunRepository,
    private readonly analyses?: AnalysisRepository,
  ) {}

  /** Sweeps whose run is still in the project (a deleted run takes its sweep with it). */
  list(): StoredSweep[] {
    return (
      this.store.db
        .prepare('SELECT value FROM meta WHERE key LIKE ? ORDER BY key')
        .all(`${PREFIX}%`) as { value: string }[]
    )
      .map((r) => fromJson(r.value) as StoredSweep)
      .filter((s) => this.runExists(s.runId));
  }

  byName(name: string): StoredSweep | undefined {
    const r = this.store.db.prepare('SELECT value FROM meta WHERE key = ?').get(PREFIX + name) as
      { value: string } | undefined;
    if (r === undefined) return undefined;
    const s = fromJson(r.value) as StoredSweep;
    return this.runExists(s.runId) ? s : undefined;
  }

  /**
   * Adds the results the project does not have yet, in one transaction; returns how many.
   * Importing the same results again changes nothing.
   */
  import(sweep: SweepImport): {
    runId: number;
    added: number;
    missing: number;
    analysesAdded: number;
  } {
    this.store.assertWritable();
    const db = this.store.db;
    return db
      .transaction(() => {
        let stored = this.byName(sweep.name);
        if (stored !== undefined) {
          const same =
            stored.hashes.length === sweep.hashes.length &&
            stored.hashes.every((h, i) => h === sweep.hashes[i]);
          if (!same)
            throw new ApiError(
              'BAD_INPUT',
              `the project already holds a sweep named '${sweep.name}' (from ${stored.dir}) with other tasks; rename the sweep or use another project`,
            );
        } else {
          const info = db
            .prepare(
              `INSERT INTO runs (experiment_id, experiment_name, experiment, vms, state, steps_total, created_at)
               VALUES (NULL, ?, ?, ?, 'failed', ?, ?)`,
            )
            .run(
              sweep.name,
              toJson(sweep.experiment),
              toJson(sweep.vms),
              sweep.vms.length,
              nowIso(),
            );
          stored = {
            name: sweep.name,
            runId: Number(info.lastInsertRowid),
            dir: sweep.dir,
            hashes: sweep.hashes,
            sources: sweep.sources,
          };
          // A sweep whose run was deleted is imported again from scratch.
          db.prepare('INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)').run(
            PREFIX + sweep.name,
            toJson(stored),
          );
          this.runs.log(stored.runId, 'info', `sweep '${sweep.name}' from ${sweep.dir}`);
        }
        const runId = stored.runId;
        const have = this.runs.doneSteps(runId);
        let added = 0;
        for (const [step, result] of [...sweep.results].sort((a, b) => a[0] - b[0])) {
          if (have.has(step)) continue;
          db.prepare(
            'INSERT INTO run_results (run_id, step, vm_name, result, finished_at) VALUES (?, ?, ?, ?, ?)',
          ).run(runId, step, result.name, toJson(result), nowIso());
          added++;
        }
        const missing = sweep.vms.length - (have.size + added);
        if (added > 0) this.runs.log(runId, 'info', `collected ${added} task result(s)`);
        const state = missing === 0 ? 'done' : 'failed';
        const error =
          missing === 0 ? null : `${missing} of ${sweep.vms.length} task(s) have no result yet`;
        const cur = this.runs.summary(runId);
        if (cur.state !== state || cur.error !== error) this.runs.setState(runId, state, error);
        const analysesAdded = this.importAnalyses(stored, sweep.analyses ?? []);
        return { runId, added, missing, analysesAdded };
      })
      .immediate();
  }

  /** Adds the analyses not imported yet (or deleted since) and records them in the meta row. */
  private importAnalyses(stored: StoredSweep, list: SweepAnalysisImport[]): number {
    if (list.length === 0) return 0;
    if (this.analyses === undefined)
      throw new Error('SweepRepository: importing analyses needs the analysis repository');
    const have = { ...(stored.analyses ?? {}) };
    let added = 0;
    for (const a of list) {
      const id = have[a.key];
      if (id !== undefined && this.analysisExists(id)) continue;
      have[a.key] = this.analyses.create(a.make(stored.runId)).id;
      added++;
    }
    if (added > 0) {
      this.store.db
        .prepare('UPDATE meta SET value = ? WHERE key = ?')
        .run(toJson({ ...stored, analyses: have }), PREFIX + stored.name);
      this.runs.log(stored.runId, 'info', `collected ${added} crash/allocation analysis(es)`);
    }
    return added;
  }

  /** Analyses of the sweep still in the project (by task key). */
  analysisIds(s: StoredSweep): Record<string, number> {
    return Object.fromEntries(
      Object.entries(s.analyses ?? {}).filter(([, id]) => this.analysisExists(id)),
    );
  }

  private analysisExists(id: number): boolean {
    return this.store.db.prepare('SELECT 1 FROM analyses WHERE id = ?').get(id) !== undefined;
  }

  private runExists(id: number): boolean {
    return this.store.db.prepare('SELECT 1 FROM runs WHERE id = ?').get(id) !== undefined;
  }
}
