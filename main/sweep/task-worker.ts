/** Worker thread of the local sweep pool: computes the tasks it is sent and stores their files. */
import { parentPort } from 'node:worker_threads';
import { computeAndStore } from './compute.js';
import type { FromSweepWorker, ToSweepWorker } from './pool-protocol.js';

const port = parentPort;
if (port === null) throw new Error('task-worker.js must run in a worker thread');

let current: AbortController | null = null;
const PROGRESS_EVERY_MS = 100;

port.on('message', (m: ToSweepWorker) => {
  if (m.type === 'cancel') {
    current?.abort();
    return;
  }
  const ac = new AbortController();
  current = ac;
  let last = 0;
  computeAndStore(m.dir, m.task, {
    signal: ac.signal,
    onProgress(done, total) {
      const now = performance.now();
      if (now - last < PROGRESS_EVERY_MS) return;
      last = now;
      port.postMessage({ type: 'progress', done, total: total ?? null } satisfies FromSweepWorker);
    },
  }).then(
    (outcome) => port.postMessage({ type: 'outcome', outcome } satisfies FromSweepWorker),
    (err: unknown) =>
      port.postMessage({
        type: 'outcome',
        outcome: { state: 'failed', message: err instanceof Error ? err.message : String(err) },
      } satisfies FromSweepWorker),
  );
});
