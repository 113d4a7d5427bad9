/**
 * Runs heavy API calls (allocation, adaptive allocation, crash analysis) in worker threads so the
 * event loop that serves the API and listens for signals is never blocked. Each call gets its own
 * worker; `close` terminates them all (the service closes it on shutdown). A job started with an
 * id passes its progress messages on and can be cancelled by that id (job.cancel): its worker is
 * terminated, which stops even a synchronous loop, and the call fails with CANCELLED.
 */
import { Worker } from 'node:worker_threads';
import { ApiError, API_ERROR_CODES, type ApiErrorCode } from '../../../shared/api/errors.js';
import { TraceInputError } from '../../engine/trace/errors.js';
import type { FromJob, JobProgressMessage, JobRequest } from './protocol.js';
import { workerScript } from '../worker-script.js';

export interface JobOptions {
  /** The caller's name for the job (job.cancel); unique among running jobs. */
  id?: string;
  /** Progress of the job's current step, about 10 times a second. */
  onProgress?: (p: Omit<JobProgressMessage, 'type'>) => void;
}

/** The worker script: next to this module when compiled; from dist/ when running TS sources. */
export function jobScript(): URL {
  return workerScript(import.meta.url, 'job-worker.js');
}

function errorOf(m: Extract<FromJob, { type: 'error' }>): Error {
  if (m.code !== undefined && (API_ERROR_CODES as readonly string[]).includes(m.code))
    return new ApiError(m.code as ApiErrorCode, m.message);
  if (m.trace !== undefined)
    return new TraceInputError(m.trace.file, m.trace.location, m.trace.expected, m.trace.got);
  const err = new Error(m.message);
  err.name = m.name; // keeps TraceInputError, LimitError… recognisable as bad input
  return err;
}

export class JobRunner {
  private readonly active = new Set<Worker>();
  /** Running jobs by id, with what cancels them. */
  private readonly byId = new Map<string, () => void>();
  private closed = false;

  /** Number of jobs running now. */
  get running(): number {
    return this.active.size;
  }

  run<T>(job: JobRequest, options: JobOptions = {}): Promise<T> {
    if (this.closed) return Promise.reject(new ApiError('CANCELLED', 'the service is closing'));
    const { id, onProgress } = options;
    if (id !== undefined && this.byId.has(id))
      return Promise.reject(
        new ApiError('BAD_INPUT', `jobId: a job named '${id}' is already running`),
      );
    const worker = new Worker(jobScript(), { workerData: job });
    this.active.add(worker);
    return new Promise<T>((resolve, reject) => {
      let settled = false;
      let stopped = `${job.kind}: stopped before it finished`;
      const stop = (): void => {
        stopped = `${job.kind}: cancelled (job.cancel ${id})`;
        void worker.terminate();
      };
      if (id !== undefined) this.byId.set(id, stop);
      worker.on('message', (m: FromJob) => {
        if (settled) return;
        if (m.type === 'progress') {
          const { type: _type, ...p } = m;
          onProgress?.(p);
          return;
        }
        settled = true;
        // Finished: no longer cancellable, and its id is free for a new job.
        if (id !== undefined && this.byId.get(id) === stop) this.byId.delete(id);
        if (m.type === 'done') resolve(m.result as T);
        else reject(errorOf(m));
        void worker.terminate();
      });
      worker.on('error', (err) => {
        settled = true;
        if (id !== undefined && this.byId.get(id) === stop) this.byId.delete(id);
        reject(err);
      });
      worker.on('exit', () => {
        this.active.delete(worker);
        if (id !== undefined && this.byId.get(id) === stop) this.byId.delete(id);
        if (!settled) reject(new ApiError('CANCELLED', stopped));
      });
    });
  }

  /** Stops the running job named `id` (its caller gets CANCELLED); false when there is none. */
  cancel(id: string): boolean {
    const stop = this.byId.get(id);
    if (stop === undefined) return false;
    this.byId.delete(id);
    stop();
    return true;
  }

  /** Terminates every running job (their callers get CANCELLED). */
  async close(): Promise<void> {
    this.closed = true;
    await Promise.all([...this.active].map((w) => w.terminate()));
  }
}
