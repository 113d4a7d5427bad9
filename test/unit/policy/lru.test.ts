import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LruPolicy } from '../../../main/engine/policy/lru.js';
import {
  capacityArb,
  expectFrameInvariants,
  expectSameAsModel,
  type Model,
  opsArb,
} from './harness.js';

/** Obviously correct LRU: an array with the most recent page first. */
class ArrayLru implements Model {
  readonly pages: number[] = [];
  constructor(readonly capacity: number) {}
  get size(): number {
    return this.pages.length;
  }
  access(page: number): boolean {
    const i = this.pages.indexOf(page);
    if (i < 0) return false;
    this.pages.splice(i, 1);
    this.pages.unshift(page);
    return true;
  }
  insert(page: number): number {
    if (this.capacity === 0) return page;
    const victim = this.pages.length === this.capacity ? this.pages.pop()! : -1;
    this.pages.unshift(page);
    return victim;
  }
  remove(page: number): boolean {
    const i = this.pages.indexOf(page);
    if (i < 0) return false;
    this.pages.splice(i, 1);
    return true;
  }
}

describe('LruPolicy', () => {
  it('matches an array LRU on random traces (hits, victims, removes, order)', () => {
    fc.assert(
      fc.property(capacityArb, opsArb(), (capacity, ops) => {
        const fast = new LruPolicy(capacity);
        const model = new ArrayLru(capacity);
        expectSameAsModel(fast, model, ops, () => {
          expect(fast.pagesByRecency()).toEqual(model.pages);
          expect(fast.lruPage()).toBe(
            model.pages.length ? model.pages[model.pages.length - 1] : -1,
          );
        });
      }),
      { numRuns: 300 },
    );
  });

  it('keeps the frame invariants', () => {
    fc.assert(
      fc.property(capacityArb, opsArb(2), (capacity, ops) =>
        expectFrameInvariants(new LruPolicy(capacity), ops),
      ),
      { numRuns: 200 },
    );
  });

  it('evicts every page at once with capacity 0', () => {
    const p = new LruPolicy(0);
    expect(p.access(3, 0)).toBe(false);
    expect(p.insert(3, 0)).toBe(3);
    expect(p.size).toBe(0);
    expect(p.frameOf(3)).toBe(-1);
    expect(p.remove(3)).toBe(false);
  });

  it('with capacity 1 holds the last page in frame 0', () => {
    const p = new LruPolicy(1);
    expect(p.insert(7, 0)).toBe(-1);
    expect(p.frameOf(7)).toBe(0);
    expect(p.access(7, 1)).toBe(true);
    expect(p.insert(9, 2)).toBe(7);
    expect(p.frameOf(9)).toBe(0);
    expect(p.frameOf(7)).toBe(-1);
  });

  it('reuses the frame freed by remove()', () => {
    const p = new LruPolicy(3);
    for (const page of [1, 2, 3]) p.insert(page, 0);
    const f = p.frameOf(2);
    expect(p.remove(2)).toBe(true);
    expect(p.size).toBe(2);
    expect(p.insert(50_000, 0)).toBe(-1);
    expect(p.frameOf(50_000)).toBe(f);
    expect(p.pagesByRecency()).toEqual([50_000, 3, 1]);
  });

  it('rejects a bad capacity', () => {
    expect(() => new LruPolicy(-1)).toThrow(RangeError);
    expect(() => new LruPolicy(1.5)).toThrow(RangeError);
  });
});
