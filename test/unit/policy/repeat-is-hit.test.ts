/**
 * PagePolicy.repeatIsHit: a policy that declares it must treat a reference to the page referenced
 * just before as a hit that changes nothing (while capacity > 0), so that minisim may skip the rest
 * of a run of one page. Checked against the policy itself fed every reference of traces full of
 * runs: the same misses and the same victims as fed only each run's first reference.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createPolicy } from '../../../main/engine/policy/create-policy.js';
import { POLICY_NAMES } from '../../../main/engine/policy/policy.js';

const runs = fc.array(
  fc.record({ page: fc.nat({ max: 30 }), times: fc.integer({ min: 1, max: 4 }) }),
  { minLength: 1, maxLength: 200 },
);

describe('repeatIsHit', () => {
  const declaring = POLICY_NAMES.filter(
    (name) => name !== 'opt' && createPolicy(name, 1).repeatIsHit === true,
  );

  it('is declared by LRU and FIFO only', () => {
    expect(declaring).toEqual(['lru', 'fifo']);
  });

  it.each(declaring)('%s: the rest of a run are hits that change nothing', (name) => {
    fc.assert(
      fc.property(runs, fc.integer({ min: 1, max: 12 }), (rs, capacity) => {
        const every = createPolicy(name, capacity);
        const firsts = createPolicy(name, capacity);
        let i = 0;
        for (const { page, times } of rs) {
          const a = every.access(page, i) ? -2 : every.insert(page, i);
          const b = firsts.access(page, i) ? -2 : firsts.insert(page, i);
          expect(a).toBe(b);
          for (let k = 1; k < times; k++) expect(every.access(page, ++i)).toBe(true);
          i++;
        }
        for (let page = 0; page <= 30; page++)
          expect(every.frameOf(page) >= 0).toBe(firsts.frameOf(page) >= 0);
      }),
      { numRuns: 300 },
    );
  });

  it('would be wrong for CLOCK, whose second reference sets its bit', () => {
    // Capacity 2: A, A, B, C evicts B (A's bit was set by its second reference); A, B, C evicts A.
    const clock = createPolicy('clock', 2);
    const withRepeat = [1, 1, 2].map((p, i) => clock.access(p, i) || clock.insert(p, i));
    expect(withRepeat).toEqual([-1, true, -1]);
    const once = createPolicy('clock', 2);
    once.insert(1, 0);
    once.insert(2, 1);
    expect(clock.insert(3, 3)).not.toBe(once.insert(3, 2));
    expect(clock.repeatIsHit).toBeUndefined();
  });
});
