/** Gathers a sweep directory's results: into a project (idempotent) and as a tidy table. */
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { ExperimentConfig, VmRunResult } from '../../shared/api/entities.js';
import { ProjectStore } from '../store/project-store.js';
import { SweepRepository } from '../store/sweep-repository.js';
import { readMeta, readResult, readTasks, type TaskResultFile } from './sweep-dir.js';
import { taskHash, type SweepTask } from './task.js';

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
  added: number;
  missing: number;
  created: boolean;
}

export function collectIntoProject(dir: string, projectFile: string): CollectSummary {
  const { name, tasks, results } = readSweepResults(dir);
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
    const r = new SweepRepository(store, store.runs).import({
      name,
      dir: path.resolve(dir),
      experiment,
      vms: tasks.map((t) => t.experiment.vms[0]),
      hashes: tasks.map(taskHash),
      sources: tasks.map((t) => t.source),
      results: new Map([...results].map(([i, f]) => [i, f.result as VmRunResult])),
    });
    return { project: store.path, created, ...r };
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

/** One row per task × method × size (tasks without a result have no rows). */
export function* tidyRows(s: SweepResults): Generator<(string | number | null)[]> {
  for (const t of s.tasks) {
    const r = s.results.get(t.index);
    if (r === undefined) continue;
    for (const c of r.result.curves)
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
    if (crash === undefined) continue;
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
