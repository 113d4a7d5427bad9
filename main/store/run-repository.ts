/**
 * Runs, their per-step results and log. A step is one VM of the run; its result and checkpoint
 * are one row of run_results keyed by (run_id, step), committed in one transaction with its log
 * line, so a run killed at any instant has each step either fully stored or not at all.
 */
import { ApiError } from '../../shared/api/errors.js';
import {
  ExperimentConfigSchema,
  type ExperimentConfig,
  type RunDetail,
  type RunState,
  type RunSummary,
  VmRunResultSchema,
  type VmRunResult,
} from '../../shared/api/entities.js';
import { VmSchema, type VmSpec } from '../../shared/schema/vm.js';
import { fromJson, nowIso, toJson } from './json.js';
import type { ExperimentRepository, StoreHandle, VmRepository } from './repositories.js';

interface RunRow {
  id: number;
  experiment_id: number | null;
  experiment_name: string;
  experiment: string;
  vms: string;
  state: RunState;
  steps_total: number;
  steps_done: number;
  created_at: string;
  finished_at: string | null;
  error: string | null;
}

/** What a run computes, frozen when it was created (later edits of VMs do not change it). */
export interface RunSnapshot {
  experiment: ExperimentConfig;
  vms: VmSpec[];
}

const SUMMARY_SQL = `SELECT r.*, (SELECT COUNT(*) FROM run_results s WHERE s.run_id = r.id) AS steps_done
  FROM runs r`;

const FINAL_STATES: readonly RunState[] = ['done', 'failed', 'cancelled'];

function summaryOf(r: RunRow): RunSummary {
  return {
    id: r.id,
    experimentName: r.experiment_name,
    state: r.state,
    createdAt: r.created_at,
    finishedAt: r.finished_at,
    stepsDone: r.steps_done,
    stepsTotal: r.steps_total,
    error: r.error,
  };
}

export class RunRepository {
  constructor(
    private readonly store: StoreHandle,
    private readonly vms: VmRepository,
    private readonly experiments: ExperimentRepository,
  ) {}

  private row(id: number): RunRow {
    const r = this.store.db.prepare(`${SUMMARY_SQL} WHERE r.id = ?`).get(id) as RunRow | undefined;
    if (r === undefined) throw new ApiError('NOT_FOUND', `no run with id ${id}`);
    return r;
  }

  /** Runs, newest first. */
  list(): RunSummary[] {
    return (this.store.db.prepare(`${SUMMARY_SQL} ORDER BY r.id DESC`).all() as RunRow[]).map(
      summaryOf,
    );
  }

  summary(id: number): RunSummary {
    return summaryOf(this.row(id));
  }

  get(id: number): RunDetail {
    const r = this.row(id);
    const snap = this.snapshot(id);
    const results = (
      this.store.db
        .prepare('SELECT step, result FROM run_results WHERE run_id = ? ORDER BY step')
        .all(id) as { step: number; result: string }[]
    ).map((x) => this.result(id, snap, x.step, x.result));
    const log = this.store.db
      .prepare('SELECT at, level, message FROM run_log WHERE run_id = ? ORDER BY id')
      .all(id) as { at: string; level: string; message: string }[];
    return { ...summaryOf(r), experiment: snap.experiment, vms: snap.vms, results, log };
  }

  /** Runs left 'interrupted' (their process stopped while they were queued or running). */
  interrupted(): number[] {
    return (
      this.store.db
        .prepare("SELECT id FROM runs WHERE state = 'interrupted' ORDER BY id")
        .all() as { id: number }[]
    ).map((r) => r.id);
  }

  /** Runs recorded as queued or running. */
  unfinished(): number[] {
    return (
      this.store.db
        .prepare("SELECT id FROM runs WHERE state IN ('queued', 'running') ORDER BY id")
        .all() as { id: number }[]
    ).map((r) => r.id);
  }

  /** Experiments that have no finished ('done') run, in id order. */
  pendingExperiments(): number[] {
    return (
      this.store.db
        .prepare(
          `SELECT e.id FROM experiments e
           WHERE NOT EXISTS (SELECT 1 FROM runs r WHERE r.experiment_id = e.id AND r.state = 'done')
           ORDER BY e.id`,
        )
        .all() as { id: number }[]
    ).map((r) => r.id);
  }

  /** The newest run of each experiment name, oldest experiment first. */
  latestPerExperiment(): number[] {
    return (
      this.store.db
        .prepare('SELECT MAX(id) AS id FROM runs GROUP BY experiment_name ORDER BY MIN(id)')
        .all() as { id: number }[]
    ).map((r) => r.id);
  }

  /** Runs of an experiment (by id), newest first. */
  ofExperiment(experimentId: number): RunSummary[] {
    return (
      this.store.db
        .prepare(`${SUMMARY_SQL} WHERE r.experiment_id = ? ORDER BY r.id DESC`)
        .all(experimentId) as RunRow[]
    ).map(summaryOf);
  }

  /** The experiment a run was made from (null if it was deleted since). */
  experimentIdOf(id: number): number | null {
    const r = this.store.db.prepare('SELECT experiment_id FROM runs WHERE id = ?').get(id) as
      { experiment_id: number | null } | undefined;
    if (r === undefined) throw new ApiError('NOT_FOUND', `no run with id ${id}`);
    return r.experiment_id;
  }

  snapshot(id: number): RunSnapshot {
    const r = this.store.db.prepare('SELECT experiment, vms FROM runs WHERE id = ?').get(id) as
      { experiment: string; vms: string } | undefined;
    if (r === undefined) throw new ApiError('NOT_FOUND', `no run with id ${id}`);
    try {
      return {
        experiment: ExperimentConfigSchema.parse(fromJson(r.experiment)),
        vms: (fromJson(r.vms) as unknown[]).map((v) => VmSchema.parse(v)),
      };
    } catch {
      throw this.damaged(`run ${id}: its stored experiment snapshot is damaged`);
    }
  }

  /** A stored step result, checked: a damaged row is CORRUPT naming the run and the VM. */
  private result(id: number, snap: RunSnapshot, step: number, text: string): VmRunResult {
    let parsed: ReturnType<typeof VmRunResultSchema.safeParse> | null;
    try {
      parsed = VmRunResultSchema.safeParse(fromJson(text));
    } catch {
      parsed = null;
    }
    if (parsed?.success) return parsed.data;
    const vm = snap.vms[step]?.name ?? `step ${step + 1}`;
    throw this.damaged(`run ${id}, VM ${vm}: stored result is damaged`);
  }

  private damaged(what: string): ApiError {
    return new ApiError(
      'CORRUPT',
      `${this.store.path}: ${what} (the rest of the project is readable; run the experiment again for new results)`,
    );
  }

  /** Every damaged stored result or snapshot, as messages (empty when all are sound). */
  damagedRows(): string[] {
    const problems: string[] = [];
    const ids = (
      this.store.db.prepare('SELECT id FROM runs ORDER BY id').all() as { id: number }[]
    ).map((r) => r.id);
    for (const id of ids) {
      try {
        this.get(id);
      } catch (err) {
        if (!(err instanceof ApiError) || err.code !== 'CORRUPT') throw err;
        problems.push(err.message);
      }
    }
    return problems;
  }

  /** Creates a queued run of the experiment with a snapshot of it and its VMs. */
  create(experimentId: number): RunSummary {
    this.store.assertWritable();
    const { experiment } = this.experiments.get(experimentId);
    const byName = new Map(this.vms.list().map((v) => [v.vm.name, v.vm]));
    const missing = experiment.vmNames.filter((n) => !byName.has(n));
    if (missing.length > 0)
      throw new ApiError(
        'BAD_INPUT',
        `experiment '${experiment.name}': vmNames: no VM named ${missing.map((n) => `'${n}'`).join(', ')} in the project`,
      );
    const vms = experiment.vmNames.map((n) => byName.get(n) as VmSpec);
    const db = this.store.db;
    const id = db
      .transaction(() => {
        const now = nowIso();
        const info = db
          .prepare(
            `INSERT INTO runs (experiment_id, experiment_name, experiment, vms, state, steps_total, created_at)
           VALUES (?, ?, ?, ?, 'queued', ?, ?)`,
          )
          .run(experimentId, experiment.name, toJson(experiment), toJson(vms), vms.length, now);
        const runId = Number(info.lastInsertRowid);
        this.insertLog(
          runId,
          'info',
          `queued: experiment '${experiment.name}', ${vms.length} VM(s)`,
        );
        return runId;
      })
      .immediate();
    return this.summary(id);
  }

  /** Deletes a run with its stored results and log; returns what was lost. */
  remove(id: number): { steps: number } {
    this.store.assertWritable();
    const r = this.row(id);
    this.store.db.prepare('DELETE FROM runs WHERE id = ?').run(id);
    return { steps: r.steps_done };
  }

  /** Steps already committed. */
  doneSteps(id: number): Set<number> {
    return new Set(
      (
        this.store.db.prepare('SELECT step FROM run_results WHERE run_id = ?').all(id) as {
          step: number;
        }[]
      ).map((r) => r.step),
    );
  }

  /**
   * Commits one step's result, its checkpoint and its log line in ONE transaction. A second
   * commit of the same (run, step) fails (PRIMARY KEY) and changes nothing.
   */
  commitStep(runId: number, step: number, result: VmRunResult): void {
    this.store.assertWritable();
    this.store.db
      .transaction(() => {
        this.store.db
          .prepare(
            'INSERT INTO run_results (run_id, step, vm_name, result, finished_at) VALUES (?, ?, ?, ?, ?)',
          )
          .run(runId, step, result.name, toJson(result), nowIso());
        this.insertLog(runId, 'info', `step ${step + 1} done: VM '${result.name}'`);
      })
      .immediate();
  }

  setState(id: number, state: RunState, error: string | null = null): RunSummary {
    this.store.assertWritable();
    const db = this.store.db;
    db.transaction(() => {
      const finished = FINAL_STATES.includes(state) ? nowIso() : null;
      db.prepare('UPDATE runs SET state = ?, error = ?, finished_at = ? WHERE id = ?').run(
        state,
        error,
        finished,
        id,
      );
      this.insertLog(
        id,
        state === 'failed' ? 'error' : 'info',
        error === null ? state : `${state}: ${error}`,
      );
    }).immediate();
    return this.summary(id);
  }

  log(id: number, level: 'info' | 'warn' | 'error', message: string): void {
    this.store.assertWritable();
    this.insertLog(id, level, message);
  }

  private insertLog(id: number, level: string, message: string): void {
    this.store.db
      .prepare('INSERT INTO run_log (run_id, at, level, message) VALUES (?, ?, ?, ?)')
      .run(id, nowIso(), level, message);
  }

  /** Runs left queued or running by a process that is gone become 'interrupted'. */
  markInterrupted(): number[] {
    const db = this.store.db;
    return db
      .transaction(() => {
        const ids = (
          db
            .prepare("SELECT id FROM runs WHERE state IN ('queued', 'running') ORDER BY id")
            .all() as {
            id: number;
          }[]
        ).map((r) => r.id);
        for (const id of ids) {
          db.prepare("UPDATE runs SET state = 'interrupted' WHERE id = ?").run(id);
          this.insertLog(id, 'warn', 'interrupted: the process running it stopped; resumable');
        }
        return ids;
      })
      .immediate();
  }
}
