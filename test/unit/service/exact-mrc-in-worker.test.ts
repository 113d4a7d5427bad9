/**
 * The exact MRC in a worker thread (what `hclab mrc --method exact` and the API run) against the
 * same pass in the calling thread, and against a brute-force LRU stack on a small stream, over many
 * more chunks than the worker may queue (the reader waits for it), released and refilled as they go;
 * failures and early stops end the worker with a clear error instead of a hang.
 */
import { describe, expect, it } from 'vitest';
import { ExactMrc } from '../../../main/engine/mrc/exact.js';
import { releaseChunk, type RefChunk } from '../../../main/engine/trace/chunk.js';
import { openTrace } from '../../../main/engine/trace/index.js';
import { IN_FLIGHT } from '../../../main/service/chunk-worker.js';
import { ExactMrcInWorker } from '../../../main/service/exact-mrc-in-worker.js';

const W106 = new URL('../../../examples/traces/w106.trace.xz', import.meta.url).pathname;

/** Misses of an LRU memory of `size` pages, by moving pages in a plain array. */
function bruteForceMisses(pages: number[], size: number, warmup: number): number {
  const stack: number[] = [];
  let misses = 0;
  pages.forEach((p, i) => {
    const at = stack.indexOf(p);
    if (at < 0 || at >= size) {
      if (i >= warmup) misses++;
    }
    if (at >= 0) stack.splice(at, 1);
    stack.unshift(p);
  });
  return misses;
}

describe('the exact MRC in a worker thread', () => {
  it('gives the in-thread counts on a real trace, over many small released chunks', async () => {
    const warmup = 5000;
    const source = await openTrace(W106, { chunkRefs: 1024, limit: 200_000 });
    const inWorker = new ExactMrcInWorker(warmup);
    const here = new ExactMrc(warmup);
    let chunks = 0;
    for await (const chunk of source.chunks()) {
      here.feed(chunk);
      await inWorker.feed(chunk);
      releaseChunk(chunk); // its arrays are refilled with the next references
      chunks++;
    }
    expect(chunks).toBeGreaterThan(20 * IN_FLIGHT);
    const { curve, distinct } = await inWorker.finish();
    const expected = here.curve();
    expect(distinct).toBe(here.distinct);
    expect(curve.references).toBe(200_000 - warmup);
    for (const size of [0, 1, 10, 100, 1000, 5000, 20_000, 10 ** 6])
      expect(curve.missesAt(size)).toBe(expected.missesAt(size));
  });

  it('matches a brute-force LRU stack', async () => {
    const pages: number[] = [];
    let x = 7;
    for (let i = 0; i < 4000; i++) {
      x = (Math.imul(x, 1103515245) + 12345) >>> 0;
      pages.push((x >>> 10) % (i % 3 === 0 ? 400 : 60));
    }
    const inWorker = new ExactMrcInWorker(100);
    for (let at = 0; at < pages.length; at += 333) {
      const part = Int32Array.from(pages.slice(at, at + 333));
      const chunk: RefChunk = {
        pages: part,
        ops: new Uint8Array(part.length),
        times: null,
        length: part.length,
      };
      await inWorker.feed(chunk);
    }
    const { curve } = await inWorker.finish();
    for (const size of [1, 5, 30, 60, 61, 200, 400])
      expect(curve.missesAt(size)).toBe(bruteForceMisses(pages, size, 100));
  });

  it('reports a failure in the worker as an error with its name', async () => {
    const bad = new ExactMrcInWorker(0, 2 ** 40); // too many pages for a typed array
    const chunk: RefChunk = {
      pages: Int32Array.of(1, 2),
      ops: new Uint8Array(2),
      times: null,
      length: 2,
    };
    const outcome = await bad
      .feed(chunk)
      .then(() => bad.finish())
      .catch((e: unknown) => e);
    expect(outcome).toBeInstanceOf(Error);
    expect((outcome as Error).name).toBe('RangeError');
  });

  it('ends at once when stopped before the end (a cancelled analysis)', async () => {
    const stopped = new ExactMrcInWorker();
    const chunk: RefChunk = {
      pages: Int32Array.of(1, 2, 3),
      ops: new Uint8Array(3),
      times: null,
      length: 3,
    };
    await stopped.feed(chunk);
    await stopped.terminate();
    await expect(stopped.finish()).rejects.toThrow(/worker thread stopped/);
  });
});
