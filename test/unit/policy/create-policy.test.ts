import { describe, expect, it } from 'vitest';
import { computeNextUse, createPolicy } from '../../../main/engine/policy/create-policy.js';
import { POLICY_NAMES } from '../../../main/engine/policy/policy.js';

describe('createPolicy', () => {
  it('builds every named policy with the requested capacity', () => {
    const nextUse = computeNextUse(Int32Array.from([1, 2, 1]));
    // 20 pages: libCacheSim's 2q (C < 4) and s3fifo (C < 20) admit nothing below that.
    for (const name of POLICY_NAMES) {
      const p = createPolicy(name, 20, { nextUse });
      expect(p.name).toBe(name);
      expect(p.capacity).toBe(20);
      expect(p.size).toBe(0);
      expect(p.insert(1, 0)).toBe(-1);
      expect(p.access(1, 2)).toBe(true);
      expect(p.frameOf(1)).toBeGreaterThanOrEqual(0);
    }
  });

  it('passes activeFraction to lru2 and requires nextUse for OPT', () => {
    const lru2 = createPolicy('lru2', 10, { activeFraction: 0.3 }) as unknown as {
      maxActive: number;
    };
    expect(lru2.maxActive).toBe(3);
    expect(() => createPolicy('opt', 3)).toThrow(/nextUse/);
  });

  it('rejects a negative capacity for every policy', () => {
    const nextUse = new Int32Array(0);
    for (const name of POLICY_NAMES)
      expect(() => createPolicy(name, -1, { nextUse })).toThrow(RangeError);
  });
});
