import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { vmMemoryConfig } from '../../../main/engine/config.js';
import { GuestMemory } from '../../../main/engine/guest/guest-memory.js';
import { ExclusiveCache } from '../../../main/engine/hypervisor/exclusive-cache.js';
import { createPolicy } from '../../../main/engine/policy/create-policy.js';
import type { PagePolicy, PolicyName } from '../../../main/engine/policy/policy.js';
import { OP_READ, OP_WRITE } from '../../../main/engine/trace/chunk.js';

const pagesArb = fc.array(fc.integer({ min: 0, max: 30 }), { maxLength: 200 });
const capArb = fc.integer({ min: 0, max: 16 });

function feed(p: PagePolicy, pages: number[], from = 0): number[] {
  const victims: number[] = [];
  pages.forEach((page, i) => {
    if (!p.access(page, from + i)) {
      const v = p.insert(page, from + i);
      if (v >= 0) victims.push(v);
    }
  });
  return victims;
}

/** Brute-force LRU: a list of pages, most recent first. */
function lruOrder(pages: number[]): number[] {
  const order: number[] = [];
  for (const p of pages) {
    const i = order.indexOf(p);
    if (i >= 0) order.splice(i, 1);
    order.unshift(p);
  }
  return order;
}

function resident(p: PagePolicy, universe = 31): number[] {
  const out: number[] = [];
  for (let page = 0; page < universe; page++) if (p.frameOf(page) >= 0) out.push(page);
  return out;
}

describe('policy resize', () => {
  it('LRU: shrinking evicts exactly the least recently used pages (brute force), LRU-most first', () => {
    fc.assert(
      fc.property(capArb, capArb, pagesArb, pagesArb, (c0, c1, before, after) => {
        const p = createPolicy('lru', c0);
        feed(p, before);
        const order = lruOrder(before).slice(0, c0); // resident, most recent first
        const evicted = p.resize(c1);
        const keep = order.slice(0, c1);
        expect(evicted).toEqual(order.slice(c1).reverse());
        expect(resident(p)).toEqual([...keep].sort((a, b) => a - b));
        expect(p.capacity).toBe(c1);
        // Afterwards it behaves as an LRU memory of c1 pages that holds `keep`.
        const victims = feed(p, after);
        const truth: number[] = [];
        const list = [...keep];
        for (const page of after) {
          if (c1 === 0) {
            truth.push(page); // zero frames: the page passes straight through
            continue;
          }
          const i = list.indexOf(page);
          if (i >= 0) list.splice(i, 1);
          else if (list.length === c1) truth.push(list.pop() as number);
          list.unshift(page);
        }
        expect(victims).toEqual(truth);
      }),
    );
  });

  // For FIFO and CLOCK the next victims without further references are the pages that inserting
  // fresh pages would evict (the fresh pages enter with a clear bit behind the hand).
  for (const name of ['fifo', 'clock'] as PolicyName[]) {
    it(`${name}: shrinking evicts the pages the policy would evict next`, () => {
      fc.assert(
        fc.property(capArb, pagesArb, fc.integer({ min: 0, max: 16 }), (c0, before, k) => {
          const a = createPolicy(name, c0);
          const b = createPolicy(name, c0);
          feed(a, before);
          feed(b, before);
          const drop = Math.min(k, a.size);
          const evicted = a.resize(a.size - drop);
          if (a.size < c0 || drop === 0) {
            // Not full: no insert would evict; only compare the count.
            expect(evicted.length).toBe(drop);
            return;
          }
          const fresh = Array.from({ length: drop }, (_, i) => 1000 + i);
          expect(evicted).toEqual(feed(b, fresh));
        }),
      );
    });
  }

  for (const name of [
    'lru',
    'fifo',
    'clock',
    'arc',
    'lru2',
    'lfu',
    '2q',
    'lirs',
    's3fifo',
    'sieve',
    'clockpro',
    'clockpro-libcachesim',
  ] as PolicyName[]) {
    it(`${name}: shrink keeps size ≤ capacity and every page once; growth starts empty`, () => {
      fc.assert(
        fc.property(capArb, capArb, capArb, pagesArb, pagesArb, (c0, c1, c2, x, y) => {
          const p = createPolicy(name, c0);
          feed(p, x);
          const before = resident(p);
          const evicted = p.resize(c1);
          const after = resident(p);
          expect(after.length).toBe(p.size);
          expect(p.size).toBeLessThanOrEqual(c1);
          expect([...after, ...evicted].sort((a, b) => a - b)).toEqual(before);
          for (const page of after) expect(p.frameOf(page)).toBeLessThan(c1);
          // Growing: no eviction until the new room is full.
          const size = p.size;
          expect(p.resize(Math.max(c1, c2))).toEqual([]);
          // A page that is not admitted (libCacheSim's 2q/s3fifo/lirs/ClockPro at small sizes)
          // comes back from insert as its own "victim": no eviction.
          let evictions = 0;
          y.forEach((page, i) => {
            if (p.access(page, x.length + i)) return;
            const v = p.insert(page, x.length + i);
            if (v >= 0 && v !== page) evictions++;
          });
          const inserted = new Set<number>();
          for (const page of y) inserted.add(page);
          if (size + inserted.size <= Math.max(c1, c2)) expect(evictions).toBe(0);
          // lirs may hold pages past its capacity after a hit, as libCacheSim does (see lirs.ts).
          if (name !== 'lirs')
            for (const page of resident(p)) expect(p.frameOf(page)).toBeLessThan(Math.max(c1, c2));
        }),
      );
    });
  }
});

describe('guest memory and hypervisor cache resize', () => {
  it('a shrinking guest writes dirty victims back and puts them in the cache; the cache sends its oldest to the ghost list', () => {
    const cache = new ExclusiveCache(
      vmMemoryConfig({ hypervisor: { pages: 4, ghostPages: 8 } }).hypervisor,
    );
    const guest = new GuestMemory(createPolicy('lru', 4), vmMemoryConfig().writeback, cache);
    [1, 2, 3, 4].forEach((p, i) => guest.reference(p, i === 0 ? OP_WRITE : OP_READ, i, i));
    // LRU order (most recent first): 4 3 2 1; page 1 is dirty.
    expect(guest.resize(2)).toEqual([1, 2]);
    expect(guest.evictionWrites).toBe(1);
    expect(cache.pages()).toEqual([2, 1]);
    expect(cache.resize(1)).toEqual([1]);
    expect(cache.pages()).toEqual([2]);
    expect(cache.ghost.pages()).toEqual([1]);
  });

  it('LRU guest + cache shrunk from (V, C) to (V′, C′) hold exactly the V′ + C′ most recent pages (brute force)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 8 }),
        fc.integer({ min: 0, max: 8 }),
        fc.integer({ min: 0, max: 8 }),
        fc.integer({ min: 0, max: 8 }),
        pagesArb,
        (v, c, v1, c1, refs) => {
          const cache = new ExclusiveCache(
            vmMemoryConfig({ hypervisor: { pages: c, ghostPages: 40 } }).hypervisor,
          );
          const guest = new GuestMemory(createPolicy('lru', v), vmMemoryConfig().writeback, cache);
          refs.forEach((p, i) => guest.reference(p, OP_READ, i, i));
          v1 = Math.min(v1, v);
          c1 = Math.min(c1, c);
          guest.resize(v1);
          cache.resize(c1);
          const held = [...resident(guest.policy), ...cache.pages()].sort((a, b) => a - b);
          const top = lruOrder(refs)
            .slice(0, v1 + c1)
            .sort((a, b) => a - b);
          expect(held).toEqual(top);
        },
      ),
    );
  });
});
