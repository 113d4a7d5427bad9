/**
 * One pass of a reference stream through many (policy, size) caches, split across worker threads:
 * every worker gets a copy of each chunk's page ids and runs its share of the caches.
 */
import os from 'node:os';
import { throwIfCancelled, type RunControl } from '../engine/control.js';
import { SizeSweep, type SweepResult, type SweepSpec } from '../engine/policy/size-sweep.js';
import { guestReferences, releaseChunk, type RefChunk } from '../engine/trace/chunk.js';
import { ChunkWorker, serviceWorkerScript } from './chunk-worker.js';

/** Default worker threads: one per core, at most one per cache. */
export function defaultSweepWorkers(caches: number): number {
  return Math.max(1, Math.min(caches, os.availableParallelism()));
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
  const script = serviceWorkerScript('size-sweep-worker.js');
  const pool = shares.map(
    (idx) =>
      new ChunkWorker<SweepSpec[], SweepResult[]>(
        script,
        idx.map((i) => specs[i]),
      ),
  );
  try {
    for await (const chunk of chunks) {
      throwIfCancelled(control);
      const refs = guestReferences(chunk);
      const pages = refs.pages.subarray(0, refs.length);
      const sent = pool.map((w) => w.send(pages.slice()));
      releaseChunk(chunk);
      await Promise.all(sent);
    }
    const parts = await Promise.all(pool.map((w) => w.end()));
    const out: SweepResult[] = new Array<SweepResult>(specs.length);
    shares.forEach((idx, w) => idx.forEach((i, k) => (out[i] = parts[w][k])));
    return out;
  } finally {
    await Promise.all(pool.map((w) => w.terminate()));
  }
}
