/**
 * One pass of a reference stream through many (policy, size) caches, split across worker threads:
 * every worker gets a copy of each chunk's page ids and runs its share of the caches.
 */
import { existsSync } from 'node:fs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { throwIfCancelled, type RunControl } from '../engine/control.js';
import { SizeSweep, type SweepResult, type SweepSpec } from '../engine/policy/size-sweep.js';
import { guestReferences, releaseChunk, type RefChunk } from '../engine/trace/chunk.js';

/** Chunks a worker may have queued before the reader waits for it. */
const IN_FLIGHT = 8;

function workerScript(): URL {
  const here = new URL('./size-sweep-worker.js', import.meta.url);
  if (existsSync(fileURLToPath(here))) return here;
  const dist = new URL('../../dist/main/service/size-sweep-worker.js', import.meta.url);
  if (existsSync(fileURLToPath(dist))) return dist;
  throw new Error(`${fileURLToPath(here)} is missing: run npm run build`);
}

/** Default worker threads: one per core, at most one per cache. */
export function defaultSweepWorkers(caches: number): number {
  return Math.max(1, Math.min(caches, os.availableParallelism()));
}

class SweepWorker {
  readonly worker: Worker;
  private inFlight = 0;
  private nextId = 0;
  private wake: (() => void) | null = null;
  private failure: Error | null = null;
  readonly results: Promise<SweepResult[]>;

  constructor(specs: SweepSpec[]) {
    this.worker = new Worker(workerScript());
    this.results = new Promise((resolve, reject) => {
      this.worker.on('message', (m: { type: string; results?: SweepResult[] }) => {
        if (m.type === 'ack') {
          this.inFlight--;
          this.wake?.();
        } else if (m.type === 'results') resolve(m.results ?? []);
      });
      this.worker.on('error', (err) => {
        this.failure = err;
        this.wake?.();
        reject(err);
      });
    });
    this.results.catch(() => undefined);
    this.worker.postMessage({ type: 'init', specs });
  }

  async send(pages: Int32Array): Promise<void> {
    while (this.inFlight >= IN_FLIGHT && this.failure === null)
      await new Promise<void>((r) => (this.wake = r));
    if (this.failure !== null) throw this.failure;
    this.inFlight++;
    this.worker.postMessage({ type: 'chunk', pages, id: this.nextId++ }, [
      pages.buffer as ArrayBuffer,
    ]);
  }

  end(): void {
    this.worker.postMessage({ type: 'end' });
  }
}

/**
 * Runs every spec over the stream's references of guest memory (direct-I/O writes bypass the
 * caches: see guestReferences), reading it once. `workers` = 0 runs in this thread; otherwise
 * the specs are dealt round-robin to that many worker threads. Results are in the order of specs.
 */
export async function runSizeSweep(
  chunks: AsyncIterable<RefChunk> | Iterable<RefChunk>,
  specs: readonly SweepSpec[],
  workers = defaultSweepWorkers(specs.length),
  control?: RunControl,
): Promise<SweepResult[]> {
  if (workers <= 0) {
    const sweep = new SizeSweep(specs);
    for await (const chunk of chunks) {
      throwIfCancelled(control);
      const refs = guestReferences(chunk);
      sweep.feed(refs.pages, refs.length);
      releaseChunk(chunk);
    }
    return sweep.results();
  }
  const n = Math.min(workers, specs.length);
  const shares: number[][] = Array.from({ length: n }, () => []);
  specs.forEach((_, i) => shares[i % n].push(i));
  const pool = shares.map((idx) => new SweepWorker(idx.map((i) => specs[i])));
  try {
    for await (const chunk of chunks) {
      throwIfCancelled(control);
      const refs = guestReferences(chunk);
      const pages = refs.pages.subarray(0, refs.length);
      const sent = pool.map((w) => w.send(pages.slice()));
      releaseChunk(chunk);
      await Promise.all(sent);
    }
    for (const w of pool) w.end();
    const parts = await Promise.all(pool.map((w) => w.results));
    const out: SweepResult[] = new Array<SweepResult>(specs.length);
    shares.forEach((idx, w) => idx.forEach((i, k) => (out[i] = parts[w][k])));
    return out;
  } finally {
    await Promise.all(pool.map((w) => w.worker.terminate()));
  }
}
