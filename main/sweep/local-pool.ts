/**
 * The local backend: computes every task of a sweep directory that has no result yet on a pool of
 * worker threads. Each worker writes its task's result file itself (atomically, once), so killing
 * this process at any instant loses at most the tasks in progress; the next run does only those.
 */
import os from 'node:os';
import { Worker } from 'node:worker_threads';
import type { TaskOutcome } from './compute.js';
import type { FromSweepWorker, ToSweepWorker } from './pool-protocol.js';
import { doneIds, readTasks, removeStaleTemps } from './sweep-dir.js';
import type { SweepTask } from './task.js';
import { workerScript } from '../service/worker-script.js';

/** The worker script: next to this module when compiled; from dist/ when running TS sources. */
export function sweepWorkerScript(): URL {
  return workerScript(import.meta.url, 'task-worker.js');
}

export function defaultSweepWorkers(): number {
  return Math.max(1, os.availableParallelism() - 1);
}

export interface PoolProgress {
  total: number;
  /** Tasks with a result (from before and from this run). */
  done: number;
  failed: number;
  running: number;
  /** done + the running tasks' fractions. */
  units: number;
}

export interface LocalRunOptions {
  workers?: number;
  signal?: AbortSignal;
  onProgress?: (p: PoolProgress) => void;
  /** Called once per task this run finished or failed. */
  onOutcome?: (task: SweepTask, outcome: TaskOutcome) => void;
  /** Grace before a cancelled worker is terminated (ms). */
  cancelGraceMs?: number;
}

export interface LocalRunSummary {
  total: number;
  /** Tasks that had a result before this run. */
  before: number;
  /** Results this run wrote. */
  written: number;
  failed: { id: string; message: string }[];
  cancelled: boolean;
}

interface Slot {
  worker: Worker;
  task: SweepTask | null;
  fraction: number;
  exit: Promise<void>;
}

export async function runLocal(
  dir: string,
  options: LocalRunOptions = {},
): Promise<LocalRunSummary> {
  const tasks = readTasks(dir);
  removeStaleTemps(dir);
  const done = doneIds(dir);
  const before = tasks.filter((t) => done.has(t.id)).length;
  const queue = tasks.filter((t) => !done.has(t.id));
  const summary: LocalRunSummary = {
    total: tasks.length,
    before,
    written: 0,
    failed: [],
    cancelled: false,
  };
  let finished = before;
  const workers = Math.max(1, Math.min(options.workers ?? defaultSweepWorkers(), queue.length));
  const slots: Slot[] = [];
  const report = (): void => {
    let units = finished;
    for (const s of slots) if (s.task !== null) units += Math.min(1, Math.max(0, s.fraction));
    options.onProgress?.({
      total: tasks.length,
      done: finished,
      failed: summary.failed.length,
      running: slots.filter((s) => s.task !== null).length,
      units,
    });
  };
  report();
  if (queue.length === 0) return summary;

  const script = sweepWorkerScript();
  let cancelled = options.signal?.aborted === true;
  await new Promise<void>((resolve) => {
    let active = 0;
    const settle = (): void => {
      if (active === 0 && (cancelled || queue.length === 0)) resolve();
    };
    const dispatch = (slot: Slot): void => {
      const task = cancelled ? undefined : queue.shift();
      if (task === undefined) {
        slot.task = null;
        void slot.worker.terminate();
        settle();
        return;
      }
      slot.task = task;
      slot.fraction = 0;
      active++;
      slot.worker.postMessage({ type: 'task', dir, task } satisfies ToSweepWorker);
      report();
    };
    const finish = (slot: Slot, outcome: TaskOutcome): void => {
      const task = slot.task;
      if (task === null) return;
      active--;
      slot.task = null;
      if (outcome.state === 'done') {
        finished++;
        if (outcome.created) summary.written++;
      } else if (outcome.state === 'failed')
        summary.failed.push({ id: task.id, message: outcome.message });
      if (outcome.state !== 'cancelled') options.onOutcome?.(task, outcome);
      report();
    };
    const spawn = (): Slot => {
      const worker = new Worker(script);
      const slot: Slot = { worker, task: null, fraction: 0, exit: Promise.resolve() };
      slot.exit = new Promise((r) => worker.once('exit', () => r()));
      worker.on('message', (m: FromSweepWorker) => {
        if (m.type === 'progress') {
          slot.fraction = m.total !== null && m.total > 0 ? m.done / m.total : 0;
          report();
        } else {
          finish(slot, m.outcome);
          dispatch(slot);
        }
      });
      worker.on('error', (err) => {
        // The thread died (e.g. out of memory): its task failed; carry on with a new thread.
        const task = slot.task;
        finish(slot, { state: 'failed', message: err.message });
        if (task !== null && !cancelled) {
          const next = spawn();
          slots[slots.indexOf(slot)] = next;
          dispatch(next);
        } else settle();
      });
      return slot;
    };
    for (let i = 0; i < workers; i++) slots.push(spawn());
    const onAbort = (): void => {
      cancelled = true;
      for (const s of slots) {
        if (s.task === null) continue;
        s.worker.postMessage({ type: 'cancel' } satisfies ToSweepWorker);
        const timer = setTimeout(() => {
          if (s.task !== null) {
            finish(s, { state: 'cancelled' });
            void s.worker.terminate();
            settle();
          }
        }, options.cancelGraceMs ?? 2000);
        timer.unref();
      }
      settle();
    };
    options.signal?.addEventListener('abort', onAbort, { once: true });
    if (cancelled) onAbort();
    else for (const s of slots) dispatch(s);
  });
  await Promise.all(slots.map((s) => s.worker.terminate().then(() => s.exit)));
  summary.cancelled = cancelled && finished + summary.failed.length < tasks.length;
  return summary;
}
