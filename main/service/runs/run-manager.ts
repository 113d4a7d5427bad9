/**
 * Runs experiments of an open project on a pool of worker threads (never on the main thread).
 * A run is split into steps, one per VM; runs are queued and their steps go to workers as they
 * become free, oldest run first. Each finished step is committed to the project at once (result
 * and checkpoint in one transaction), so a run interrupted by a crash resumes with only its
 * missing steps. Emits `run.progress` (about 10 times a second per run; percent and ETA weighted
 * by each step's references) and `run.state` events. A resumed run keeps its finished steps and
 * computes the others from their start (there is no checkpoint inside a step).
 */
import { statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { ApiEvent } from '../../../shared/api/contract.js';
import type { RunSummary } from '../../../shared/api/entities.js';
import { ApiError } from '../../../shared/api/errors.js';
import type { Experiment } from '../../../shared/schema/experiment.js';
import { workloadRefs } from '../../../shared/schema/workload.js';
import { ioProblem } from '../../store/io-errors.js';
import type { ProjectStore } from '../../store/project-store.js';
import { embeddedTraceId } from '../../store/repositories.js';
import type { FromWorker, ToWorker } from './protocol.js';
import type { StepTask } from './step.js';
import { workerScript as scriptBeside } from '../worker-script.js';

export interface RunManagerOptions {
  /** Worker threads (default: available parallelism − 1, at least 1). */
  workers?: number;
  onEvent?: (e: ApiEvent) => void;
  /** Grace period between a cooperative cancel and terminating the worker (ms, default 2000). */
  cancelGraceMs?: number;
  /** The worker script (tests); default {@link workerScript}. */
  workerScript?: URL;
}

const PROGRESS_EVERY_MS = 100;

/** Before a trace step starts: a guess of the bytes per reference of its file (refined once
 * the step has read 1 % of it, replaced by the true count when it finishes). */
const TRACE_BYTES_PER_REF_GUESS = 16;
const COMPRESSED_BYTES_PER_REF_GUESS = 3;

/** The worker script: next to this module when compiled; from dist/ when running TS sources. */
export function workerScript(): URL {
  return scriptBeside(import.meta.url, 'run-worker.js');
}

export function defaultWorkers(): number {
  return Math.max(1, os.availableParallelism() - 1);
}

interface Slot {
  worker: Worker;
  task: Task | null;
}

interface Task {
  id: number;
  run: ActiveRun;
  step: number;
  slot: Slot;
  fraction: number;
  killTimer: NodeJS.Timeout | null;
}

interface ActiveRun {
  id: number;
  total: number;
  pending: number[];
  done: number;
  /** Steps finished (committed), including those of an earlier attempt. */
  finished: Set<number>;
  /**
   * References per step: progress is weighted by them, so percent and ETA are honest for VMs of
   * unequal size. Exact for generated workloads and traces with a limit; for other traces
   * estimated from the file size until the step reports how far through its file it is.
   */
  weights: number[];
  exact: boolean[];
  inFlight: Set<Task>;
  started: boolean;
  cancelling: boolean;
  error: string | null;
  startedAt: number;
  startPercent: number;
  percent: number;
  lastEmit: number;
}

export class RunManager {
  private readonly size: number;
  private readonly slots: Slot[] = [];
  private readonly queue: ActiveRun[] = [];
  private readonly idleWaiters: (() => void)[] = [];
  private firstStorageError: Error | null = null;
  private readonly grace: number;
  private nextTask = 1;
  private closed = false;

  constructor(
    private readonly store: ProjectStore,
    private readonly options: RunManagerOptions = {},
  ) {
    this.size = Math.max(1, Math.floor(options.workers ?? defaultWorkers()));
    this.grace = options.cancelGraceMs ?? 2000;
  }

  /** Queues a new run of the experiment (with a snapshot of it and its VMs). */
  start(experimentId: number): RunSummary {
    this.assertOpen();
    const summary = this.store.runs.create(experimentId);
    this.emitState(summary.id);
    this.enqueue(summary.id, [...Array(summary.stepsTotal).keys()]);
    return this.store.runs.summary(summary.id);
  }

  /** Continues an interrupted, cancelled or failed run: only its missing steps are computed. */
  resume(runId: number): RunSummary {
    this.assertOpen();
    const summary = this.store.runs.summary(runId);
    if (this.active(runId) !== undefined) return summary;
    if (summary.state === 'done') return summary;
    const done = this.store.runs.doneSteps(runId);
    const missing = [...Array(summary.stepsTotal).keys()].filter((s) => !done.has(s));
    this.store.runs.setState(runId, 'queued');
    this.store.runs.log(
      runId,
      'info',
      `resumed: ${done.size} of ${summary.stepsTotal} step(s) already done, ${missing.length} to compute`,
    );
    this.emitState(runId);
    this.enqueue(runId, missing);
    return this.store.runs.summary(runId);
  }

  /** Resumes every interrupted run of the project; returns their ids. */
  resumeInterrupted(): number[] {
    const ids = this.store.runs.interrupted();
    for (const id of ids) this.resume(id);
    return ids;
  }

  /** Cancels a queued or running run (cooperatively; its workers are terminated after ~2 s). */
  cancel(runId: number): void {
    this.assertOpen();
    const run = this.active(runId);
    if (run === undefined) {
      const s = this.store.runs.summary(runId);
      if (s.state === 'interrupted' || s.state === 'queued' || s.state === 'running') {
        this.store.runs.setState(runId, 'cancelled');
        this.emitState(runId);
      }
      return;
    }
    if (run.cancelling) return;
    run.cancelling = true;
    run.pending = [];
    for (const task of run.inFlight) this.stopTask(task);
    this.settle(run);
  }

  /** Resolves when no run is queued or running. */
  whenIdle(): Promise<void> {
    if (this.queue.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Ids of the runs queued or running in this manager. */
  activeRuns(): number[] {
    return this.queue.map((r) => r.id);
  }

  /**
   * Stops every worker. Runs still queued or running are left 'interrupted' in the project (they
   * resume from their last committed step).
   */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const runs = this.queue.splice(0);
    for (const run of runs)
      for (const t of run.inFlight) if (t.killTimer !== null) clearTimeout(t.killTimer);
    await Promise.all(this.slots.splice(0).map((s) => s.worker.terminate()));
    if (this.store.isOpen && !this.store.readOnly) {
      for (const run of runs) {
        this.persist(() => {
          this.store.runs.setState(run.id, 'interrupted');
          this.emitState(run.id);
        });
      }
    }
    this.wakeIdle();
  }

  private assertOpen(): void {
    if (this.closed) throw new ApiError('INTERNAL', 'the run manager is closed');
  }

  private active(runId: number): ActiveRun | undefined {
    return this.queue.find((r) => r.id === runId);
  }

  /** The references of each step of a run: exact where known, else estimated (see ActiveRun). */
  private weightsOf(runId: number): { weights: number[]; exact: boolean[] } {
    const snap = this.store.runs.snapshot(runId);
    const weights: number[] = [];
    const exact: boolean[] = [];
    for (const vm of snap.vms) {
      const w = vm.workload;
      if (w.kind !== 'trace') {
        let refs: number;
        try {
          refs = workloadRefs(w);
        } catch {
          refs = 0;
        }
        weights.push(Math.max(1, refs));
        exact.push(refs > 0);
        continue;
      }
      if (typeof w.limit === 'number' && w.limit > 0) {
        weights.push(w.limit);
        exact.push(true);
        continue;
      }
      let bytes: number;
      let name = w.trace;
      try {
        const id = embeddedTraceId(w.trace);
        if (id !== null) {
          const t = this.store.traces.get(id);
          bytes = t.bytes.length;
          name = t.fileName;
        } else bytes = statSync(path.resolve(path.dirname(this.store.path), w.trace)).size;
      } catch {
        bytes = 0; // the step will fail and say why
      }
      const perRef = /\.(gz|xz|zst)$/i.test(name)
        ? COMPRESSED_BYTES_PER_REF_GUESS
        : TRACE_BYTES_PER_REF_GUESS;
      weights.push(Math.max(1, bytes / perRef));
      exact.push(false);
    }
    return { weights, exact };
  }

  private enqueue(runId: number, steps: number[]): void {
    const total = this.store.runs.summary(runId).stepsTotal;
    const done = total - steps.length;
    const { weights, exact } = this.weightsOf(runId);
    const pending = new Set(steps);
    const finished = new Set([...Array(total).keys()].filter((s) => !pending.has(s)));
    const all = weights.reduce((a, b) => a + b, 0);
    const kept = [...finished].reduce((a, s) => a + (weights[s] ?? 0), 0);
    const percent = total === 0 || all === 0 ? 100 : (100 * kept) / all;
    const run: ActiveRun = {
      id: runId,
      total,
      pending: steps,
      done,
      finished,
      weights,
      exact,
      inFlight: new Set(),
      started: false,
      cancelling: false,
      error: null,
      startedAt: 0,
      startPercent: percent,
      percent,
      lastEmit: 0,
    };
    this.queue.push(run);
    if (steps.length === 0) this.settle(run);
    this.pump();
  }

  /** Gives pending steps to free workers, oldest run first. */
  private pump(): void {
    if (this.closed) return;
    for (const run of this.queue) {
      while (run.pending.length > 0 && !run.cancelling && run.error === null) {
        const slot = this.freeSlot();
        if (slot === null) return;
        const step = run.pending.shift() as number;
        let task: StepTask;
        try {
          if (!run.started) {
            run.started = true;
            run.startedAt = performance.now();
            this.store.runs.setState(run.id, 'running');
            this.emitState(run.id);
          }
          task = this.taskOf(run.id, step);
        } catch (err) {
          if (ioProblem(err) !== null) this.storageFailed(err);
          run.error = err instanceof Error ? err.message : String(err);
          run.pending = [];
          this.settle(run);
          break;
        }
        const t: Task = { id: this.nextTask++, run, step, slot, fraction: 0, killTimer: null };
        slot.task = t;
        run.inFlight.add(t);
        slot.worker.ref();
        slot.worker.postMessage({ type: 'step', taskId: t.id, task } satisfies ToWorker);
      }
    }
  }

  private taskOf(runId: number, step: number): StepTask {
    const snap = this.store.runs.snapshot(runId);
    const vm = snap.vms[step];
    const cfg = snap.experiment;
    const experiment: Experiment = {
      name: cfg.name,
      pageSize: cfg.pageSize,
      vms: [vm],
      methods: cfg.methods,
      sizes: cfg.sizes,
      esx: cfg.esx,
      shards: cfg.shards,
      minisim: cfg.minisim,
    };
    const task: StepTask = { experiment, baseDir: path.dirname(this.store.path) };
    if (vm.workload.kind === 'trace') {
      const id = embeddedTraceId(vm.workload.trace);
      if (id !== null) task.embedded = this.store.traces.get(id);
    }
    return task;
  }

  private freeSlot(): Slot | null {
    const idle = this.slots.find((s) => s.task === null);
    if (idle !== undefined) return idle;
    if (this.slots.length >= this.size) return null;
    const slot: Slot = {
      worker: new Worker(this.options.workerScript ?? workerScript()),
      task: null,
    };
    slot.worker.on('message', (m: FromWorker) => this.onMessage(slot, m));
    slot.worker.on('error', (err) => this.onWorkerGone(slot, `worker failed: ${err.message}`));
    slot.worker.on('exit', (code) => this.onWorkerGone(slot, `worker exited (code ${code})`));
    this.slots.push(slot);
    return slot;
  }

  private onMessage(slot: Slot, m: FromWorker): void {
    const task = slot.task;
    if (task === null || task.id !== m.taskId) return;
    const run = task.run;
    if (m.type === 'progress') {
      const step = task.step;
      if (m.total !== null && m.total > 0) {
        run.weights[step] = m.total;
        run.exact[step] = true;
        task.fraction = Math.min(1, m.done / m.total);
      } else if (run.exact[step]) {
        task.fraction = Math.min(1, m.done / run.weights[step]);
      } else if (m.input !== null && m.input > 0) {
        task.fraction = m.input;
        // Enough of the file read to extrapolate its references.
        if (m.input >= 0.01) run.weights[step] = Math.max(m.done, m.done / m.input);
      }
      this.progress(run, false);
      return;
    }
    this.endTask(task);
    if (m.type === 'done') {
      if (!run.cancelling && run.error === null && !this.closed) {
        try {
          this.store.runs.commitStep(run.id, task.step, m.result);
          run.done++;
          run.finished.add(task.step);
          const refs = m.result.stats.references;
          if (typeof refs === 'number' && refs > 0) run.weights[task.step] = refs;
          this.progress(run, true);
        } catch (err) {
          this.storageFailed(err);
          this.fail(run, `could not store step ${task.step + 1}: ${(err as Error).message}`);
        }
      }
    } else if (m.type === 'error' && (!m.cancelled || !run.cancelling)) {
      let vm = `step ${task.step + 1}`;
      this.persist(() => {
        vm = this.store.runs.snapshot(run.id).vms[task.step]?.name ?? vm;
      });
      this.fail(run, m.cancelled ? `VM '${vm}': cancelled` : `VM '${vm}': ${m.message}`);
    }
    this.settle(run);
    this.pump();
  }

  private onWorkerGone(slot: Slot, why: string): void {
    const i = this.slots.indexOf(slot);
    if (i < 0) return;
    this.slots.splice(i, 1);
    const task = slot.task;
    if (task !== null) {
      this.endTask(task);
      if (!task.run.cancelling) this.fail(task.run, why);
      this.settle(task.run);
    }
    this.pump();
  }

  private endTask(task: Task): void {
    if (task.killTimer !== null) clearTimeout(task.killTimer);
    task.killTimer = null;
    task.run.inFlight.delete(task);
    if (task.slot.task === task) {
      task.slot.task = null;
      task.slot.worker.unref();
    }
  }

  private stopTask(task: Task): void {
    task.slot.worker.postMessage({ type: 'cancel', taskId: task.id } satisfies ToWorker);
    task.killTimer = setTimeout(() => {
      // It did not stop in time: terminate the worker (a fresh one replaces it when needed).
      const slot = task.slot;
      const i = this.slots.indexOf(slot);
      if (i >= 0) this.slots.splice(i, 1);
      task.killTimer = null;
      this.endTask(task);
      void slot.worker.terminate();
      this.settle(task.run);
      this.pump();
    }, this.grace);
  }

  private fail(run: ActiveRun, message: string): void {
    if (run.error !== null) return;
    run.error = message;
    run.pending = [];
    try {
      this.store.runs.log(run.id, 'error', message);
    } catch {
      // The project may be closed; the state is set when the run settles.
    }
    for (const t of run.inFlight) this.stopTask(t);
  }

  /** Finishes a run whose steps are all done or stopped. */
  private settle(run: ActiveRun): void {
    if (run.inFlight.size > 0 || (run.pending.length > 0 && !run.cancelling && run.error === null))
      return;
    const i = this.queue.indexOf(run);
    if (i < 0) return;
    this.queue.splice(i, 1);
    if (this.store.isOpen) {
      this.persist(() => {
        if (run.error !== null) this.store.runs.setState(run.id, 'failed', run.error);
        else if (run.cancelling) this.store.runs.setState(run.id, 'cancelled');
        else {
          const done = this.store.runs.doneSteps(run.id).size;
          if (done === run.total) {
            run.percent = 100;
            this.progress(run, true);
            this.store.runs.setState(run.id, 'done');
          } else this.store.runs.setState(run.id, 'failed', `${run.total - done} step(s) missing`);
        }
        this.emitState(run.id);
      });
    }
    if (this.queue.length === 0) this.wakeIdle();
  }

  /**
   * The first error that kept the project from being written (a full disk, a read-only or
   * vanished file…); the runs it hit are failed, and the caller reports it.
   */
  get storageError(): Error | null {
    return this.firstStorageError;
  }

  private storageFailed(err: unknown): void {
    this.firstStorageError ??= err instanceof Error ? err : new Error(String(err));
  }

  /** A write to the project from an event handler: an error is kept, never thrown from there. */
  private persist(write: () => void): void {
    try {
      write();
    } catch (err) {
      this.storageFailed(err);
    }
  }

  private wakeIdle(): void {
    for (const w of this.idleWaiters.splice(0)) w();
  }

  private progress(run: ActiveRun, force: boolean): void {
    const all = run.weights.reduce((a, b) => a + b, 0);
    let done = 0;
    for (const s of run.finished) done += run.weights[s] ?? 0;
    for (const t of run.inFlight) done += (run.weights[t.step] ?? 0) * t.fraction;
    const computed = run.total === 0 || all === 0 ? 100 : (100 * done) / all;
    run.percent = Math.min(100, Math.max(run.percent, computed));
    const now = performance.now();
    if (!force && now - run.lastEmit < PROGRESS_EVERY_MS) return;
    run.lastEmit = now;
    const gained = run.percent - run.startPercent;
    const elapsed = (now - run.startedAt) / 1000;
    const etaSeconds =
      run.percent >= 100
        ? 0
        : gained > 0 && elapsed > 0
          ? ((100 - run.percent) * elapsed) / gained
          : null;
    this.options.onEvent?.({
      event: 'run.progress',
      payload: {
        runId: run.id,
        percent: run.percent,
        etaSeconds,
        stepsDone: run.done,
        stepsTotal: run.total,
      },
    });
  }

  private emitState(runId: number): void {
    if (this.options.onEvent === undefined || !this.store.isOpen) return;
    this.options.onEvent({ event: 'run.state', payload: this.store.runs.summary(runId) });
  }
}
