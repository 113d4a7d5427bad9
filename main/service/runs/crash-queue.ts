/**
 * The run queue for crash analyses: each is one step (one simulation of the VM's workload, then
 * the Monte Carlo crashes) on a worker thread, never the main thread; queued analyses run one at
 * a time in order. Progress (`analysis.progress`, about 10 times a second) and state
 * (`analysis.state`) are events; cancel stops the worker; an analysis left queued or running by
 * a process that stopped is 'interrupted' and `resume` queues it again (it restarts: one step).
 * The report is stored in the project (the analyses table) when done.
 */
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { ApiEvent } from '../../../shared/api/contract.js';
import type { AnalysisSummary } from '../../../shared/api/analyses.js';
import { CrashRequestSchema } from '../../../shared/api/crash.js';
import { ApiError } from '../../../shared/api/errors.js';
import { VmSchema } from '../../../shared/schema/vm.js';
import type { ProjectStore } from '../../store/project-store.js';
import { embeddedTraceId } from '../../store/repositories.js';
import { crashTitle, type CrashTask } from '../api/crash.js';
import { hclabVersion } from '../provenance.js';
import type { FromWorker, ToWorker } from './protocol.js';
import { workerScript } from './run-manager.js';

export interface CrashQueueOptions {
  onEvent?: (e: ApiEvent) => void;
  /** Grace period between a cooperative cancel and terminating the worker (ms, default 2000). */
  cancelGraceMs?: number;
  workerScript?: URL;
}

interface Current {
  id: number;
  taskId: number;
  startedAt: number;
  lastEmit: number;
  cancelling: boolean;
  killTimer: NodeJS.Timeout | null;
}

const PROGRESS_EVERY_MS = 100;

export class CrashQueue {
  private readonly pending: number[] = [];
  private current: Current | null = null;
  private worker: Worker | null = null;
  private nextTask = 1;
  private closed = false;
  private readonly idleWaiters: (() => void)[] = [];

  constructor(
    private readonly store: ProjectStore,
    private readonly options: CrashQueueOptions = {},
  ) {}

  /** Stores a queued crash analysis of the VM (with a snapshot of it) and queues it. */
  start(request: unknown): AnalysisSummary {
    this.assertOpen();
    const params = CrashRequestSchema.parse(request);
    const stored = this.store.vms.byName(params.vmName);
    if (stored === undefined)
      throw new ApiError('NOT_FOUND', `vmName: no VM named '${params.vmName}' in the project`);
    const summary = this.store.analyses.create({
      kind: 'crash',
      title: crashTitle(params),
      runId: null,
      vmName: stored.vm.name,
      params,
      vm: stored.vm,
      hclabVersion: hclabVersion(),
    });
    this.emitState(summary.id);
    this.pending.push(summary.id);
    this.pump();
    return this.store.analyses.summary(summary.id);
  }

  /** Queues an interrupted, cancelled or failed analysis again (from the beginning). */
  resume(id: number): AnalysisSummary {
    this.assertOpen();
    const s = this.store.analyses.summary(id);
    if (s.kind !== 'crash')
      throw new ApiError('BAD_INPUT', `analysis ${id} is not a crash analysis`);
    if (s.state === 'done' || this.pending.includes(id) || this.current?.id === id) return s;
    this.store.analyses.setState(id, 'queued');
    this.emitState(id);
    this.pending.push(id);
    this.pump();
    return this.store.analyses.summary(id);
  }

  cancel(id: number): void {
    this.assertOpen();
    const i = this.pending.indexOf(id);
    if (i >= 0) {
      this.pending.splice(i, 1);
      this.settle(id, 'cancelled');
      return;
    }
    const cur = this.current;
    if (cur?.id === id) {
      if (cur.cancelling) return;
      cur.cancelling = true;
      this.worker?.postMessage({ type: 'cancel', taskId: cur.taskId } satisfies ToWorker);
      cur.killTimer = setTimeout(() => {
        // It did not stop in time: terminate the worker (a new one serves the next analysis).
        const w = this.worker;
        this.worker = null;
        void w?.terminate();
        this.finishCurrent('cancelled');
      }, this.options.cancelGraceMs ?? 2000);
      return;
    }
    const s = this.store.analyses.summary(id);
    if (s.state === 'interrupted') this.settle(id, 'cancelled');
  }

  /** Whether the analysis is queued or running here. */
  isActive(id: number): boolean {
    return this.current?.id === id || this.pending.includes(id);
  }

  whenIdle(): Promise<void> {
    if (this.current === null && this.pending.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Stops the worker; analyses still queued or running are left 'interrupted'. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const left = [...(this.current === null ? [] : [this.current.id]), ...this.pending.splice(0)];
    if (this.current?.killTimer) clearTimeout(this.current.killTimer);
    this.current = null;
    const w = this.worker;
    this.worker = null;
    await w?.terminate();
    if (this.store.isOpen && !this.store.readOnly)
      for (const id of left) {
        this.store.analyses.setState(id, 'interrupted');
        this.emitState(id);
      }
    this.wakeIdle();
  }

  private assertOpen(): void {
    if (this.closed) throw new ApiError('INTERNAL', 'the crash queue is closed');
    this.store.assertWritable();
  }

  private taskOf(id: number): CrashTask {
    const { params, vm } = this.store.analyses.inputs(id);
    const spec = VmSchema.parse(vm);
    const task: CrashTask = {
      vm: spec,
      params: CrashRequestSchema.parse(params),
      baseDir: path.dirname(this.store.path),
    };
    if (spec.workload.kind === 'trace') {
      const ref = embeddedTraceId(spec.workload.trace);
      if (ref !== null) task.embedded = this.store.traces.get(ref);
    }
    return task;
  }

  private ensureWorker(): Worker {
    if (this.worker !== null) return this.worker;
    const w = new Worker(this.options.workerScript ?? workerScript());
    w.on('message', (m: FromWorker) => this.onMessage(w, m));
    w.on('error', (err) => this.onWorkerGone(w, `worker failed: ${err.message}`));
    w.on('exit', (code) => this.onWorkerGone(w, `worker exited (code ${code})`));
    this.worker = w;
    return w;
  }

  private pump(): void {
    if (this.closed || this.current !== null) return;
    const id = this.pending.shift();
    if (id === undefined) {
      this.worker?.unref();
      this.wakeIdle();
      return;
    }
    let task: CrashTask;
    try {
      task = this.taskOf(id);
    } catch (err) {
      this.settle(id, 'failed', (err as Error).message);
      this.pump();
      return;
    }
    const now = performance.now();
    this.current = {
      id,
      taskId: this.nextTask++,
      startedAt: now,
      lastEmit: 0,
      cancelling: false,
      killTimer: null,
    };
    this.store.analyses.setState(id, 'running');
    this.emitState(id);
    const w = this.ensureWorker();
    w.ref();
    w.postMessage({
      type: 'crash',
      taskId: this.current.taskId,
      task,
      projectFile: this.store.readOnly ? null : this.store.path,
    } satisfies ToWorker);
  }

  private onMessage(w: Worker, m: FromWorker): void {
    const cur = this.current;
    if (w !== this.worker || cur === null || m.taskId !== cur.taskId) return;
    if (m.type === 'progress') {
      const now = performance.now();
      if (now - cur.lastEmit < PROGRESS_EVERY_MS) return;
      cur.lastEmit = now;
      const fraction = m.total !== null && m.total > 0 ? Math.min(1, m.done / m.total) : null;
      const elapsed = (now - cur.startedAt) / 1000;
      this.options.onEvent?.({
        event: 'analysis.progress',
        payload: {
          id: cur.id,
          percent: fraction === null ? null : 100 * fraction,
          references: m.done,
          etaSeconds:
            fraction !== null && fraction > 0 ? (elapsed * (1 - fraction)) / fraction : null,
        },
      });
      return;
    }
    if (m.type === 'crash-done') {
      if (cur.cancelling) this.finishCurrent('cancelled');
      else {
        try {
          this.store.analyses.finish(cur.id, m.report);
          this.finishCurrent('done');
        } catch (err) {
          this.finishCurrent('failed', `could not store the report: ${(err as Error).message}`);
        }
      }
      return;
    }
    if (m.type === 'error')
      this.finishCurrent(m.cancelled && cur.cancelling ? 'cancelled' : 'failed', m.message);
  }

  private onWorkerGone(w: Worker, why: string): void {
    if (w !== this.worker) return;
    this.worker = null;
    if (this.current !== null)
      this.finishCurrent(this.current.cancelling ? 'cancelled' : 'failed', why);
  }

  private finishCurrent(state: 'done' | 'failed' | 'cancelled', error?: string): void {
    const cur = this.current;
    if (cur === null) return;
    if (cur.killTimer !== null) clearTimeout(cur.killTimer);
    this.current = null;
    if (state === 'done') this.emitState(cur.id);
    else this.settle(cur.id, state, state === 'failed' ? (error ?? null) : null);
    this.pump();
  }

  private settle(id: number, state: 'failed' | 'cancelled', error: string | null = null): void {
    if (!this.store.isOpen) return;
    try {
      this.store.analyses.setState(id, state, error);
    } catch {
      return; // deleted meanwhile (analysis.remove cancels first)
    }
    this.emitState(id);
  }

  private wakeIdle(): void {
    if (this.current !== null || this.pending.length > 0) return;
    for (const w of this.idleWaiters.splice(0)) w();
  }

  private emitState(id: number): void {
    if (this.options.onEvent === undefined || !this.store.isOpen) return;
    let payload: AnalysisSummary;
    try {
      payload = this.store.analyses.summary(id);
    } catch {
      return; // deleted meanwhile
    }
    this.options.onEvent({ event: 'analysis.state', payload });
  }
}
