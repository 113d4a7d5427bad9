/**
 * Runs heavy API calls (allocation, adaptive allocation, crash analysis) in worker threads so the
 * event loop that serves the API and listens for signals is never blocked. Each call gets its own
 * worker; `close` terminates them all (the service closes it on shutdown).
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { ApiError, API_ERROR_CODES, type ApiErrorCode } from '../../../shared/api/errors.js';
import { TraceInputError } from '../../engine/trace/errors.js';
import type { FromJob, JobRequest } from './protocol.js';

/** The worker script: next to this module when compiled; from dist/ when running TS sources. */
export function jobScript(): URL {
  const here = new URL('./job-worker.js', import.meta.url);
  if (existsSync(fileURLToPath(here))) return here;
  const dist = new URL('../../../dist/main/service/jobs/job-worker.js', import.meta.url);
  if (existsSync(fileURLToPath(dist))) return dist;
  throw new Error(`${fileURLToPath(here)} is missing: run npm run build`);
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
  private closed = false;

  /** Number of jobs running now. */
  get running(): number {
    return this.active.size;
  }

  run<T>(job: JobRequest): Promise<T> {
    if (this.closed) return Promise.reject(new ApiError('CANCELLED', 'the service is closing'));
    const worker = new Worker(jobScript(), { workerData: job });
    this.active.add(worker);
    return new Promise<T>((resolve, reject) => {
      let settled = false;
      worker.on('message', (m: FromJob) => {
        settled = true;
        if (m.type === 'done') resolve(m.result as T);
        else reject(errorOf(m));
        void worker.terminate();
      });
      worker.on('error', (err) => {
        settled = true;
        reject(err);
      });
      worker.on('exit', () => {
        this.active.delete(worker);
        if (!settled) reject(new ApiError('CANCELLED', `${job.kind}: stopped before it finished`));
      });
    });
  }

  /** Terminates every running job (their callers get CANCELLED). */
  async close(): Promise<void> {
    this.closed = true;
    await Promise.all([...this.active].map((w) => w.terminate()));
  }
}
