import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createPolicy } from '../../../main/engine/policy/create-policy.js';
import { OptPolicy, computeNextUse } from '../../../main/engine/policy/opt.js';
import { NO_NEXT_USE, POLICY_NAMES } from '../../../main/engine/policy/policy.js';
import {
  capacityArb,
  expectFrameInvariants,
  missesOf,
  type Op,
  opsArb,
  pageArb,
  refPages,
  run,
} from './harness.js';

/** Next reference of `page` strictly after `index`, by scanning the future. */
function bruteNextUse(pages: Int32Array, page: number, index: number): number {
  for (let j = index + 1; j < pages.length; j++) if (pages[j] === page) return j;
  return Infinity;
}

/** Runs OPT on the ops and checks each outcome against a brute-force scan of the future. */
function expectBelady(capacity: number, ops: Op[]): void {
  const pages = refPages(ops);
  const opt = new OptPolicy(capacity, computeNextUse(pages));
  const resident = new Set<number>();
  let index = 0;
  for (const op of ops) {
    if (op.kind === 'remove') {
      expect(opt.remove(op.page)).toBe(resident.delete(op.page));
      expect(opt.heapIsValid()).toBe(true);
      continue;
    }
    const i = index++;
    const hit = opt.access(op.page, i);
    expect(hit).toBe(resident.has(op.page));
    if (hit) continue;
    const victim = opt.insert(op.page, i);
    if (capacity === 0) {
      expect(victim).toBe(op.page);
      continue;
    }
    if (resident.size < capacity) {
      expect(victim).toBe(-1);
    } else {
      const farthest = Math.max(...[...resident].map((q) => bruteNextUse(pages, q, i)));
      expect(resident.has(victim)).toBe(true);
      expect(bruteNextUse(pages, victim, i)).toBe(farthest);
      resident.delete(victim);
    }
    resident.add(op.page);
    expect(opt.size).toBe(resident.size);
    expect(opt.heapIsValid()).toBe(true);
  }
}

describe('computeNextUse', () => {
  it('matches a forward scan', () => {
    fc.assert(
      fc.property(fc.array(pageArb, { maxLength: 200 }), (arr) => {
        const pages = Int32Array.from(arr);
        const next = computeNextUse(pages);
        for (let i = 0; i < pages.length; i++) {
          const want = bruteNextUse(pages, pages[i], i);
          expect(next[i]).toBe(want === Infinity ? NO_NEXT_USE : want);
        }
      }),
    );
  });

  it('handles an empty trace', () => {
    expect(computeNextUse(new Int32Array(0)).length).toBe(0);
  });
});

describe('OptPolicy', () => {
  it('matches brute-force Belady: every victim has the farthest next use', () => {
    fc.assert(fc.property(capacityArb, opsArb(4), expectBelady), { numRuns: 300 });
  });

  it('matches brute-force Belady with larger memories and many removes (heap repair)', () => {
    const op = fc
      .tuple(fc.integer({ min: 0, max: 39 }), fc.integer({ min: 0, max: 9 }))
      .map(([page, k]): Op => ({ kind: k < 3 ? 'remove' : 'ref', page }));
    fc.assert(
      fc.property(fc.integer({ min: 8, max: 24 }), fc.array(op, { maxLength: 500 }), expectBelady),
      { numRuns: 300 },
    );
  });

  it('keeps the frame invariants', () => {
    fc.assert(
      fc.property(capacityArb, opsArb(2), (capacity, ops) =>
        expectFrameInvariants(new OptPolicy(capacity, computeNextUse(refPages(ops))), ops),
      ),
      { numRuns: 200 },
    );
  });

  // OPT is optimal among demand-paging policies (every missed page is loaded). libCacheSim's 2q,
  // s3fifo, lirs and ClockPro (clockpro-libcachesim) may decline to load a page, which OPT's bound
  // does not cover; clockpro (the paper's) always loads it.
  it('misses no more than any other demand-paging policy', () => {
    const refsOnly = fc.array(
      pageArb.map((page): Op => ({ kind: 'ref', page })),
      { maxLength: 400 },
    );
    fc.assert(
      fc.property(capacityArb, refsOnly, (capacity, ops) => {
        const nextUse = computeNextUse(refPages(ops));
        const optMisses = missesOf(run(createPolicy('opt', capacity, { nextUse }), ops));
        for (const name of POLICY_NAMES.filter(
          (n) => !['2q', 's3fifo', 'lirs', 'clockpro-libcachesim'].includes(n),
        )) {
          expect(optMisses).toBeLessThanOrEqual(
            missesOf(run(createPolicy(name, capacity, { nextUse }), ops)),
          );
        }
      }),
      { numRuns: 300 },
    );
  });

  it('refuses a reference index outside nextUse', () => {
    const opt = new OptPolicy(2, computeNextUse(Int32Array.from([1, 2])));
    expect(() => opt.insert(1, 5)).toThrow(RangeError);
  });
});
