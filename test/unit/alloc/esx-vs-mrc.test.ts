import { describe, expect, it } from 'vitest';
import { vmMemoryConfig } from '../../../main/engine/config.js';
import { simulateVmSync } from '../../../main/engine/host.js';
import {
  adjustedRatio,
  esxAllocate,
  fromMissCurve,
  resimulate,
  solveAllocation,
} from '../../../main/engine/alloc/index.js';
import { generateWorkload } from '../../../main/engine/workload/generate.js';
import type { WorkloadSpecInput } from '../../../shared/schema/workload.js';

describe('ESX allocator', () => {
  it('reclaims from the VM with the lowest adjusted shares-per-page ratio', () => {
    // k = 4: an idle page costs 4 active ones.
    expect(adjustedRatio(1, 100, 100, 4)).toBeCloseTo(1 / 100, 12);
    expect(adjustedRatio(1, 100, 0, 4)).toBeCloseTo(1 / 400, 12);
    const r = esxAllocate(
      [
        { name: 'busy', activePages: 500, initial: 500 },
        { name: 'idle', activePages: 50, initial: 500 },
      ],
      { memory: 800, quantum: 10 },
    );
    expect(r.feasible).toBe(true);
    if (r.feasible) expect(r.allocations.map((a) => a.pages)).toEqual([500, 300]);
    const shares = esxAllocate(
      [
        { name: 'a', activePages: 500, initial: 500, shares: 1 },
        { name: 'b', activePages: 500, initial: 500, shares: 3 },
      ],
      { memory: 800 },
    );
    // b has three times the shares: all 200 pages come from a (its ρ = 1/P stays below 3/500).
    if (shares.feasible) expect(shares.allocations.map((a) => a.pages)).toEqual([300, 500]);
    expect(
      esxAllocate([{ name: 'a', activePages: 0, initial: 10, min: 20 }], { memory: 10 }),
    ).toEqual({ feasible: false, reason: 'total minimum memory 20 exceeds M = 10' });
  });
});

describe('MRC-driven allocation vs ESX on a crafted three-VM case', () => {
  it('gives fewer misses in re-simulation when a working set exceeds its allocation', async () => {
    // A loops over 3000 pages but runs with 2000 allocated: ESX sees it 100 % active and can
    // never tell that 1000 more pages would remove almost every miss. B and C are small.
    const REFS = 60_000;
    const workloads: Record<string, WorkloadSpecInput> = {
      A: { kind: 'loop', pages: 3000, refs: REFS },
      B: { kind: 'uniform', pages: 300, refs: REFS, seed: 2 },
      C: { kind: 'hotcold', hot: 100, cold: 400, hotFraction: 0.9, refs: REFS, seed: 3 },
    };
    const CONFIGURED = 2000;
    const M = 4000;
    const q = 10;
    const memory = vmMemoryConfig({ guestPages: CONFIGURED });
    const runs = Object.entries(workloads).map(([name, w]) => {
      const r = simulateVmSync(memory, generateWorkload(w), {
        name,
        recorders: { exact: true, esx: true },
      });
      return { name, w, curve: r.curves.exact!, estimate: r.esx!.finalEstimate };
    });
    expect(runs[0].estimate).toBe(CONFIGURED); // saturates at the allocation

    const mrc = solveAllocation({
      memory: M,
      quantum: q,
      vms: runs.map((r) => ({ name: r.name, curve: fromMissCurve(r.curve) })),
    });
    expect(mrc.feasible).toBe(true);
    if (!mrc.feasible) return;
    const esx = esxAllocate(
      runs.map((r) => ({ name: r.name, activePages: r.estimate, initial: CONFIGURED })),
      { memory: M, quantum: q },
    );
    expect(esx.feasible).toBe(true);
    if (!esx.feasible) return;

    const achieve = async (pages: number[]) => {
      const out: number[] = [];
      for (const [i, r] of runs.entries())
        out.push((await resimulate(memory, generateWorkload(r.w), pages[i])).misses);
      return out;
    };
    const mrcPages = mrc.allocations.map((a) => a.pages);
    const esxPages = esx.allocations.map((a) => a.pages);
    const mrcAchieved = await achieve(mrcPages);
    const esxAchieved = await achieve(esxPages);
    const esxPredicted = runs.map((r, i) => r.curve.missesAt(esxPages[i]));
    const sum = (a: number[]) => a.reduce((x, y) => x + y, 0);
    console.info(
      `crafted 3-VM case (M = ${M}, q = ${q}): MRC-driven ${mrcPages.join('/')} pages, predicted ${mrc.totalPredictedMisses}, achieved ${sum(mrcAchieved)} (${mrcAchieved.join('/')}); ESX ${esxPages.join('/')} pages, predicted ${sum(esxPredicted)}, achieved ${sum(esxAchieved)} (${esxAchieved.join('/')})`,
    );
    expect(mrcPages[0]).toBeGreaterThanOrEqual(3000);
    expect(esxPages[0]).toBeLessThanOrEqual(CONFIGURED);
    expect(sum(mrcAchieved)).toBeLessThan(sum(esxAchieved));
    // LRU guest, no hypervisor cache: re-simulation equals the exact curve's prediction.
    expect(mrcAchieved).toEqual(mrc.allocations.map((a) => a.predictedMisses));
    expect(esxAchieved).toEqual(esxPredicted);
  });
});
