import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RankHistogram, ShardsCurve } from '../../../main/engine/mrc/shards-curve.js';
import { HashMaxHeap } from '../../../main/engine/mrc/shards-heap.js';

describe('HashMaxHeap', () => {
  it('pops pages in order of decreasing hash', () => {
    fc.assert(
      fc.property(
        fc.array(fc.option(fc.nat({ max: 1000 }), { freq: 3 }), { maxLength: 300, size: 'max' }),
        (ops) => {
          const heap = new HashMaxHeap(1);
          const model: { hash: number; page: number }[] = [];
          ops.forEach((hash, page) => {
            if (hash !== null) {
              heap.push(hash, page);
              model.push({ hash, page });
            } else {
              const top = Math.max(-1, ...model.map((e) => e.hash));
              expect(heap.topHash()).toBe(top);
              const got = heap.pop();
              if (top < 0) {
                expect(got).toBe(-1);
              } else {
                const at = model.findIndex((e) => e.page === got);
                expect(model[at].hash).toBe(top);
                model.splice(at, 1);
              }
            }
            expect(heap.size).toBe(model.length);
          });
        },
      ),
    );
  });
});

describe('RankHistogram', () => {
  it('widens its buckets, keeping every weight in the bucket of its rank', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.double({ min: 0, max: 1e6, noNaN: true }), fc.nat({ max: 9 })), {
          maxLength: 200,
          size: 'max',
        }),
        (adds) => {
          const h = new RankHistogram(8);
          for (const [rank, w] of adds) h.add(rank, w);
          expect(h.length).toBeLessThanOrEqual(8);
          const expected = new Float64Array(8);
          for (const [rank, w] of adds) expected[Math.floor(rank / h.width)] += w;
          expect([...h.counts.subarray(0, 8)]).toEqual([...expected]);
        },
      ),
    );
  });
});

describe('ShardsCurve', () => {
  it('adds adj to rank 0 and clamps misses to the reference count', () => {
    // Sampled ranks at R = 1/2: two cold, one rank 0, one rank 3; N = 10 so adj = 5 - 4 = 1.
    const hist = new Float64Array([1, 0, 0, 1]);
    const curve = new ShardsCurve(hist, 4, 2, 1, 10, 2, 2);
    expect([0, 1, 2, 6, 7, 100].map((s) => curve.missesAt(s))).toEqual([10, 6, 6, 6, 4, 4]);
    expect(curve.footprint).toBe(8);
    expect(curve.adjustment).toBe(2);
    // A negative adj (more sampled references than expected) would push misses above N.
    const over = new ShardsCurve(new Float64Array([0, 6]), 2, 3, -4, 10, 2, 2);
    expect([0, 1, 2, 3].map((s) => over.missesAt(s))).toEqual([10, 10, 10, 6]);
  });
});
