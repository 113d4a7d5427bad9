/**
 * Gathers a sweep directory's results: into a project (idempotent) and as tidy tables. Curve
 * tasks become one run (a step per task); crash analyses of curve tasks and allocation tasks
 * become stored analyses linked to that run, as `crash.run` and `alloc.compute` keep theirs.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { AllocReport } from '../../shared/api/alloc.js';
import { CrashRequestSchema, type CrashReport } from '../../shared/api/crash.js';
import type { ExperimentConfig, VmRunResult } from '../../shared/api/entities.js';
import { alphaText } from '../engine/alloc/index.js';
import { crashTitle } from '../service/api/crash.js';
import { hclabVersion } from '../service/provenance.js';
import type { NewAnalysis } from '../store/analysis-repository.js';
import { ProjectStore } from '../store/project-store.js';
import { SweepRepository, type SweepAnalysisImport } from '../store/sweep-repository.js';
import { readMeta, readResult, readTasks, type TaskResultFile } from './sweep-dir.js';
import {
  isAllocTask,
  isCurveTask,
  taskHash,
  type AllocTask,
  type CurveTask,
  type SweepTask,
} from './task.js';

export interface SweepResults {
  name: string;
  tasks: SweepTask[];
  /** By task index. */
  results: Map<number, TaskResultFile>;
}

export function readSweepResults(dir: string): SweepResults {
  const meta = readMeta(dir);
  const tasks = readTasks(dir);
  const results = new Map<number, TaskResultFile>();
  for (const t of tasks) {
    const r = readResult(dir, t);
    if (r !== null) results.set(t.index, r);
  }
  return { name: meta.name, tasks, results };
}

export interface CollectSummary {
  project: string;
  runId: number;
  /** Curve results added to the run. */
  added: number;
  /** Crash and allocation analyses added. */
  analysesAdded: number;
  /** Tasks (of every kind) without a result file. */
  missing: number;
  created: boolean;
}

const fmt = (n: number) => n.toLocaleString('en-US');

function allocTitle(sweep: string, t: AllocTask): string {
  const alpha = t.alpha === 'inf' ? '∞' : alphaText(t.alpha);
  return (
    `sweep ${sweep} ${t.id}: M = ${fmt(t.memory)} pages, α = ${alpha}, ${t.request.sources.join(' + ')}; ` +
    `${t.members.length} VMs, ${t.policy}, V = ${fmt(t.guestPages)}, C = ${fmt(t.hvPages)}, G = ${fmt(t.ghostPages)}, seed ${t.seed}`
  );
}

/** The stored allocation analysis of an allocation task's report, on the sweep's run. */
function allocAnalysis(
  sweep: string,
  t: AllocTask,
  report: AllocReport,
  runId: number,
): NewAnalysis {
  return {
    kind: 'alloc',
    title: allocTitle(sweep, t),
    runId,
    vmName: null,
    // alloc.compute's request with its defaults, as alloc.compute keeps it.
    params: {
      runId,
      ...t.request,
      bounds: t.request.bounds ?? 'host',
      objective: t.request.objective ?? 'misses',
    },
    report: { ...report, runId },
    hclabVersion: hclabVersion(),
  };
}

/** The stored crash analysis of a curve task (its VM as the task ran it), on the sweep's run. */
function crashAnalysis(
  sweep: string,
  t: CurveTask,
  report: CrashReport,
  runId: number,
): NewAnalysis {
  const c = t.crash as NonNullable<CurveTask['crash']>;
  const params = CrashRequestSchema.parse({
    vmName: t.id,
    strategies: c.strategies,
    trials: c.trials,
    seed: t.seed,
    logFlushMs: c.logFlushMs,
    pCorrupt: c.pCorrupt,
    powerFailure: c.powerFailure,
  });
  return {
    kind: 'crash',
    title: `sweep ${sweep} ${t.source}, ${t.policy}: ${crashTitle(params)}`,
    runId,
    vmName: t.id,
    params,
    vm: t.experiment.vms[0],
    report,
    hclabVersion: hclabVersion(),
  };
}

/** The analyses a sweep's result files hold, keyed for idempotent import. */
function analysesOf(
  name: string,
  tasks: SweepTask[],
  results: Map<number, TaskResultFile>,
): SweepAnalysisImport[] {
  const out: SweepAnalysisImport[] = [];
  for (const t of tasks) {
    const f = results.get(t.index);
    if (f === undefined) continue;
    if (isAllocTask(t) && f.alloc !== undefined) {
      const report = f.alloc;
      out.push({ key: t.id, make: (runId) => allocAnalysis(name, t, report, runId) });
    } else if (isCurveTask(t) && t.crash !== undefined && f.crash !== undefined) {
      const report = f.crash;
      out.push({ key: `${t.id}:crash`, make: (runId) => crashAnalysis(name, t, report, runId) });
    }
  }
  return out;
}

export function collectIntoProject(dir: string, projectFile: string): CollectSummary {
  const { name, tasks: all, results } = readSweepResults(dir);
  const tasks = all.filter(isCurveTask);
  const created = !existsSync(path.resolve(projectFile));
  const store = created ? ProjectStore.create(projectFile) : ProjectStore.open(projectFile);
  try {
    const first = tasks[0].experiment;
    const experiment: ExperimentConfig = {
      name,
      vmNames: tasks.map((t) => t.id),
      methods: first.methods,
      sizes: first.sizes,
      esx: first.esx,
      shards: first.shards,
      minisim: first.minisim,
      pageSize: first.pageSize,
    };
    const curves = new Map<number, VmRunResult>();
    for (const t of tasks) {
      const r = results.get(t.index)?.result;
      if (r !== undefined) curves.set(t.index, r);
    }
    const r = new SweepRepository(store, store.runs, store.analyses).import({
      name,
      dir: path.resolve(dir),
      experiment,
      vms: tasks.map((t) => t.experiment.vms[0]),
      // Every task's hash (allocation tasks too): a re-planned sweep is refused, not mixed.
      hashes: all.map(taskHash),
      sources: tasks.map((t) => t.source),
      results: curves,
      analyses: analysesOf(name, all, results),
    });
    return {
      project: store.path,
      created,
      runId: r.runId,
      added: r.added,
      analysesAdded: r.analysesAdded,
      missing: all.length - results.size,
    };
  } finally {
    store.close();
  }
}

export const TIDY_HEADER = [
  'sweep',
  'task',
  'source',
  'policy',
  'guest_pages',
  'hv_pages',
  'ghost_pages',
  'seed',
  'method',
  'size',
  'misses',
  'miss_ratio',
] as const;

/** One row per curve task × method × size (tasks without a result have no rows). */
export function* tidyRows(s: SweepResults): Generator<(string | number | null)[]> {
  for (const t of s.tasks) {
    const r = s.results.get(t.index)?.result;
    if (r === undefined || !isCurveTask(t)) continue;
    for (const c of r.curves)
      for (let i = 0; i < c.sizes.length; i++)
        yield [
          s.name,
          t.id,
          t.source,
          t.policy,
          t.guestPages,
          t.hvPages,
          t.ghostPages,
          t.seed,
          c.method,
          c.sizes[i],
          c.misses[i],
          c.missRatio[i],
        ];
  }
}

export const CRASH_HEADER = [
  'sweep',
  'task',
  'source',
  'policy',
  'guest_pages',
  'hv_pages',
  'ghost_pages',
  'seed',
  'strategy',
  'trials',
  'mean_pages_lost',
  'ci95_low',
  'ci95_high',
  'max_pages_lost',
  'fsynced_lost',
  'detected_corrupt',
  'extra_disk_writes',
  'loss_window_seconds',
] as const;

/** One row per task × crash recovery strategy (tasks with a crash analysis). */
export function* crashRows(s: SweepResults): Generator<(string | number | null)[]> {
  for (const t of s.tasks) {
    const crash = s.results.get(t.index)?.crash;
    if (crash === undefined || !isCurveTask(t)) continue;
    for (const st of crash.strategies)
      yield [
        s.name,
        t.id,
        t.source,
        t.policy,
        t.guestPages,
        t.hvPages,
        t.ghostPages,
        t.seed,
        st.name,
        st.trials,
        st.meanPagesLost,
        st.ci95[0],
        st.ci95[1],
        st.maxPagesLost,
        st.fsyncedLost,
        st.detectedCorrupt,
        st.extraDiskWrites,
        st.lossWindowSeconds,
      ];
  }
}

export const ALLOC_HEADER = [
  'sweep',
  'task',
  'policy',
  'guest_pages',
  'hv_pages',
  'ghost_pages',
  'seed',
  'memory',
  'alpha',
  'method',
  'feasible',
  'vm',
  'source',
  'pages',
  'predicted_misses',
  'achieved_misses',
  'baseline_pages',
  'baseline_misses',
  'slack',
] as const;

/**
 * One row per allocation task × method × VM (the VM is its curve task's id). An infeasible
 * method has one row with feasible = false and no VM.
 */
export function* allocRows(s: SweepResults): Generator<(string | number | null)[]> {
  for (const t of s.tasks) {
    const report = s.results.get(t.index)?.alloc;
    if (report === undefined || !isAllocTask(t)) continue;
    const head = [
      s.name,
      t.id,
      t.policy,
      t.guestPages,
      t.hvPages,
      t.ghostPages,
      t.seed,
      t.memory,
      t.alpha,
    ];
    for (const r of report.results) {
      if (!r.feasible) {
        yield [...head, r.source, 'false', null, null, null, null, null, null, null, null];
        continue;
      }
      for (const a of r.allocations)
        yield [
          ...head,
          r.source,
          'true',
          a.name,
          t.sources[t.members.indexOf(a.name)] ?? null,
          a.pages,
          a.predictedMisses,
          a.achievedMisses ?? null,
          a.baselinePages,
          a.baselineMisses,
          a.slack,
        ];
    }
  }
}
