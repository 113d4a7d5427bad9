import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  checkAllocation,
  fromSamples,
  solveAllocation,
  type AllocProblem,
  type AllocVm,
} from '../../../main/engine/alloc/index.js';

/** Non-increasing misses at sizes 0..len-1. */
const monotoneCurve = (len: number) =>
  fc.array(fc.integer({ min: 0, max: 20 }), { minLength: len, maxLength: len }).map((drops) => {
    const out: number[] = [];
    let m = drops.reduce((a, b) => a + b, 0);
    for (const d of drops) {
      out.push(m);
      m -= d;
    }
    return out;
  });

const problemArb = fc
  .record({
    q: fc.integer({ min: 1, max: 3 }),
    units: fc.integer({ min: 0, max: 8 }),
    n: fc.integer({ min: 2, max: 4 }),
  })
  .chain(({ q, units, n }) => {
    const M = units * q + (units > 0 ? 0 : 1);
    return fc.record({
      memory: fc.constant(M),
      quantum: fc.constant(q),
      vms: fc.array(
        fc.record({
          misses: monotoneCurve(M + 1),
          weight: fc.constantFrom(1, 2, 0.5),
          tolerance: fc.constantFrom(
            0,
            0.25,
            1,
            Number.POSITIVE_INFINITY,
            Number.POSITIVE_INFINITY,
          ),
          baseline: fc.option(fc.integer({ min: 0, max: M }), { nil: undefined }),
          min: fc.option(fc.integer({ min: 0, max: Math.floor(M / 2) }), {
            nil: undefined,
            freq: 2,
          }),
          max: fc.option(fc.integer({ min: 0, max: M }), { nil: undefined }),
        }),
        { minLength: n, maxLength: n },
      ),
    });
  })
  .map(({ memory, quantum, vms }): AllocProblem => ({
    memory,
    quantum,
    vms: vms.map((v, i): AllocVm => ({
      name: `vm${i + 1}`,
      curve: fromSamples(
        v.misses.map((_, s) => s),
        v.misses,
      ),
      weight: v.weight,
      tolerance: v.tolerance,
      baseline: v.baseline,
      min: v.min,
      max: v.max === undefined || v.min === undefined ? v.max : Math.max(v.max, v.min),
    })),
  }));

/** Every combination of multiples of q in [0, M]: the least objective satisfying every constraint. */
function bruteForce(p: AllocProblem): number | null {
  const q = p.quantum as number;
  const sizes: number[] = [];
  for (let s = 0; s <= p.memory; s += q) sizes.push(s);
  let best: number | null = null;
  const pick: number[] = [];
  const rec = (i: number): void => {
    if (i === p.vms.length) {
      if (checkAllocation(p, pick).length > 0) return;
      const obj = p.vms.reduce((a, vm, k) => a + (vm.weight ?? 1) * vm.curve(pick[k]), 0);
      if (best === null || obj < best) best = obj;
      return;
    }
    for (const s of sizes) {
      pick[i] = s;
      rec(i + 1);
    }
  };
  rec(0);
  return best;
}

export const RUNS = 400;

describe('allocation DP', () => {
  it(`equals brute force on ${RUNS} random small instances (2–4 VMs, monotone curves)`, () => {
    let feasible = 0;
    fc.assert(
      fc.property(problemArb, (p) => {
        const r = solveAllocation(p);
        const brute = bruteForce(p);
        if (brute === null) {
          expect(r.feasible).toBe(false);
        } else {
          expect(r.feasible).toBe(true);
          if (r.feasible) {
            feasible++;
            expect(r.objective).toBeCloseTo(brute, 9);
          }
        }
      }),
      { numRuns: RUNS, seed: 42 },
    );
    console.info(
      `DP vs brute force: ${RUNS} instances, ${feasible} feasible, ${RUNS - feasible} infeasible, all agree`,
    );
    expect(feasible).toBeGreaterThan(RUNS / 5);
  });

  it('its result always satisfies every constraint (sum ≤ M, bounds, isolation)', () => {
    fc.assert(
      fc.property(problemArb, (p) => {
        const r = solveAllocation(p);
        if (!r.feasible) return;
        const pages = r.allocations.map((a) => a.pages);
        expect(checkAllocation(p, pages)).toEqual([]);
        expect(pages.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(p.memory);
        for (const a of r.allocations) expect(a.slack).toBeGreaterThanOrEqual(-1e-9);
      }),
      { numRuns: RUNS, seed: 7 },
    );
  });

  it('infeasibility names the VM and the constraint', () => {
    const flat = (m: number) => () => m;
    const steep = fromSamples([0, 500, 1000], [1000, 100, 0]);
    const r1 = solveAllocation({
      memory: 1000,
      quantum: 10,
      vms: [
        { name: 'vm1', curve: flat(5), min: 600 },
        { name: 'vm2', curve: steep, min: 600 },
      ],
    });
    expect(r1).toMatchObject({ feasible: false, vm: null });
    if (!r1.feasible) expect(r1.reason).toBe('total minimum memory 1200 exceeds M = 1000');

    // vm2 needs 1000 pages for misses ≤ misses(b = 1000): nothing is left beside vm1's 100.
    const r2 = solveAllocation({
      memory: 1000,
      quantum: 10,
      vms: [
        { name: 'vm1', curve: flat(5), min: 100 },
        { name: 'vm2', curve: steep, baseline: 1000, tolerance: 0 },
      ],
    });
    expect(r2.feasible).toBe(false);
    if (!r2.feasible) {
      expect(r2.vm).toBe('vm2');
      expect(r2.reason).toMatch(
        /^vm2: no size in \[0, 1000\] keeps misses ≤ \(1\+0\)·misses\(1000\) = 0 within the memory left/,
      );
    }

    // Unknown below 400 (a hypervisor curve with V = 400): the baseline 300 cannot be checked.
    const hv = fromSamples([400, 800], [50, 10], true);
    const r3 = solveAllocation({
      memory: 1000,
      vms: [
        { name: 'a', curve: flat(1), baseline: 700 },
        { name: 'b', curve: hv, baseline: 300 },
      ],
    });
    expect(r3).toMatchObject({ feasible: false, vm: 'b' });

    // With a larger tolerance it fits.
    const r4 = solveAllocation({
      memory: 1000,
      quantum: 10,
      vms: [
        { name: 'vm1', curve: flat(5), min: 100 },
        { name: 'vm2', curve: steep, baseline: 1000, tolerance: Number.POSITIVE_INFINITY },
      ],
    });
    expect(r4.feasible).toBe(true);
    if (r4.feasible) expect(r4.allocations.map((a) => a.pages)).toEqual([100, 900]);
  });

  it('sizes where the curve is unknown are never chosen', () => {
    const hv = fromSamples([400, 500, 800], [50, 30, 10], true);
    const r = solveAllocation({
      memory: 1000,
      quantum: 100,
      vms: [
        { name: 'a', curve: () => 0, tolerance: Infinity },
        { name: 'b', curve: hv, tolerance: Infinity },
      ],
    });
    expect(r.feasible).toBe(true);
    if (r.feasible) expect(r.allocations[1].pages).toBeGreaterThanOrEqual(400);
  });
});
