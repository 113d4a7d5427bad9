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
});
