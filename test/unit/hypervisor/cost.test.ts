import { describe, expect, it } from 'vitest';
import { ExperimentSchema } from '../../../shared/schema/index.js';
import { DEFAULT_COSTS, vmMemoryConfig } from '../../../main/engine/config.js';
import {
  applicationTime,
  cacheCost,
  overheadOf,
  type TimedCounts,
} from '../../../main/engine/hypervisor/cost.js';
import { simulateVmSync } from '../../../main/engine/host.js';
import { chunksOf, traceFromPages } from '../../../main/engine/trace/chunk.js';
import { overheadSweep } from '../../../main/service/overhead.js';

const COUNTS: TimedCounts = {
  references: 1000,
  cachePages: 10,
  hvHits: 50,
  puts: 80,
  fullPageWriteMisses: 5,
  diskReads: 20,
  evictionWrites: 30,
  syncWrites: 4,
  bypassWrites: 1,
  writebackWrites: 7,
};

describe('cost model', () => {
  it('overhead = hits·hitUs + puts·putUs; saving = hits·diskReadUs', () => {
    const c = cacheCost(
      { ...DEFAULT_COSTS, hitUs: 3, putUs: 5, diskReadUs: 1000, diskWriteUs: 2000 },
      10,
      7,
    );
    expect(c).toEqual({ overheadUs: 65, savedUs: 10_000, netSavedUs: 9_935 });
  });

  it('is what a simulation reports', () => {
    const pages = Array.from({ length: 2000 }, (_, i) => (i * 37) % 150);
    const config = vmMemoryConfig({
      guestPages: 50,
      hypervisor: { pages: 120, costs: { hitUs: 2, putUs: 1, diskReadUs: 4000, diskWriteUs: 1 } },
    });
    const s = simulateVmSync(config, chunksOf(traceFromPages(pages))).stats;
    expect(s.hvHits).toBeGreaterThan(0);
    expect(s.overheadUs).toBe(s.hvHits * 2 + s.puts * 1);
    expect(s.savedUs).toBe(s.hvHits * 4000);
    expect(s.netSavedUs).toBe(s.savedUs - s.overheadUs);
    // Read-only: every reference costs CPU + a touch, plus hits, puts and disk reads.
    const c = config.hypervisor.costs;
    expect(s.applicationUs).toBe(
      s.references * (c.cpuUs + c.guestHitUs) + s.hvHits * 2 + s.puts * 1 + s.diskReads * 4000,
    );
    expect(s.meanAccessUs).toBeCloseTo(s.applicationUs / s.references, 9);
  });

  it('application time by hand', () => {
    const costs = {
      ...DEFAULT_COSTS,
      cpuUs: 10,
      guestHitUs: 1,
      hitUs: 3,
      putUs: 2,
      diskReadUs: 5000,
      diskWriteUs: 4000,
      evictionWait: 0.5,
    };
    const t = applicationTime(costs, COUNTS);
    // 1000·(10 + 1) + 50·3 + 80·2 + 5·3 + 20·5000 + (0.5·30 + 4 + 1)·4000
    expect(t.cpuUs).toBe(10_000);
    expect(t.memoryUs).toBe(1_000);
    expect(t.hypervisorUs).toBe(150 + 160 + 15);
    expect(t.diskReadUs).toBe(100_000);
    expect(t.blockingWriteUs).toBe(80_000);
    expect(t.totalUs).toBe(11_000 + 325 + 100_000 + 80_000);
    expect(t.meanAccessUs).toBeCloseTo(191.325, 9);
    // (7 flusher + 15 unwaited eviction writes)·4000
    expect(t.backgroundWriteUs).toBe(88_000);
    // Without a cache the full-page-write misses need no hypercall.
    expect(applicationTime(costs, { ...COUNTS, cachePages: 0 }).hypervisorUs).toBe(310);
    const base = applicationTime(costs, { ...COUNTS, cachePages: 0, hvHits: 0, puts: 0 });
    const o = overheadOf(t, base);
    expect(o.throughputRatio).toBeCloseTo(base.totalUs / t.totalUs, 12);
    expect(o.slowdown).toBeCloseTo(t.totalUs / base.totalUs - 1, 12);
    expect(o.throughputRatio).toBeLessThan(1);
  });

  it('the overhead sweep: V + C fixed, the slowdown grows with the cache share', async () => {
    const exp = ExperimentSchema.parse({
      name: 'o',
      vms: [
        {
          name: 'a',
          workload: { kind: 'zipf', pages: 3000, alpha: 0.8, refs: 40_000, seed: 3 },
          costs: { cpuUs: 5 },
        },
      ],
    });
    const sweep = await overheadSweep(exp.vms[0], 1500, [0.1, 0.5, 0.9], process.cwd(), 4096);
    expect(sweep.points.map((p) => [p.guestPages, p.cachePages])).toEqual([
      [1350, 150],
      [750, 750],
      [150, 1350],
    ]);
    // LRU, read-only, no admission failures: same disk reads at every share (no extra I/O)…
    for (const p of sweep.points) expect(p.diskReads).toBe(sweep.baseline.diskReads);
    // …so the slowdown is exactly the hypervisor's hits and puts.
    for (const p of sweep.points) {
      const extra = p.hvHits * DEFAULT_COSTS.hitUs + p.puts * DEFAULT_COSTS.putUs;
      expect(p.overhead.withCache.totalUs - sweep.baseline.time.totalUs).toBeCloseTo(extra, 6);
    }
    const slow = sweep.points.map((p) => p.overhead.slowdown);
    expect(slow[0]).toBeGreaterThan(0);
    expect(slow[1]).toBeGreaterThan(slow[0]);
    expect(slow[2]).toBeGreaterThan(slow[1]);
    expect(sweep.points[2].overhead.throughputRatio).toBeLessThan(1);
  });
});
