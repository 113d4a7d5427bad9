/**
 * What ESX is scored on: per period the true working set (distinct pages touched in the period)
 * and the memory the exact LRU curve says keeps the period's misses within ε of those at the
 * allocation — both against brute force.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { vmMemoryConfig } from '../../../main/engine/config.js';
import { simulateVmSync } from '../../../main/engine/host.js';
import { summarizeErrors } from '../../../main/engine/mrc/esx-score.js';
import { chunksOf } from '../../../main/engine/trace/chunk.js';
import { arbTrace, toTrace } from '../hypervisor/fixtures.js';

/** LRU stack distance of every reference by brute force (a list, most recent first). */
function stackDistances(pages: ArrayLike<number>): number[] {
  const stack: number[] = [];
  const out: number[] = [];
  for (let i = 0; i < pages.length; i++) {
    const at = stack.indexOf(pages[i]);
    out.push(at < 0 ? Number.POSITIVE_INFINITY : at);
    if (at >= 0) stack.splice(at, 1);
    stack.unshift(pages[i]);
  }
  return out;
}

describe('ESX truth per period', () => {
  it('working set and ε-memory equal brute force; the score summarises them', () => {
    fc.assert(
      fc.property(
        arbTrace(50, 500),
        fc.integer({ min: 0, max: 25 }),
        fc.integer({ min: 1, max: 25 }),
        fc.integer({ min: 1, max: 120 }),
        fc.constantFrom(0, 0.05, 0.3, 1),
        fc.integer({ min: 0, max: 200 }),
        (r, v, c, periodRefs, epsilon, warmup) => {
          const trace = toTrace(r);
          const a = v + c;
          const config = vmMemoryConfig({ guestPages: v, hypervisor: { pages: c }, warmup });
          const esx = simulateVmSync(config, chunksOf(trace, 37), {
            recorders: { esx: { periodRefs, epsilon } },
          }).esx!;
          const dist = stackDistances(trace.pages);
          let start = 0;
          for (const p of esx.periods) {
            const end = p.endRef;
            const period = Array.from(trace.pages.subarray(start, end));
            const d = dist.slice(start, end);
            expect(p.references).toBe(end - start);
            expect(p.trueWorkingSet).toBe(new Set(period).size);
            // Misses with m pages: references of stack distance ≥ m (first touches included).
            const missesAt = (m: number) => d.filter((x) => x >= m).length;
            expect(p.missesAtAllocation).toBe(missesAt(a));
            let needed = 0;
            while (missesAt(needed) > (1 + epsilon) * missesAt(a)) needed++;
            expect(p.epsilonPages).toBe(needed);
            expect(p.epsilonPages).toBeLessThanOrEqual(a);
            start = end;
          }
          // The score: every period outside the warm-up, against both truths.
          const scored = esx.periods.filter((p) => !p.warmup);
          expect(esx.score.epsilon).toBe(epsilon);
          expect(esx.score.periods).toBe(scored.length);
          const ws = esx.score.workingSet;
          expect(ws.periods).toBe(scored.length);
          const rel = scored
            .filter((p) => p.trueWorkingSet > 0)
            .map((p) => Math.abs(p.estimate - p.trueWorkingSet) / p.trueWorkingSet);
          expect(ws.relativePeriods).toBe(rel.length);
          if (rel.length === 0) expect(ws.meanRelativeError).toBeNull();
          else {
            expect(ws.meanRelativeError).toBeCloseTo(
              rel.reduce((x, y) => x + y, 0) / rel.length,
              9,
            );
            expect(ws.maxRelativeError).toBe(Math.max(...rel));
          }
          const alloc = scored.map((p) => Math.abs(p.estimate - p.epsilonPages));
          const em = esx.score.epsilonMemory;
          if (alloc.length === 0) expect(em.maxAbsPages).toBeNull();
          else expect(em.maxAbsPages).toBe(Math.max(...alloc));
        },
      ),
      { numRuns: 150 },
    );
  });

  it('a loop larger than the allocation: the working set is the loop, ESX cannot see past A', () => {
    // A loop over 300 pages, period 3000 references: every period touches all 300 pages.
    const pages = Int32Array.from({ length: 30_000 }, (_, i) => i % 300);
    const trace = { pages, ops: new Uint8Array(pages.length), times: null, distinct: 300 };
    const config = vmMemoryConfig({ guestPages: 150, hypervisor: { pages: 50 } });
    const esx = simulateVmSync(config, chunksOf(trace), {
      recorders: { esx: { periodRefs: 3000, samples: 200 } },
    }).esx!;
    for (const p of esx.periods) {
      expect(p.trueWorkingSet).toBe(300);
      expect(p.estimate).toBe(200); // every frame touched: f = 1, capped at A
      // LRU on a loop larger than memory misses at every size below 300: within ε of A's
      // misses needs nothing (all sizes ≤ A miss everything).
      expect(p.epsilonPages).toBe(0);
    }
    expect(esx.score.workingSet.meanRelativeError).toBeCloseTo(1 / 3, 12);
    expect(esx.score.workingSet.periodsUnder).toBe(esx.periods.length);
    expect(esx.score.epsilonMemory.meanAbsPages).toBe(200);
  });

  it('summaries over no periods are null, never a number', () => {
    expect(summarizeErrors([], [])).toEqual({
      periods: 0,
      relativePeriods: 0,
      meanRelativeError: null,
      maxRelativeError: null,
      meanAbsPages: null,
      maxAbsPages: null,
      meanSignedPages: null,
      periodsUnder: 0,
    });
    const s = summarizeErrors([100, 50, 10], [80, 100, 0]);
    expect(s.relativePeriods).toBe(2);
    expect(s.meanRelativeError).toBeCloseTo((0.25 + 0.5) / 2, 12);
    expect(s.maxRelativeError).toBe(0.5);
    expect(s.meanAbsPages).toBeCloseTo(80 / 3, 12);
    expect(s.maxAbsPages).toBe(50);
    expect(s.meanSignedPages).toBeCloseTo(-20 / 3, 12);
    expect(s.periodsUnder).toBe(1);
  });
});
