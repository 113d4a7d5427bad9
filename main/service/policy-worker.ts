/**
 * Worker thread of the `policy` method: simulates the guest policy at its share of the sizes on
 * the chunks the main thread broadcasts (pages in shared memory, one copy for all workers).
 */
import { parentPort } from 'node:worker_threads';
import { PolicySimMrc } from '../engine/mrc/policy-sim.js';
import type { PolicyName } from '../engine/policy/policy.js';

export type ToPolicyWorker =
  | { type: 'init'; policy: PolicyName; sizes: number[]; warmup: number }
  | { type: 'chunk'; pages: SharedArrayBuffer; length: number }
  | { type: 'end' };

export type FromPolicyWorker =
  { type: 'done'; misses: number[]; references: number } | { type: 'error'; message: string };

const port = parentPort;
if (port === null) throw new Error('policy-worker.js must run in a worker thread');
let sim: PolicySimMrc | null = null;
const noOps = new Uint8Array(0);

port.on('message', (m: ToPolicyWorker) => {
  try {
    if (m.type === 'init') {
      sim = new PolicySimMrc(m.policy, m.sizes, m.warmup);
    } else if (m.type === 'chunk') {
      const pages = new Int32Array(m.pages, 0, m.length);
      sim?.feed({ pages, ops: noOps, times: null, length: m.length });
    } else {
      const done: FromPolicyWorker = {
        type: 'done',
        misses: Array.from(sim?.missCounts() ?? []),
        references: sim?.references ?? 0,
      };
      port.postMessage(done);
    }
  } catch (err) {
    const e: FromPolicyWorker = {
      type: 'error',
      message: err instanceof Error ? err.message : String(err),
    };
    port.postMessage(e);
  }
});
