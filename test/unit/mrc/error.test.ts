import { describe, expect, it } from 'vitest';
import type { MissCurve } from '../../../main/engine/mrc/curve.js';
import { curveFootprint, errorAt, meanAbsoluteError } from '../../../main/engine/mrc/error.js';
import { ExactMrc } from '../../../main/engine/mrc/exact.js';
import { chunksOf, traceFromPages } from '../../../main/engine/trace/chunk.js';

/**
 * Trace 0 1 0 2 1 0: ranks cold, cold, 1, cold, 2, 2. Misses by size 0..3: 6 6 5 3, flat
 * after 3 (footprint 3); miss ratios 1, 1, 5/6, 1/2.
 */
function exactCurve(): MissCurve {
  const mrc = new ExactMrc();
  for (const c of chunksOf(traceFromPages([0, 1, 0, 2, 1, 0]))) mrc.feed(c);
  return mrc.curve();
}

function tableCurve(references: number, misses: number[], minSize = 0): MissCurve {
  return {
    method: 'hypervisor',
    references,
    minSize,
    maxSize: Number.POSITIVE_INFINITY,
    missesAt: (s) => (s < minSize ? Number.NaN : misses[Math.min(s, misses.length - 1)]),
  };
}

describe('meanAbsoluteError', () => {
  const exact = exactCurve();

  it('averages |miss ratio error| over sizes 1..footprint by default', () => {
    // Ratios 5/6, 5/6, 1/2 against 1, 5/6, 1/2: errors 1/6, 0, 0.
    const r = meanAbsoluteError(tableCurve(6, [6, 5, 5, 3]), exact);
    expect(r.sizesCompared).toBe(3);
    expect(r.mae).toBeCloseTo(1 / 18, 12);
    expect(meanAbsoluteError(exact, exact)).toEqual({
      mae: 0,
      sizesCompared: 3,
      firstSize: 1,
      lastSize: 3,
    });
  });

  it('compares miss ratios, each over its own reference count', () => {
    expect(meanAbsoluteError(tableCurve(12, [12, 12, 10, 6]), exact).mae).toBe(0);
  });

  it('skips sizes where the curve is unknown', () => {
    // Defined from 2: errors |4/6 - 5/6| and |4/6 - 3/6|.
    const r = meanAbsoluteError(tableCurve(6, [Number.NaN, Number.NaN, 4]), exact);
    expect(r.sizesCompared).toBe(2);
    expect(r.mae).toBeCloseTo(1 / 6, 12);
    const hv = tableCurve(6, [Number.NaN, Number.NaN, 4], 2);
    expect(meanAbsoluteError(hv, exact)).toEqual(r);
  });

  it('uses the given sizes, skipping NaN, and is NaN with nothing to compare', () => {
    // Sizes 0 (unknown), 1 (error 1/3), 10 (error 0).
    const r = meanAbsoluteError(tableCurve(6, [Number.NaN, 4, 5, 3]), exact, [0, 1, 10]);
    expect(r.sizesCompared).toBe(2);
    expect(r.mae).toBeCloseTo(1 / 6, 12);
    expect([r.firstSize, r.lastSize]).toEqual([1, 10]);
    const none = meanAbsoluteError(exact, exact, []);
    expect(none.mae).toBeNaN();
    expect(none.sizesCompared).toBe(0);
    expect(none.firstSize).toBeNaN();
    expect(meanAbsoluteError(tableCurve(0, [0]), exact).mae).toBeNaN();
  });
});

describe('errorAt', () => {
  it('gives the error at each allocation point', () => {
    const errs = errorAt(tableCurve(6, [Number.NaN, 4, 5, 3]), exactCurve(), [0, 1, 2, 3]);
    expect(errs.map((e) => e.size)).toEqual([0, 1, 2, 3]);
    expect(errs[0].ratio).toBeNaN();
    expect(errs[0].exactRatio).toBe(1);
    expect(errs[0].error).toBeNaN();
    expect(errs[1].error).toBeCloseTo(1 / 3, 12);
    expect(errs.slice(2).map((e) => e.error)).toEqual([0, 0]);
  });
});

describe('curveFootprint', () => {
  it('finds where a curve becomes flat', () => {
    expect(curveFootprint(exactCurve())).toBe(3);
    expect(curveFootprint(tableCurve(6, [6, 6, 5, 3]))).toBe(3);
    expect(curveFootprint(tableCurve(6, [6, 6, 6, 6]))).toBe(0);
  });
});
