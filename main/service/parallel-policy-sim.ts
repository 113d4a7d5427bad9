/**
 * The `policy` method across worker threads: the sizes are split over the workers (largest
 * first, round robin), the main thread copies each chunk's pages once into shared memory and
 * hands the same buffer to every worker, so one pass over the trace feeds all simulations.
 * With one worker (or one size) it runs in the calling thread.
 */
import os from 'node:os';
import { Worker } from 'node:worker_threads';
import { PointsCurve } from '../engine/mrc/points-curve.js';
import { PolicySimMrc } from '../engine/mrc/policy-sim.js';
import type { PolicyName } from '../engine/policy/policy.js';
import type { RefChunk } from '../engine/trace/chunk.js';
import type { FromPolicyWorker, ToPolicyWorker } from './policy-worker.js';
import { findWorkerScript } from './worker-script.js';

/** The worker script: next to this module when compiled; from dist/ when running TS sources. */
function policyWorkerScript(): URL | null {
  return findWorkerScript(import.meta.url, 'policy-worker.js');
}

/** Workers used by default: one per core (the main thread mostly waits), at most one per size. */
export function policyWorkerCount(sizes: number): number {
  return Math.max(1, Math.min(sizes, os.availableParallelism()));
}

export class ParallelPolicySim {
  private readonly local: PolicySimMrc | null = null;
  private readonly workers: Worker[] = [];
  private readonly shares: number[][] = [];
  private readonly results: Promise<{ misses: number[]; references: number }>[] = [];

  constructor(
    readonly policy: PolicyName,
    readonly sizes: readonly number[],
    private readonly warmup = 0,
    workers = policyWorkerCount(sizes.length),
  ) {
    const script = workers > 1 ? policyWorkerScript() : null;
    if (script === null) {
      this.local = new PolicySimMrc(policy, sizes, warmup);
      return;
    }
    // Validate in this thread first (clear errors), then split the sizes.
    new PolicySimMrc(policy, [], warmup);
    const order = sizes.map((s, i) => i).sort((a, b) => sizes[b] - sizes[a]);
    for (let w = 0; w < workers; w++) this.shares.push([]);
    order.forEach((i, k) => this.shares[k % workers].push(i));
    for (const share of this.shares) {
      const worker = new Worker(script);
      this.workers.push(worker);
      this.results.push(
        new Promise((resolve, reject) => {
          worker.on('message', (m: FromPolicyWorker) => {
            if (m.type === 'done') resolve(m);
            else reject(new Error(m.message));
          });
          worker.on('error', reject);
        }),
      );
      const init: ToPolicyWorker = {
        type: 'init',
        policy,
        sizes: share.map((i) => sizes[i]),
        warmup,
      };
      worker.postMessage(init);
    }
  }

  /** Threads used (1: the calling thread). */
  get threads(): number {
    return this.local !== null ? 1 : this.shares.length;
  }

  feed(chunk: RefChunk): void {
    if (this.local !== null) {
      this.local.feed(chunk);
      return;
    }
    const n = chunk.length;
    const buf = new SharedArrayBuffer(4 * n);
    new Int32Array(buf).set(chunk.pages.subarray(0, n));
    const m: ToPolicyWorker = { type: 'chunk', pages: buf, length: n };
    for (const w of this.workers) w.postMessage(m);
  }

  async curve(): Promise<PointsCurve> {
    if (this.local !== null) return this.local.curve();
    for (const w of this.workers) w.postMessage({ type: 'end' } satisfies ToPolicyWorker);
    try {
      const done = await Promise.all(this.results);
      const misses = new Float64Array(this.sizes.length);
      done.forEach((d, w) => this.shares[w].forEach((i, k) => (misses[i] = d.misses[k])));
      return new PointsCurve('policy', done[0]?.references ?? 0, this.sizes, misses);
    } finally {
      await this.close();
    }
  }

  /** Stops the workers (also after an error or cancellation). */
  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
    this.workers.length = 0;
  }
}
