import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FifoPolicy } from '../../../main/engine/policy/fifo.js';
import {
  capacityArb,
  expectFrameInvariants,
  expectSameAsModel,
  type Model,
  opsArb,
} from './harness.js';

/** Obviously correct FIFO: a queue, oldest first; hits change nothing. */
class QueueFifo implements Model {
  readonly queue: number[] = [];
  constructor(readonly capacity: number) {}
  get size(): number {
    return this.queue.length;
  }
  access(page: number): boolean {
    return this.queue.includes(page);
  }
  insert(page: number): number {
    if (this.capacity === 0) return page;
    const victim = this.queue.length === this.capacity ? this.queue.shift()! : -1;
    this.queue.push(page);
    return victim;
  }
  remove(page: number): boolean {
    const i = this.queue.indexOf(page);
    if (i < 0) return false;
    this.queue.splice(i, 1);
    return true;
  }
}

describe('FifoPolicy', () => {
  it('matches a queue FIFO on random traces', () => {
    fc.assert(
      fc.property(capacityArb, opsArb(), (capacity, ops) =>
        expectSameAsModel(new FifoPolicy(capacity), new QueueFifo(capacity), ops),
      ),
      { numRuns: 300 },
    );
  });

  it('keeps the frame invariants', () => {
    fc.assert(
      fc.property(capacityArb, opsArb(2), (capacity, ops) =>
        expectFrameInvariants(new FifoPolicy(capacity), ops),
      ),
      { numRuns: 200 },
    );
  });

  it('ignores hits when choosing the victim', () => {
    const p = new FifoPolicy(2);
    p.insert(1, 0);
    p.insert(2, 1);
    expect(p.access(1, 2)).toBe(true);
    expect(p.insert(3, 3)).toBe(1);
  });

  it('returns the page itself with capacity 0', () => {
    const p = new FifoPolicy(0);
    expect(p.insert(4, 0)).toBe(4);
    expect(p.size).toBe(0);
  });
});
