/** Worker thread: runs steps (one VM each) sent by the run manager; never touches the project. */
import { parentPort } from 'node:worker_threads';
import type { FromWorker, ToWorker } from './protocol.js';
import { computeCrash } from '../api/crash.js';
import { openDatabase } from '../../store/sqlite.js';
import { runStep } from './step.js';

const PROGRESS_EVERY_MS = 50;
const port = parentPort;
if (port === null) throw new Error('run-worker.js must run in a worker thread');

const controllers = new Map<number, AbortController>();

function post(m: FromWorker): void {
  port!.postMessage(m);
}

port.on('message', (m: ToWorker) => {
  if (m.type === 'cancel') {
    controllers.get(m.taskId)?.abort();
    return;
  }
  const ac = new AbortController();
  controllers.set(m.taskId, ac);
  let last = 0;
  let input: number | null = null;
  const control = {
    signal: ac.signal,
    onInput(bytes: number, total: number) {
      if (total > 0) input = Math.min(1, bytes / total);
    },
    onProgress(done: number, total: number | undefined) {
      const now = performance.now();
      if (now - last < PROGRESS_EVERY_MS) return;
      last = now;
      post({ type: 'progress', taskId: m.taskId, done, total: total ?? null, input });
    },
  };
  const job: Promise<FromWorker> =
    m.type === 'crash'
      ? crashJob(m.task, m.projectFile, control).then((report) => ({
          type: 'crash-done',
          taskId: m.taskId,
          report,
        }))
      : runStep(m.task, control).then((result) => ({ type: 'done', taskId: m.taskId, result }));
  job
    .then(
      (done) => post(done),
      (err: unknown) =>
        post({
          type: 'error',
          taskId: m.taskId,
          cancelled: ac.signal.aborted || (err as Error)?.name === 'CancelledError',
          message: err instanceof Error ? err.message : String(err),
        }),
    )
    .finally(() => controllers.delete(m.taskId));
});

/** A crash analysis; hv-log keeps its log in the project file (its own connection, WAL). */
async function crashJob(
  task: Parameters<typeof computeCrash>[0],
  projectFile: string | null,
  control: Parameters<typeof computeCrash>[2],
): ReturnType<typeof computeCrash> {
  const db = projectFile === null ? undefined : openDatabase(projectFile, { fileMustExist: true });
  try {
    db?.pragma('busy_timeout = 5000');
    db?.pragma('foreign_keys = ON');
    return await computeCrash(task, db, control);
  } finally {
    db?.close();
  }
}
