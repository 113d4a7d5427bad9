import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { vmMemoryConfig } from '../../../main/engine/config.js';
import type { PolicyName } from '../../../main/engine/policy/policy.js';
import { OP_WRITE_BIT, OP_WRITE_FSYNC } from '../../../main/engine/trace/chunk.js';
import { VmSimulator } from '../../../main/engine/vm.js';
import { arbTrace, toTrace, type RandomTrace } from '../hypervisor/fixtures.js';

interface NaiveCounts {
  hvHits: number;
  diskReads: number;
  writebackWrites: number;
  evictionWrites: number;
  syncWrites: number;
  dirty: number[];
}

/**
 * A straightforward model of DESIGN.md §2 with arrays and maps: LRU guest, LRU-by-insertion
 * cache, and a flusher that visits every wake-up and scans every dirty page.
 */
function naiveVm(
  r: RandomTrace,
  v: number,
  c: number,
  expire: number,
  interval: number,
  writeThrough: boolean,
): NaiveCounts {
  const guest: number[] = []; // most recent first
  const cache: number[] = []; // most recently inserted first
  const since = new Map<number, number>();
  const out: NaiveCounts = {
    hvHits: 0,
    diskReads: 0,
    writebackWrites: 0,
    evictionWrites: 0,
    syncWrites: 0,
    dirty: [],
  };
  const put = (p: number): void => {
    if (c === 0) return;
    cache.unshift(p);
    if (cache.length > c) cache.pop();
  };
  let k = 1;
  for (let i = 0; i < r.pages.length; i++) {
    // VM time starts at the first reference.
    const [p, op, t] = [r.pages[i], r.ops[i], r.times[i] - r.times[0]];
    if (!writeThrough) {
      for (; k * interval <= t; k++) {
        for (const [q, s] of [...since]) {
          if (s + expire <= k * interval) {
            since.delete(q);
            out.writebackWrites++;
          }
        }
      }
    }
    const write = (op & OP_WRITE_BIT) !== 0;
    const at = guest.indexOf(p);
    if (at >= 0) {
      guest.splice(at, 1);
      guest.unshift(p);
    } else {
      const inCache = cache.indexOf(p);
      if (inCache >= 0) {
        cache.splice(inCache, 1);
        out.hvHits++;
      } else out.diskReads++;
      if (v === 0) {
        if (write) out.syncWrites++;
        put(p);
        continue;
      }
      guest.unshift(p);
      if (guest.length > v) {
        const victim = guest.pop() as number;
        if (since.delete(victim)) out.evictionWrites++;
        put(victim);
      }
    }
    if (write) {
      if (writeThrough || op === OP_WRITE_FSYNC) {
        out.syncWrites++;
        since.delete(p);
      } else if (!since.has(p)) since.set(p, t);
    }
  }
  out.dirty = [...since.keys()].sort((a, b) => a - b);
  return out;
}

describe('guest memory over the exclusive cache', () => {
  it('matches a naive model of hits, writeback and eviction writes', () => {
    fc.assert(
      fc.property(
        arbTrace(30, 300),
        fc.integer({ min: 0, max: 20 }),
        fc.integer({ min: 0, max: 20 }),
        fc.integer({ min: 0, max: 40 }),
        fc.integer({ min: 1, max: 20 }),
        fc.boolean(),
        (r, v, c, e4, i4, writeThrough) => {
          const [expire, interval] = [e4 / 4, i4 / 4];
          const config = vmMemoryConfig({
            guestPages: v,
            writeback: {
              mode: writeThrough ? 'write-through' : 'delayed',
              dirtyExpire: expire,
              interval,
            },
            hypervisor: { pages: c },
          });
          const sim = new VmSimulator(config);
          const trace = toTrace(r);
          sim.run({ length: r.pages.length, ...trace }, 0, r.pages.length);
          const s = sim.result().stats;
          const want = naiveVm(r, v, c, expire, interval, writeThrough);
          expect({
            hvHits: s.hvHits,
            diskReads: s.diskReads,
            writebackWrites: s.writebackWrites,
            evictionWrites: s.evictionWrites,
            syncWrites: s.syncWrites,
            dirty: sim.guest.writeback.dirtyPages(),
          }).toEqual(want);
          expect(s.diskWrites).toBe(want.writebackWrites + want.evictionWrites + want.syncWrites);
          expect(s.reads + s.writes).toBe(r.pages.length);
          expect(s.guestHits + s.guestMisses).toBe(r.pages.length);
          expect(s.hvHits + s.diskReads).toBe(s.guestMisses);
        },
      ),
      { numRuns: 300 },
    );
  });

  const policies: PolicyName[] = [
    'lru',
    'fifo',
    'clock',
    'arc',
    'lru2',
    'lfu',
    '2q',
    's3fifo',
    'sieve',
    'clockpro',
    'clockpro-libcachesim',
  ];
  it.each(policies)(
    'exclusivity with a %s guest: never in both places; cache ≤ C, ghost ≤ G',
    (policy) => {
      fc.assert(
        fc.property(
          arbTrace(40, 300),
          fc.integer({ min: 0, max: 15 }),
          fc.integer({ min: 0, max: 15 }),
          fc.integer({ min: 0, max: 10 }),
          fc.constantFrom(0, 0.3),
          (r, v, c, g, admissionFailure) => {
            const config = vmMemoryConfig({
              guestPages: v,
              policy,
              hypervisor: { pages: c, ghostPages: g, admissionFailure },
            });
            const sim = new VmSimulator(config);
            const chunk = { length: r.pages.length, ...toTrace(r) };
            const distinct = new Set(r.pages).size;
            for (let i = 0; i < r.pages.length; i++) {
              sim.run(chunk, i, i + 1);
              for (let p = 0; p < distinct; p++) {
                if (sim.guest.isResident(p) && sim.cache.has(p))
                  throw new Error(`page ${p} in guest and cache after ref ${i}`);
                if (sim.cache.has(p) && sim.cache.ghost.has(p))
                  throw new Error(`page ${p} in cache and ghost after ref ${i}`);
              }
              expect(sim.cache.size).toBeLessThanOrEqual(c);
              expect(sim.cache.ghost.size).toBeLessThanOrEqual(g);
              expect(sim.guest.policy.size).toBeLessThanOrEqual(v);
            }
          },
        ),
        { numRuns: 60 },
      );
    },
  );

  it('warm-up references change the state but are not counted', () => {
    const r: RandomTrace = { pages: [0, 1, 2, 0, 1, 3, 0], ops: [1, 0, 0, 0, 0, 0, 0], times: [] };
    r.times = r.pages.map((_, i) => i);
    const config = vmMemoryConfig({ guestPages: 2, hypervisor: { pages: 1 }, warmup: 3 });
    const sim = new VmSimulator(config);
    sim.run({ length: 7, ...toTrace(r) }, 0, 7);
    const s = sim.result().stats;
    // After warm-up: guest [2, 1], cache [0] (page 0 was written back on eviction, uncounted).
    // Then 0 (cache hit), 1 (cache hit), 3 (disk), 0 (cache hit).
    expect(s.references).toBe(4);
    expect(s.reads).toBe(4);
    expect(s.writes).toBe(0);
    expect(s.evictionWrites).toBe(0);
    expect(s.diskWrites).toBe(0);
    expect(s.hvHits).toBe(3);
    expect(s.diskReads).toBe(1);
    expect(s.guestHits).toBe(0);
    expect(s.elapsedSeconds).toBe(3); // from t = 3 to t = 6
  });

  it('bypassing writes invalidate a cached copy and count as disk writes', () => {
    const config = vmMemoryConfig({ guestPages: 1, hypervisor: { pages: 2 } });
    const sim = new VmSimulator(config);
    const r: RandomTrace = { pages: [0, 1], ops: [0, 0], times: [0, 1] };
    sim.run({ length: 2, ...toTrace(r) }, 0, 2);
    expect(sim.cache.has(0)).toBe(true);
    sim.bypassWrite(0);
    expect(sim.cache.has(0)).toBe(false);
    const s = sim.result().stats;
    expect(s.invalidations).toBe(1);
    expect(s.bypassWrites).toBe(1);
    expect(s.diskWrites).toBe(1);
  });
});
