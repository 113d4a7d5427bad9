/**
 * Worker thread for one heavy API call (alloc.compute, crash.run, report.export's files): opens
 * the project file itself (read-only; crash's hv-log gets its own connection), computes, posts
 * the result and ends. The main thread stays free to answer other calls and signals; cancelling
 * terminates the worker. An allocation posts progress messages (its steps, throttled) before
 * its result.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { ApiError } from '../../../shared/api/errors.js';
import { TraceInputError } from '../../engine/trace/errors.js';
import { openDatabase } from '../../store/sqlite.js';
import { ProjectStore } from '../../store/project-store.js';
import { computeAllocation } from '../api/alloc.js';
import { computeCrash, crashTaskOf } from '../api/crash.js';
import { buildReportParts } from '../api/report.js';
import { jobProgressControl } from './job-progress.js';
import type { FromJob, JobRequest } from './protocol.js';

if (parentPort === null) throw new Error('job-worker.js must run in a worker thread');
const port = parentPort;

async function run(job: JobRequest): Promise<unknown> {
  const store = ProjectStore.open(job.project, { readOnly: true });
  try {
    if (job.kind === 'alloc') {
      const control = jobProgressControl((p) => port.postMessage(p satisfies FromJob));
      return await computeAllocation(store, job.params, control);
    }
    if (job.kind === 'report') return await buildReportParts(store, job.project, job.params);
    const db = job.readOnly ? undefined : openDatabase(job.project, { fileMustExist: true });
    try {
      db?.pragma('busy_timeout = 5000');
      const control = jobProgressControl((p) => port.postMessage(p satisfies FromJob));
      return await computeCrash(crashTaskOf(store, job.params), db, control);
    } finally {
      db?.close();
    }
  } finally {
    store.close();
  }
}

run(workerData as JobRequest).then(
  (result) => port.postMessage({ type: 'done', result } satisfies FromJob),
  (err: unknown) => {
    const e = err instanceof Error ? err : new Error(String(err));
    const reply: FromJob = { type: 'error', name: e.name, message: e.message };
    if (err instanceof ApiError) reply.code = err.code;
    if (err instanceof TraceInputError)
      reply.trace = {
        file: err.file,
        location: err.location,
        expected: err.expected,
        got: err.got,
      };
    port.postMessage(reply);
  },
);
