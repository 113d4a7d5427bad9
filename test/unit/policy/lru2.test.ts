import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Lru2Policy } from '../../../main/engine/policy/lru2.js';
import {
  capacityArb,
  expectFrameInvariants,
  expectSameAsModel,
  type Model,
  opsArb,
} from './harness.js';

/** The two-list rules written out with arrays (heads first). */
class ArrayLru2 implements Model {
  readonly active: number[] = [];
  readonly inactive: number[] = [];
  readonly maxActive: number;
  constructor(
    readonly capacity: number,
    activeFraction: number,
  ) {
    this.maxActive = Math.floor(activeFraction * capacity);
  }
  get size(): number {
    return this.active.length + this.inactive.length;
  }
  access(page: number): boolean {
    let i = this.active.indexOf(page);
    if (i >= 0) {
      this.active.splice(i, 1);
      this.active.unshift(page);
      return true;
    }
    i = this.inactive.indexOf(page);
    if (i < 0) return false;
    this.inactive.splice(i, 1);
    this.active.unshift(page);
    if (this.active.length > this.maxActive) this.inactive.unshift(this.active.pop()!);
    return true;
  }
  insert(page: number): number {
    if (this.capacity === 0) return page;
    let victim = -1;
    if (this.size === this.capacity)
      victim = this.inactive.length > 0 ? this.inactive.pop()! : this.active.pop()!;
    this.inactive.unshift(page);
    return victim;
  }
  remove(page: number): boolean {
    for (const list of [this.active, this.inactive]) {
      const i = list.indexOf(page);
      if (i >= 0) {
        list.splice(i, 1);
        return true;
      }
    }
    return false;
  }
}

const fractionArb = fc.constantFrom(0, 0.25, 0.5, 0.75, 1);

describe('Lru2Policy', () => {
  it('matches the two-list rules on random traces (hits, victims, both lists)', () => {
    fc.assert(
      fc.property(capacityArb, fractionArb, opsArb(), (capacity, fraction, ops) => {
        const fast = new Lru2Policy(capacity, fraction);
        const model = new ArrayLru2(capacity, fraction);
        expectSameAsModel(fast, model, ops, () => {
          expect(fast.snapshot()).toEqual({ active: model.active, inactive: model.inactive });
        });
      }),
      { numRuns: 300 },
    );
  });

  it('keeps the frame invariants', () => {
    fc.assert(
      fc.property(capacityArb, fractionArb, opsArb(2), (capacity, fraction, ops) =>
        expectFrameInvariants(new Lru2Policy(capacity, fraction), ops),
      ),
      { numRuns: 200 },
    );
  });

  it('protects a page hit twice from a scan', () => {
    const p = new Lru2Policy(4);
    p.insert(1, 0);
    p.access(1, 1); // promoted to active
    const victims = [10, 11, 12, 13, 14, 15].map((page, i) => p.insert(page, i + 2));
    expect(victims).not.toContain(1);
    expect(p.frameOf(1)).toBeGreaterThanOrEqual(0);
  });

  it('defaults the active share to half of memory and rejects bad fractions', () => {
    expect(new Lru2Policy(5).maxActive).toBe(2);
    expect(() => new Lru2Policy(4, 1.5)).toThrow(RangeError);
  });
});
