import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DenseIdMap } from '../../../main/engine/trace/id-map.js';

describe('DenseIdMap', () => {
  it('assigns dense ids in order of first appearance', () => {
    const m = new DenseIdMap();
    let next = 0;
    const out: number[] = [];
    for (const lo of [10, 20, 10, 30, 20]) {
      const id = m.idOf(0, lo, next);
      if (id === next) next++;
      out.push(id);
    }
    expect(out).toEqual([0, 1, 0, 2, 1]);
    expect(m.size).toBe(3);
    expect(m.get(0, 30)).toBe(2);
    expect(m.get(0, 40)).toBe(-1);
  });

  it('keeps the hi half apart, including full 32-bit halves', () => {
    const m = new DenseIdMap();
    expect(m.idOf(0, 5, 0)).toBe(0);
    expect(m.idOf(1, 5, 1)).toBe(1);
    expect(m.idOf(0xffffffff, 0xffffffff, 2)).toBe(2);
    expect(m.idOf(0, 0xffffffff, 3)).toBe(3);
    expect(m.get(1, 5)).toBe(1);
    expect(m.get(0xffffffff, 0xffffffff)).toBe(2);
    expect(m.get(0, 0xffffffff)).toBe(3);
    expect(m.get(2, 5)).toBe(-1);
  });

  it('grows past many ids and still finds them all', () => {
    const m = new DenseIdMap();
    const n = 100_000;
    let wrong = 0;
    for (let i = 0; i < n; i++) if (m.idOf(i % 3, i * 4096, i) !== i) wrong++;
    for (let i = 0; i < n; i++) if (m.get(i % 3, i * 4096) !== i) wrong++;
    expect(wrong).toBe(0);
    expect(m.size).toBe(n);
  });

  it('agrees with a Map on random 64-bit ids (property)', () => {
    const half = fc.oneof(fc.integer({ min: 0, max: 16 }), fc.nat({ max: 0xffffffff }));
    fc.assert(
      fc.property(fc.array(fc.tuple(half, half), { maxLength: 3000 }), (ids) => {
        const m = new DenseIdMap();
        const ref = new Map<string, number>();
        let next = 0;
        for (const [hi, lo] of ids) {
          const key = `${hi}:${lo}`;
          const want = ref.get(key) ?? ref.size;
          ref.set(key, want);
          const got = m.idOf(hi, lo, next);
          if (got === next) next++;
          if (got !== want) return false;
        }
        return m.size === ref.size;
      }),
    );
  });

  /** Maps ids through idOf and idsOf (in batches), checking both against a Map. */
  function check(ids: [number, number][], batch: number): DenseIdMap {
    const one = new DenseIdMap();
    const bulk = new DenseIdMap();
    const ref = new Map<string, number>();
    let next = 0;
    let nextBulk = 0;
    const want: number[] = [];
    for (const [hi, lo] of ids) {
      const key = `${hi}:${lo}`;
      const w = ref.get(key) ?? ref.size;
      ref.set(key, w);
      want.push(w);
      const got = one.idOf(hi, lo, next);
      if (got === next) next++;
      if (got !== w) expect([hi, lo, got]).toEqual([hi, lo, w]);
    }
    const his = Int32Array.from(ids, ([hi]) => hi | 0);
    const los = Int32Array.from(ids, ([, lo]) => lo | 0);
    const out = new Int32Array(ids.length);
    for (let from = 0; from < ids.length; from += batch)
      nextBulk = bulk.idsOf(his, los, from, Math.min(ids.length, from + batch), out, nextBulk);
    expect(Array.from(out)).toEqual(want);
    for (const m of [one, bulk]) {
      expect(m.size).toBe(ref.size);
      let wrong = 0;
      for (const [key, v] of ref) {
        const [hi, lo] = key.split(':').map(Number);
        if (m.get(hi, lo) !== v) wrong++;
      }
      expect(wrong).toBe(0);
      expect(m.get(0, 2 ** 28 - 1) === -1 || ref.has(`0:${2 ** 28 - 1}`)).toBe(true);
    }
    expect(bulk.paged).toBe(one.paged);
    return one;
  }

  it('keeps dense block numbers in pages, near the 2^28 edge too', () => {
    const ids: [number, number][] = [];
    for (let i = 0; i < 200_000; i++) ids.push([0, (i * 7919) % 150_000]);
    for (let i = 0; i < 3000; i++) ids.push([0, 2 ** 28 - 1500 + (i % 3000)]);
    for (let i = 0; i < 100; i++) ids.push([0, 2 ** 28 + i], [1, i]);
    expect(check(ids, 4096).paged).toBe(true);
  });

  it('gives pages up when they turn out sparse, mid-stream, and keeps every id', () => {
    const ids: [number, number][] = [];
    for (let i = 0; i < 20_000; i++) ids.push([0, i % 5000]); // dense: 2 pages
    for (let i = 0; i < 30_000; i++) ids.push([0, (i * 104_729) % 2 ** 28]); // sparse
    for (let i = 0; i < 20_000; i++) ids.push([0, (i * 31) % 9000]);
    expect(check(ids, 1000).paged).toBe(false);
    expect(check(ids, 65_536).paged).toBe(false);
  });

  it('grows the direct table over ids from 0, taking over the pages it comes to cover', () => {
    const ids: [number, number][] = [];
    // Ids beyond what the direct table may cover for so few ids (2^23 slots, 32 MiB) go to pages…
    for (let i = 0; i < 10_000; i++) ids.push([0, 5_000_000 + ((i * 7) % 10_000)]);
    // …600,000 dense ids from 0 make that allowed (at most 64 bytes per id)…
    for (let i = 0; i < 600_000; i++) ids.push([0, (i * 7919) % 600_000]);
    // …and the next id up there grows the table over those pages: their ids must survive.
    for (let i = 0; i < 20_000; i++) ids.push([0, 5_000_000 + i]);
    const one = check(ids, 4096);
    expect(one.directIds).toBe(2 ** 23);
    expect(one.paged).toBe(true);
  });

  it('keeps the direct table small when ids are sparse', () => {
    const ids: [number, number][] = [];
    for (let i = 0; i < 50_000; i++) ids.push([0, 2 ** 27 + ((i * 104_729) % 2 ** 20)]);
    for (let i = 0; i < 1000; i++) ids.push([0, i]);
    const one = check(ids, 4096);
    // 2^28 slots would be 1 GiB for about 51,000 ids; the first table covers the small ones.
    expect(one.directIds).toBe(4096);
  });

  it('agrees with a Map on ids that mix pages, the narrow and the wide hash (property)', () => {
    const lo = fc.oneof(
      fc.integer({ min: 0, max: 20_000 }),
      fc.integer({ min: 2 ** 28 - 10, max: 2 ** 28 + 10 }),
      fc.nat({ max: 0xffffffff }),
      fc.integer({ min: 0, max: 2 ** 28 - 1 }),
    );
    const hi = fc.oneof(fc.constant(0), fc.constant(0), fc.integer({ min: 1, max: 3 }));
    fc.assert(
      fc.property(
        fc.array(fc.tuple(hi, lo), { maxLength: 2000 }),
        fc.integer({ min: 1, max: 700 }),
        (ids, batch) => {
          check(ids, batch);
        },
      ),
      { numRuns: 150 },
    );
  });
});
