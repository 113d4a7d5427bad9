/** Worker thread: runs steps (one VM each) sent by the run manager; never touches the project. */
import { parentPort } from 'node:worker_threads';
import type { FromWorker, ToWorker } from './protocol.js';
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
  runStep(m.task, {
    signal: ac.signal,
    onInput(bytes, total) {
      if (total > 0) input = Math.min(1, bytes / total);
    },
    onProgress(done, total) {
      const now = performance.now();
      if (now - last < PROGRESS_EVERY_MS) return;
      last = now;
      post({ type: 'progress', taskId: m.taskId, done, total: total ?? null, input });
    },
  })
    .then(
      (result) => post({ type: 'done', taskId: m.taskId, result }),
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
