import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { haveTestTraces, testTrace } from '../../support/test-traces.js';
import { ExactMrc } from '../../../main/engine/mrc/exact.js';
import type { HistogramCurve } from '../../../main/engine/mrc/curve.js';
import { chunksOf, traceFromPages } from '../../../main/engine/trace/chunk.js';

/** The CloudPhysics sample from the HCLAB_TEST_TRACES folder (GPL data, not shipped). */
const TRACE = testTrace('cloudPhysicsIO.txt');

describe.skipIf(!haveTestTraces())('ExactMrc on cloudPhysicsIO (libCacheSim test values)', () => {
  let curve: HistogramCurve;

  beforeAll(() => {
    const ids = new Map<string, number>();
    const pages: number[] = [];
    for (const line of readFileSync(TRACE, 'utf8').split('\n')) {
      const key = line.trim();
      if (key === '') continue;
      let id = ids.get(key);
      if (id === undefined) ids.set(key, (id = ids.size));
      pages.push(id);
    }
    const mrc = new ExactMrc();
    for (const c of chunksOf(traceFromPages(pages))) mrc.feed(c);
    curve = mrc.curve();
  });

  it('has the LRU hits of libCacheSim at small and unbounded sizes', () => {
    const hits = [1, 2, 3, 4, 5, 20, Number.POSITIVE_INFINITY].map(
      (s) => curve.references - curve.missesAt(s),
    );
    expect(hits).toEqual([2685, 3347, 3908, 4666, 4904, 8311, 64898]);
  });

  it('has the LRU misses of libCacheSim at 128..1024 pages', () => {
    const misses = [128, 256, 384, 512, 640, 768, 896, 1024].map((s) => curve.missesAt(s));
    expect(misses).toEqual([99411, 96397, 95652, 95370, 95182, 94997, 94891, 94816]);
  });
});
