import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ArcPolicy } from '../../../main/engine/policy/arc.js';
import {
  capacityArb,
  expectFrameInvariants,
  expectSameAsModel,
  type Model,
  opsArb,
} from './harness.js';

/**
 * ARC written out from Fig. 4 of Megiddo & Modha (FAST 2003) with arrays, MRU first.
 * REPLACE runs only when memory is full (always so in the paper; matters only after remove()).
 */
class ArrayArc implements Model {
  t1: number[] = [];
  t2: number[] = [];
  b1: number[] = [];
  b2: number[] = [];
  p = 0;
  constructor(readonly c: number) {}
  get size(): number {
    return this.t1.length + this.t2.length;
  }
  access(x: number): boolean {
    // Case I: x in T1 ∪ T2 → MRU of T2.
    if (this.t1.includes(x)) this.t1 = this.t1.filter((y) => y !== x);
    else if (this.t2.includes(x)) this.t2 = this.t2.filter((y) => y !== x);
    else return false;
    this.t2.unshift(x);
    return true;
  }
  insert(x: number): number {
    const c = this.c;
    if (c === 0) return x;
    let victim = -1;
    if (this.b1.includes(x)) {
      // Case II.
      const d1 = this.b1.length >= this.b2.length ? 1 : this.b2.length / this.b1.length;
      this.p = Math.min(this.p + d1, c);
      victim = this.replace(false);
      this.b1 = this.b1.filter((y) => y !== x);
      this.t2.unshift(x);
      return victim;
    }
    if (this.b2.includes(x)) {
      // Case III.
      const d2 = this.b2.length >= this.b1.length ? 1 : this.b1.length / this.b2.length;
      this.p = Math.max(this.p - d2, 0);
      victim = this.replace(true);
      this.b2 = this.b2.filter((y) => y !== x);
      this.t2.unshift(x);
      return victim;
    }
    // Case IV.
    const l1 = this.t1.length + this.b1.length;
    const l2 = this.t2.length + this.b2.length;
    if (l1 === c) {
      if (this.t1.length < c) {
        this.b1.pop();
        victim = this.replace(false);
      } else {
        victim = this.t1.pop()!;
      }
    } else if (l1 + l2 >= c) {
      if (l1 + l2 === 2 * c) this.b2.pop();
      victim = this.replace(false);
    }
    this.t1.unshift(x);
    return victim;
  }
  private replace(xInB2: boolean): number {
    if (this.size < this.c) return -1;
    const t1 = this.t1.length;
    if (t1 >= 1 && ((xInB2 && t1 === this.p) || t1 > this.p)) {
      const v = this.t1.pop()!;
      this.b1.unshift(v);
      return v;
    }
    const v = this.t2.pop()!;
    this.b2.unshift(v);
    return v;
  }
  remove(x: number): boolean {
    const n = this.size;
    this.t1 = this.t1.filter((y) => y !== x);
    this.t2 = this.t2.filter((y) => y !== x);
    return this.size < n;
  }
}

describe('ArcPolicy', () => {
  it('matches the paper pseudo-code on random traces (hits, victims, T1/T2/B1/B2, p)', () => {
    fc.assert(
      fc.property(capacityArb, opsArb(), (capacity, ops) => {
        const fast = new ArcPolicy(capacity);
        const model = new ArrayArc(capacity);
        expectSameAsModel(fast, model, ops, () => {
          expect(fast.snapshot()).toEqual({
            t1: model.t1,
            t2: model.t2,
            b1: model.b1,
            b2: model.b2,
            p: model.p,
          });
        });
      }),
      { numRuns: 400 },
    );
  });

  it('keeps the paper invariants without remove()', () => {
    fc.assert(
      fc.property(capacityArb, opsArb(0), (c, ops) => {
        const arc = new ArcPolicy(c);
        ops.forEach((op, i) => {
          if (!arc.access(op.page, i)) arc.insert(op.page, i);
          const s = arc.snapshot();
          const l1 = s.t1.length + s.b1.length;
          const total = l1 + s.t2.length + s.b2.length;
          expect(l1).toBeLessThanOrEqual(c);
          expect(total).toBeLessThanOrEqual(2 * c);
          if (total >= c) expect(s.t1.length + s.t2.length).toBe(c);
          expect(s.p >= 0 && s.p <= c).toBe(true);
        });
      }),
      { numRuns: 200 },
    );
  });

  it('keeps the frame invariants', () => {
    fc.assert(
      fc.property(capacityArb, opsArb(2), (capacity, ops) =>
        expectFrameInvariants(new ArcPolicy(capacity), ops),
      ),
      { numRuns: 200 },
    );
  });

  it('adapts p upward on a B1 ghost hit', () => {
    const arc = new ArcPolicy(2);
    arc.insert(1, 0);
    expect(arc.access(1, 1)).toBe(true); // 1 → T2
    arc.insert(2, 2); // T1 = [2]
    expect(arc.insert(3, 3)).toBe(2); // |T1| > p = 0: 2 → B1
    expect(arc.snapshot()).toEqual({ t1: [3], t2: [1], b1: [2], b2: [], p: 0 });
    expect(arc.access(2, 4)).toBe(false);
    expect(arc.insert(2, 4)).toBe(1); // ghost hit in B1: p = 1, |T1| = p so T2's LRU goes to B2
    expect(arc.snapshot()).toEqual({ t1: [3], t2: [2], b1: [], b2: [1], p: 1 });
  });

  it('refuses a capacity whose frame and ghost numbers would not fit its int32 slots', () => {
    expect(() => new ArcPolicy(2 ** 29)).toThrow(/ARC keeps at most 536870911 frames/);
    expect(() => new ArcPolicy(4).resize(2 ** 29)).toThrow(RangeError);
  });

  it('drops T1 LRU without a ghost when T1 alone fills memory', () => {
    const arc = new ArcPolicy(2);
    arc.insert(1, 0);
    arc.insert(2, 1);
    expect(arc.insert(3, 2)).toBe(1);
    expect(arc.snapshot()).toEqual({ t1: [3, 2], t2: [], b1: [], b2: [], p: 0 });
  });
});
