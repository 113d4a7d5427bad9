import { describe, expect, it } from 'vitest';
import { ExperimentSchema } from '../../../shared/schema/index.js';
import { vmMemoryConfig } from '../../../main/engine/config.js';
import { simulateVmSync } from '../../../main/engine/host.js';
import { compareIo } from '../../../main/engine/hypervisor/io-comparison.js';
import { generateWorkload } from '../../../main/engine/workload/generate.js';
import { runExperiment } from '../../../main/service/experiment-runner.js';

const WORKLOAD = {
  kind: 'hotcold',
  hot: 300,
  cold: 3000,
  hotFraction: 0.8,
  refs: 60_000,
  writeFraction: 0.3,
  rate: 1000,
} as const;

describe('I/O with the cache (V, C) against V + C guest pages without it', () => {
  it('runs the baseline with V + C guest pages and no cache, and reports the difference', async () => {
    const exp = ExperimentSchema.parse({
      name: 'io',
      methods: [],
      vms: [{ name: 'a', workload: WORKLOAD, guestPages: 400, hvPages: 800 }],
    });
    const res = await runExperiment(exp, process.cwd());
    const io = res.vms[0].io;
    // Independent truth: the same workload simulated directly with 1200 guest pages.
    const direct = simulateVmSync(
      vmMemoryConfig({ guestPages: 1200, hypervisor: { pages: 0 } }),
      generateWorkload(ExperimentSchema.parse(exp).vms[0].workload as never),
    ).stats;
    expect(io.withoutCache.guestPages).toBe(1200);
    expect(io.withoutCache.cachePages).toBe(0);
    expect(io.withoutCache.diskReads).toBe(direct.diskReads);
    expect(io.withoutCache.diskWrites).toBe(direct.diskWrites);
    // LRU guest, no admission failures, no direct writes: the reads agree (DESIGN.md invariant)…
    expect(io.withCache.diskReads).toBe(io.withoutCache.diskReads);
    // …but dirty pages written back to enter the cache are extra writes.
    expect(io.withCache.evictionWrites).toBeGreaterThan(io.withoutCache.evictionWrites);
    expect(io.difference.diskWrites).toBe(io.withCache.diskWrites - io.withoutCache.diskWrites);
    expect(io.difference.diskWrites).toBeGreaterThan(0);
    expect(io.relative.diskWrites).toBeCloseTo(
      io.difference.diskWrites / io.withoutCache.diskWrites,
      12,
    );
  });

  it('with C = 0 the baseline is the run itself', async () => {
    const exp = ExperimentSchema.parse({
      name: 'io0',
      methods: [],
      vms: [{ name: 'a', workload: WORKLOAD, guestPages: 400 }],
    });
    const io = (await runExperiment(exp, process.cwd())).vms[0].io;
    expect(io.difference).toEqual({ diskReads: 0, diskWrites: 0 });
  });

  it('compareIo: relative differences, zero baselines', () => {
    const stats = (diskReads: number, diskWrites: number) =>
      ({
        guestPages: 1,
        cachePages: 0,
        diskReads,
        diskWrites,
        writebackWrites: 0,
        evictionWrites: diskWrites,
        syncWrites: 0,
        bypassWrites: 0,
      }) as never;
    const c = compareIo(stats(10, 5), stats(8, 0));
    expect(c.difference).toEqual({ diskReads: 2, diskWrites: 5 });
    expect(c.relative.diskReads).toBeCloseTo(0.25, 12);
    expect(c.relative.diskWrites).toBeNaN();
    expect(compareIo(stats(0, 0), stats(0, 0)).relative).toEqual({ diskReads: 0, diskWrites: 0 });
  });
});
