import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { vmMemoryConfig } from '../../../main/engine/config.js';
import { simulateVmSync } from '../../../main/engine/host.js';
import { ExactMrc } from '../../../main/engine/mrc/exact.js';
import { chunksOf } from '../../../main/engine/trace/chunk.js';
import type { InMemoryTrace } from '../../../main/engine/trace/chunk.js';
import {
  arbTrace,
  cloudPhysicsTrace,
  haveTestTraces,
  naiveLruMisses,
  sampleLirsTrace,
  toTrace,
  withWrites,
} from './fixtures.js';

/** Real traces: a shipped sample always, the CloudPhysics reference with HCLAB_TEST_TRACES. */
const REAL: [string, () => InMemoryTrace, boolean][] = [
  ['multi3.trace.gz (shipped)', () => sampleLirsTrace('multi3.trace.gz'), false],
  ['cloudPhysicsIO.txt', cloudPhysicsTrace, !haveTestTraces()],
];

/**
 * DESIGN.md §2 invariant: with an LRU guest, no admission failures and no bypassing writes, the
 * disk reads of (V guest pages + C cache pages) equal the misses of a plain LRU cache of V + C.
 */
describe('exclusive cache invariant', () => {
  it('holds on random traces with reads, writes and fsyncs (all V, C incl. C = 0)', () => {
    fc.assert(
      fc.property(
        arbTrace(),
        fc.integer({ min: 0, max: 30 }),
        fc.integer({ min: 0, max: 30 }),
        fc.integer({ min: 0, max: 10 }),
        fc.constantFrom<'delayed' | 'write-through'>('delayed', 'write-through'),
        fc.integer({ min: 1, max: 97 }),
        (r, v, c, g, mode, chunkRefs) => {
          const config = vmMemoryConfig({
            guestPages: v,
            writeback: { mode, dirtyExpire: 3, interval: 1 },
            hypervisor: { pages: c, ghostPages: g },
          });
          const res = simulateVmSync(config, chunksOf(toTrace(r), chunkRefs));
          expect(res.stats.diskReads).toBe(naiveLruMisses(r.pages, v + c));
          expect(res.stats.guestMisses).toBe(naiveLruMisses(r.pages, v));
          expect(res.stats.hvHits).toBe(res.stats.guestMisses - res.stats.diskReads);
        },
      ),
      { numRuns: 400 },
    );
  });

  for (const [name, load, skip] of REAL)
    it.skipIf(skip)(`holds on ${name} at several (V, C)`, () => {
      const trace = withWrites(load());
      const exact = new ExactMrc(0, trace.distinct);
      for (const ch of chunksOf(trace)) exact.feed(ch);
      const lru = exact.curve();
      const cases: [number, number][] = [
        [1, 0],
        [0, 64],
        [100, 100],
        [512, 1536],
        [3000, 7000],
        [20000, 5000],
      ];
      for (const [v, c] of cases) {
        const config = vmMemoryConfig({
          guestPages: v,
          hypervisor: { pages: c, ghostPages: 1000 },
          untimedRate: 100,
        });
        const res = simulateVmSync(config, chunksOf(trace, 4096), {
          expectedPages: trace.distinct,
        });
        expect(res.stats.diskReads, `V=${v} C=${c}`).toBe(lru.missesAt(v + c));
        expect(res.stats.guestMisses, `V=${v} C=${c}`).toBe(lru.missesAt(v));
      }
    });

  it.skipIf(!haveTestTraces())(
    'the exact curve it is checked against has DESIGN.md §4 numbers',
    () => {
      const trace = withWrites(cloudPhysicsTrace());
      const exact = new ExactMrc(0, trace.distinct);
      for (const ch of chunksOf(trace)) exact.feed(ch);
      const lru = exact.curve();
      // LRU hits with 20 pages on cloudPhysicsIO.txt.
      expect(lru.references - lru.missesAt(20)).toBe(8311);
    },
  );

  it('does not hold with admission failures (the test can fail)', () => {
    const trace = sampleLirsTrace('multi3.trace.gz');
    const exact = new ExactMrc(0, trace.distinct);
    for (const ch of chunksOf(trace)) exact.feed(ch);
    const config = vmMemoryConfig({
      guestPages: 500,
      hypervisor: { pages: 1500, admissionFailure: 0.3 },
    });
    const res = simulateVmSync(config, chunksOf(trace));
    expect(res.stats.diskReads).toBeGreaterThan(exact.curve().missesAt(2000));
  });
});
