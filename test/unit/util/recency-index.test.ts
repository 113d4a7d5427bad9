import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RecencyIndex } from '../../../main/engine/util/recency-index.js';

type Op = { kind: 'touch' | 'remove'; key: number } | { kind: 'pop' } | { kind: 'again' };

/** Mostly small keys (so ranks get deep) with a few large ones (so the key table grows). */
const keyArb = fc.nat({ max: 59 }).map((k) => (k < 55 ? k : 1000 * (k - 54)));
const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 8, arbitrary: keyArb.map((key) => ({ kind: 'touch' as const, key })) },
  { weight: 2, arbitrary: keyArb.map((key) => ({ kind: 'remove' as const, key })) },
  { weight: 1, arbitrary: fc.constant({ kind: 'pop' as const }) },
  // An immediate re-reference of the most recent key (rank 0: touch leaves everything in place).
  { weight: 3, arbitrary: fc.constant({ kind: 'again' as const }) },
);

describe('RecencyIndex', () => {
  it('matches a plain array model through many compactions', () => {
    // At most 60 live keys keep the stamp space at <= 128, so 1000+ operations compact it
    // several times (and grow it while the live set is large).
    fc.assert(
      fc.property(fc.array(opArb, { minLength: 1000, maxLength: 2000 }), (ops) => {
        const index = new RecencyIndex(1, 1);
        const model: number[] = []; // most recent first
        const keys = new Set<number>();
        ops.forEach((o, step) => {
          const op: Op = o.kind === 'again' ? { kind: 'touch', key: model[0] ?? 0 } : o;
          if (op.kind === 'touch') {
            keys.add(op.key);
            const at = model.indexOf(op.key);
            expect(index.touch(op.key)).toBe(at);
            if (at >= 0) model.splice(at, 1);
            model.unshift(op.key);
          } else if (op.kind === 'remove') {
            const at = model.indexOf(op.key);
            expect(index.remove(op.key)).toBe(at);
            if (at >= 0) model.splice(at, 1);
          } else if (op.kind === 'pop') {
            expect(index.popOldest()).toBe(model.length > 0 ? model.pop() : -1);
          }
          expect(index.size).toBe(model.length);
          expect(index.oldest()).toBe(model.length > 0 ? model[model.length - 1] : -1);
          if (step % 50 === 0) {
            for (const k of keys) {
              expect(index.rankOf(k)).toBe(model.indexOf(k));
              expect(index.has(k)).toBe(model.includes(k));
            }
            expect(index.keysByRecency()).toEqual(model);
          }
        });
        expect(index.keysByRecency()).toEqual(model);
        for (const k of keys) expect(index.rankOf(k)).toBe(model.indexOf(k));
      }),
      { numRuns: 60 },
    );
  });

  it('gives stack distances across many blocks of stamps and in-place compactions', () => {
    // 4,000 keys and 60,000 touches: ranks span thousands of stamps (many 32-stamp blocks) and
    // the stamp space compacts in place many times. The model: the rank of a key is the number
    // of keys touched after it (last-touch times).
    const index = new RecencyIndex(64, 16);
    const last = new Float64Array(4000).fill(-1);
    let x = 7;
    let wrong = 0;
    for (let t = 0; t < 60_000; t++) {
      x = (Math.imul(x, 1103515245) + 12345) >>> 0;
      const key = (x >>> 8) % (t % 3 === 0 ? 4000 : 300);
      let want = -1;
      if (last[key] >= 0) {
        want = 0;
        for (let k = 0; k < 4000; k++) if (last[k] > last[key]) want++;
      }
      if (index.touch(key) !== want) wrong++;
      last[key] = t;
    }
    expect(wrong).toBe(0);
    expect(index.size).toBe(last.filter((v) => v >= 0).length);
  });

  it('answers for absent and out-of-range keys', () => {
    const index = new RecencyIndex();
    expect(index.oldest()).toBe(-1);
    expect(index.popOldest()).toBe(-1);
    expect(index.rankOf(1 << 20)).toBe(-1);
    expect(index.remove(1 << 20)).toBe(-1);
    expect(index.has(1 << 20)).toBe(false);
    expect(index.touch(1 << 20)).toBe(-1);
    expect(index.touch(3)).toBe(-1);
    expect(index.touch(1 << 20)).toBe(1);
    expect(index.keysByRecency()).toEqual([1 << 20, 3]);
  });
});
