import { describe, expect, it } from 'vitest';
import { vmMemoryConfig } from '../../../main/engine/config.js';
import { ExclusiveCache } from '../../../main/engine/hypervisor/exclusive-cache.js';
import { GhostList } from '../../../main/engine/hypervisor/ghost-list.js';

function cache(pages: number, ghostPages = 0, admissionFailure = 0, seed = 1): ExclusiveCache {
  return new ExclusiveCache({
    ...vmMemoryConfig().hypervisor,
    pages,
    ghostPages,
    admissionFailure,
    seed,
  });
}

/** Records the observer events (ranks in the hypervisor's recency list). */
function observed(c: ExclusiveCache): number[] {
  const events: number[] = [];
  c.observer = { onGet: (rank) => events.push(rank) };
  return events;
}

describe('ExclusiveCache', () => {
  it('keeps pages in insertion order and evicts the oldest into the ghost list', () => {
    const c = cache(3, 2);
    for (const p of [10, 11, 12, 13, 14]) c.put(p);
    expect(c.pages()).toEqual([14, 13, 12]);
    expect(c.ghost.pages()).toEqual([11, 10]);
    c.put(15);
    expect(c.ghost.pages()).toEqual([12, 11]);
    expect(c.size).toBe(3);
    expect(c.puts).toBe(6);
    expect(c.evictions).toBe(3);
  });

  it('a hit returns the page, reports its position and removes it (exclusivity)', () => {
    const c = cache(4, 4);
    const ev = observed(c);
    for (const p of [1, 2, 3, 4]) c.put(p);
    expect(c.get(3)).toBe(true); // positions: 4→0, 3→1
    expect(c.has(3)).toBe(false);
    expect(c.get(1)).toBe(true); // now [4, 2, 1]: 1 at 2
    expect(c.get(3)).toBe(false); // gone
    expect(ev).toEqual([1, 2, -1]);
    expect(c.hits).toBe(2);
    expect(c.misses).toBe(1);
  });

  it('a miss reports the ghost position and removes the page from the ghost list', () => {
    const c = cache(1, 3);
    const ev = observed(c);
    for (const p of [1, 2, 3, 4]) c.put(p); // cache [4], ghost [3, 2, 1]
    expect(c.get(2)).toBe(false);
    expect(c.get(2)).toBe(false);
    // Ghost position 1 behind the one cache entry: rank 2.
    expect(ev).toEqual([2, -1]);
    expect(c.ghostHits).toBe(1);
    expect(c.ghost.pages()).toEqual([3, 1]);
  });

  it('a page put while in the ghost list leaves the ghost list', () => {
    const c = cache(1, 3);
    for (const p of [1, 2, 3]) c.put(p); // ghost [2, 1]
    c.put(1);
    expect(c.ghost.pages()).toEqual([3, 2]);
    expect(c.pages()).toEqual([1]);
  });

  it('with C = 0 there are no puts: evicted pages go straight to the ghost list', () => {
    const c = cache(0, 2, 0.5);
    for (const p of [1, 2, 3]) c.put(p);
    expect(c.size).toBe(0);
    expect(c.puts).toBe(0);
    expect(c.admissionFailures).toBe(0);
    expect(c.ghost.pages()).toEqual([3, 2]);
  });

  it('never exceeds its capacity nor the ghost capacity', () => {
    const c = cache(7, 5);
    for (let i = 0; i < 1000; i++) {
      const p = (i * 7919) % 53;
      if (!c.get(p)) c.put(p);
      expect(c.size).toBeLessThanOrEqual(7);
      expect(c.ghost.size).toBeLessThanOrEqual(5);
    }
  });

  it('invalidation drops a cached copy and counts it; the id keeps its place', () => {
    const c = cache(4);
    const ev = observed(c);
    c.put(5);
    c.put(6);
    expect(c.invalidate(5)).toBe(true);
    expect(c.has(5)).toBe(false);
    expect(c.hasIdOnly(5)).toBe(true);
    expect(c.size).toBe(1);
    expect(c.invalidate(5)).toBe(false);
    expect(c.invalidate(99)).toBe(false);
    expect(c.invalidations).toBe(1);
    expect(c.get(5)).toBe(false); // a disk read, at rank 1
    expect(c.idOnlyHits).toBe(1);
    expect(c.get(6)).toBe(true);
    expect(ev).toEqual([1, 0]);
  });

  it('a failed admission keeps an id-only entry in the recency order, not counted against C', () => {
    // p = 1: every admission fails.
    const c = cache(2, 3, 1);
    const ev = observed(c);
    for (const p of [1, 2]) c.put(p);
    expect(c.size).toBe(0);
    expect(c.orderPages()).toEqual([2, 1]);
    expect(c.get(1)).toBe(false); // id-only: a disk read at rank 1
    expect(c.idOnlyHits).toBe(1);
    for (const p of [3, 4, 5]) c.put(p); // order [5, 4] (C entries), tail ids to the ghost
    expect(c.orderPages()).toEqual([5, 4]);
    expect(c.ghost.pages()).toEqual([3, 2]);
    expect(c.get(2)).toBe(false); // ghost position 1 behind 2 order entries: rank 3
    expect(ev).toEqual([1, 3]);
  });

  it('id-only entries above the oldest data page follow it into the ghost list in order', () => {
    const c = new ExclusiveCache({ ...vmMemoryConfig().hypervisor, pages: 2, ghostPages: 10 });
    // Data 1, id-only 2 (its copy invalidated), data 3: 3 entries > C, but the tail is data.
    c.put(1);
    c.put(2);
    c.invalidate(2);
    c.put(3);
    expect(c.orderPages()).toEqual([3, 2, 1]);
    expect(c.pages()).toEqual([3, 1]);
    c.put(4);
    // Data {1, 3, 4} > C: 1 leaves for the ghost list, then the id-only 2 now at the tail: the
    // ghost list continues the recency order.
    expect(c.orderPages()).toEqual([4, 3]);
    expect(c.ghost.pages()).toEqual([2, 1]);
    expect(c.evictions).toBe(1);
    c.put(5);
    expect(c.ghost.pages()).toEqual([3, 2, 1]);
    expect(c.evictions).toBe(2);
  });

  it('forgetFailed: a failed admission or an invalidated copy leaves no trace', () => {
    const c = new ExclusiveCache({
      ...vmMemoryConfig().hypervisor,
      pages: 2,
      ghostPages: 4,
      admissionFailure: 1,
      forgetFailed: true,
    });
    const ev = observed(c);
    c.put(1);
    expect(c.orderPages()).toEqual([]);
    expect(c.get(1)).toBe(false);
    expect(ev).toEqual([-1]);
    expect(c.admissionFailures).toBe(1);
  });

  it('bounds the recency order at 4·C + G entries even when almost every admission fails', () => {
    const c = cache(10, 5, 0.999, 7);
    for (let i = 0; i < 20_000; i++) {
      c.put(i);
      expect(c.orderSize).toBeLessThanOrEqual(45);
      expect(c.size).toBeLessThanOrEqual(10);
    }
    expect(c.ghost.size).toBeLessThanOrEqual(5);
  });

  it('counts admission failures at rate p within binomial error', () => {
    for (const p of [0.05, 0.3, 0.9]) {
      const c = cache(100, 0, p, 42);
      const n = 100_000;
      for (let i = 0; i < n; i++) c.put(i);
      const mean = n * p;
      const sd = Math.sqrt(n * p * (1 - p));
      expect(Math.abs(c.admissionFailures - mean)).toBeLessThan(4 * sd);
      expect(c.puts + c.admissionFailures).toBe(n);
    }
    // p = 0 and p = 1 are exact.
    const none = cache(10, 0, 0);
    const all = cache(10, 0, 1);
    for (let i = 0; i < 1000; i++) {
      none.put(i);
      all.put(i);
    }
    expect(none.admissionFailures).toBe(0);
    expect(all.admissionFailures).toBe(1000);
    expect(all.size).toBe(0);
  });

  it('is reproducible from its seed', () => {
    const run = (seed: number): number[] => {
      const c = cache(1000, 0, 0.5, seed);
      for (let i = 0; i < 200; i++) c.put(i);
      return c.pages();
    };
    expect(run(3)).toEqual(run(3));
    expect(run(3)).not.toEqual(run(4));
  });

  it('rejects bad configurations', () => {
    expect(() => cache(-1)).toThrow(RangeError);
    expect(() => cache(1, 0, 1.5)).toThrow(RangeError);
    expect(() => new GhostList(-2)).toThrow(RangeError);
  });
});

describe('GhostList', () => {
  it('keeps the newest G ids with positions from the newest', () => {
    const g = new GhostList(3);
    for (const p of [1, 2, 3, 4]) g.add(p);
    expect(g.pages()).toEqual([4, 3, 2]);
    expect(g.remove(2)).toBe(2);
    expect(g.remove(4)).toBe(0);
    expect(g.remove(1)).toBe(-1);
    expect(g.size).toBe(1);
  });

  it('with capacity 0 holds nothing', () => {
    const g = new GhostList(0);
    g.add(1);
    expect(g.size).toBe(0);
    expect(g.has(1)).toBe(false);
  });
});
