import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ExactMrc } from '../../../main/engine/mrc/exact.js';
import { chunksOf, traceFromPages } from '../../../main/engine/trace/chunk.js';

/** Misses of an LRU cache of `size` pages, simulated with a plain array (most recent first). */
function bruteLruMisses(pages: readonly number[], size: number, warmup: number): number {
  const stack: number[] = [];
  let misses = 0;
  pages.forEach((p, i) => {
    const at = stack.indexOf(p);
    if (at >= 0) stack.splice(at, 1);
    else if (i >= warmup) misses++;
    stack.unshift(p);
    if (stack.length > size) stack.pop();
  });
  return misses;
}

/** Renumbers pages densely in order of first appearance (the RefChunk contract). */
function dense(raw: readonly number[]): number[] {
  const ids = new Map<number, number>();
  return raw.map((p) => {
    let id = ids.get(p);
    if (id === undefined) ids.set(p, (id = ids.size));
    return id;
  });
}

const traceArb = fc
  .record({
    space: fc.integer({ min: 1, max: 50 }),
    raw: fc.array(fc.nat(), { maxLength: 400, size: 'max' }),
    warmup: fc.oneof(fc.constant(0), fc.nat({ max: 450 })),
    chunk: fc.integer({ min: 1, max: 64 }),
  })
  .map(({ space, raw, warmup, chunk }) => ({
    pages: dense(raw.map((x) => x % space)),
    warmup,
    chunk,
  }));

describe('ExactMrc', () => {
  it('equals a brute-force LRU simulation at every size', () => {
    fc.assert(
      fc.property(traceArb, ({ pages, warmup, chunk }) => {
        const mrc = new ExactMrc(warmup, 1);
        for (const c of chunksOf(traceFromPages(pages), chunk)) mrc.feed(c);
        const curve = mrc.curve();
        const distinct = new Set(pages).size;
        expect(mrc.distinct).toBe(distinct);
        expect(curve.references).toBe(Math.max(0, pages.length - warmup));
        for (let s = 0; s <= distinct + 1; s++) {
          expect(curve.missesAt(s), `size ${s}`).toBe(bruteLruMisses(pages, s, warmup));
        }
      }),
      { numRuns: 300 },
    );
  });

  it('is flat past its footprint and NaN outside its domain', () => {
    const mrc = new ExactMrc();
    for (const c of chunksOf(traceFromPages([0, 1, 2, 0, 1, 2, 0]))) mrc.feed(c);
    const curve = mrc.curve();
    expect(curve.footprint).toBe(3);
    expect([0, 1, 2, 3, 4, 1e9].map((s) => curve.missesAt(s))).toEqual([7, 7, 7, 3, 3, 3]);
    expect(curve.missesAt(-1)).toBeNaN();
  });
});
