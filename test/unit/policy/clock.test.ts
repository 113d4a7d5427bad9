import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ClockPolicy } from '../../../main/engine/policy/clock.js';
import {
  capacityArb,
  expectFrameInvariants,
  expectSameAsModel,
  type Model,
  opsArb,
} from './harness.js';

/**
 * CLOCK by the definition: a circle of frames with one bit each. A new page's bit is clear, a hit
 * sets it; to evict, the hand clears set bits until it finds a clear one, the new page takes
 * that frame and the hand moves past it. Free frames are reused most recently freed first, then
 * in frame order (the FrameTable rule).
 */
class ArrayClock implements Model {
  readonly pageAt: number[];
  readonly bit: number[];
  readonly freed: number[] = [];
  fresh = 0;
  hand = 0;
  constructor(readonly capacity: number) {
    this.pageAt = new Array<number>(capacity).fill(-1);
    this.bit = new Array<number>(capacity).fill(0);
  }
  get size(): number {
    return this.pageAt.filter((p) => p >= 0).length;
  }
  access(page: number): boolean {
    const f = this.pageAt.indexOf(page);
    if (f < 0) return false;
    this.bit[f] = 1;
    return true;
  }
  insert(page: number): number {
    if (this.capacity === 0) return page;
    if (this.freed.length > 0 || this.fresh < this.capacity) {
      const f = this.freed.length > 0 ? this.freed.pop()! : this.fresh++;
      this.pageAt[f] = page;
      this.bit[f] = 0;
      return -1;
    }
    while (this.bit[this.hand] === 1) {
      this.bit[this.hand] = 0;
      this.hand = (this.hand + 1) % this.capacity;
    }
    const victim = this.pageAt[this.hand];
    this.pageAt[this.hand] = page;
    this.bit[this.hand] = 0;
    this.hand = (this.hand + 1) % this.capacity;
    return victim;
  }
  remove(page: number): boolean {
    const f = this.pageAt.indexOf(page);
    if (f < 0) return false;
    this.pageAt[f] = -1;
    this.bit[f] = 0;
    this.freed.push(f);
    return true;
  }
}

describe('ClockPolicy', () => {
  it('matches the CLOCK definition on random traces (hits, victims, frames, hand)', () => {
    fc.assert(
      fc.property(capacityArb, opsArb(), (capacity, ops) => {
        const fast = new ClockPolicy(capacity);
        const model = new ArrayClock(capacity);
        expectSameAsModel(fast, model, ops, () => {
          model.pageAt.forEach((page, f) => {
            if (page >= 0) expect(fast.frameOf(page)).toBe(f);
          });
          if (capacity > 0) expect(fast.handPosition).toBe(model.hand);
        });
      }),
      { numRuns: 300 },
    );
  });

  it('keeps the frame invariants', () => {
    fc.assert(
      fc.property(capacityArb, opsArb(2), (capacity, ops) =>
        expectFrameInvariants(new ClockPolicy(capacity), ops),
      ),
      { numRuns: 200 },
    );
  });

  it('gives a referenced page a second chance', () => {
    const p = new ClockPolicy(3);
    for (const [i, page] of [1, 2, 3].entries()) p.insert(page, i);
    p.access(1, 3);
    expect(p.insert(4, 4)).toBe(2); // 1 had its bit set: cleared and skipped
    expect(p.frameOf(4)).toBe(1);
    expect(p.insert(5, 5)).toBe(3);
    expect(p.insert(6, 6)).toBe(1); // 1's bit was cleared by the first sweep
  });

  it('evicts the hand frame when every bit is set (after a full sweep)', () => {
    const p = new ClockPolicy(2);
    p.insert(1, 0);
    p.insert(2, 1);
    p.access(1, 2);
    p.access(2, 3);
    expect(p.insert(3, 4)).toBe(1);
  });
});
