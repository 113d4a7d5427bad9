/**
 * The MAE a report states: the number of points and the sizes it was scored over, and no error
 * at all ("—", null) when a method has no size in common with the exact curve — never 0.
 */
import { describe, expect, it } from 'vitest';
import type { MissCurve, MrcMethod } from '../../../main/engine/mrc/curve.js';
import { EsxStepCurve } from '../../../main/engine/mrc/esx-curve.js';
import { ExactMrc } from '../../../main/engine/mrc/exact.js';
import { chunksOf, traceFromPages } from '../../../main/engine/trace/chunk.js';
import { maeText } from '../../../main/cli/commands/mrc.js';
import { reportCurves } from '../../../main/service/mrc-report.js';

/** Trace 0 1 0 2 1 0: misses by size 0..3 are 6 6 5 3, flat from 3 (footprint 3). */
function exactCurve(): MissCurve {
  const mrc = new ExactMrc();
  for (const c of chunksOf(traceFromPages([0, 1, 0, 2, 1, 0]))) mrc.feed(c);
  return mrc.curve();
}

function rangeCurve(method: MrcMethod, lo: number, hi: number, misses: number): MissCurve {
  return {
    method,
    references: 6,
    minSize: lo,
    maxSize: hi,
    missesAt: (s) => (s >= lo && s <= hi ? misses : Number.NaN),
  };
}

describe('reportCurves MAE', () => {
  const sizes = [1, 2, 3, 10, 20];

  it('states the points and the sizes compared', () => {
    // Defined on 2..5; the exact curve is flat from 3, so sizes 2..3: |5/6-5/6|, |5/6-3/6|.
    const curves = new Map<MrcMethod, MissCurve>([
      ['exact', exactCurve()],
      ['hypervisor', rangeCurve('hypervisor', 2, 5, 5)],
    ]);
    const [exact, hv] = reportCurves(['exact', 'hypervisor'], curves, sizes, []);
    expect(exact.mae).toBeNull();
    expect(exact.maeSizesCompared).toBe(0);
    expect(hv.maeSizesCompared).toBe(2);
    expect(hv.maeSizeRange).toEqual({ first: 2, last: 3 });
    expect(hv.mae).toBeCloseTo(1 / 6, 12);
    expect(maeText(hv)).toBe('0.16667 over 2 points (sizes 2..3)');
  });

  it('gives null, never 0, over zero points (a method defined only past the footprint)', () => {
    // Defined on 7..9 pages: the exact curve is flat from 3, so nothing is compared.
    const curves = new Map<MrcMethod, MissCurve>([
      ['exact', exactCurve()],
      ['shards', rangeCurve('shards', 7, 9, 3)],
    ]);
    const [, e] = reportCurves(['exact', 'shards'], curves, sizes, [9]);
    expect(e.mae).toBeNull();
    expect(e.maeSizesCompared).toBe(0);
    expect(e.maeSizeRange).toBeNull();
    expect(maeText(e)).toMatch(/^— /);
    expect(maeText(e)).not.toMatch(/\d\.\d/);
  });

  it('a method defined at one size is scored at exactly one point', () => {
    const curves = new Map<MrcMethod, MissCurve>([
      ['exact', exactCurve()],
      ['shards', rangeCurve('shards', 2, 2, 5)],
    ]);
    const [, e] = reportCurves(['exact', 'shards'], curves, sizes, []);
    expect(e.maeSizesCompared).toBe(1);
    expect(e.maeSizeRange).toEqual({ first: 2, last: 2 });
    expect(e.mae).toBe(0);
    expect(maeText(e)).toBe('0.00000 over 1 point (size 2)');
  });

  it('ESX is not scored as a curve (it is scored against the working set)', () => {
    // A step from 2 to 3 pages overlaps the exact curve, yet gets no MAE.
    const curves = new Map<MrcMethod, MissCurve>([
      ['exact', exactCurve()],
      ['esx', new EsxStepCurve(2, 3, 5, 6)],
    ]);
    const [, e] = reportCurves(['exact', 'esx'], curves, sizes, []);
    expect(e).toMatchObject({ mae: null, maeSizesCompared: 0, maeSizeRange: null });
  });

  it('without an exact curve no method has an MAE', () => {
    const curves = new Map<MrcMethod, MissCurve>([
      ['hypervisor', rangeCurve('hypervisor', 2, 5, 5)],
    ]);
    const [hv] = reportCurves(['hypervisor'], curves, sizes, []);
    expect(hv.mae).toBeNull();
    expect(hv.maeSizesCompared).toBe(0);
    expect(hv.maeSizeRange).toBeNull();
  });
});
