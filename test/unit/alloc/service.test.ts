/** alloc.compute through the API service, on a run whose steps were computed in-process. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { AllocReport } from '../../../shared/api/alloc.js';
import { createApiService } from '../../../main/service/api/api-service.js';
import { runStep } from '../../../main/service/runs/step.js';
import { ProjectStore } from '../../../main/store/project-store.js';

const dir = mkdtempSync(join(tmpdir(), 'hclab-alloc-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('alloc.compute', () => {
  it('allocates from a finished run by every source and re-simulates', async () => {
    const file = join(dir, 'p.hclab');
    const store = ProjectStore.create(file);
    const vms = [
      { name: 'A', workload: { kind: 'loop', pages: 3000, refs: 30_000 } },
      { name: 'B', workload: { kind: 'uniform', pages: 300, refs: 30_000, seed: 2 } },
      {
        name: 'C',
        workload: { kind: 'hotcold', hot: 100, cold: 400, refs: 30_000, seed: 3 },
      },
    ].map((vm) => ({ ...vm, guestPages: 1500, hvPages: 500, ghostPages: 1500 }));
    for (const vm of vms) store.vms.save(vm);
    const exp = store.experiments.save({
      name: 'three',
      vmNames: ['A', 'B', 'C'],
      methods: ['exact', 'hypervisor', 'esx'],
    });
    const run = store.runs.create(exp.id);
    const snap = store.runs.snapshot(run.id);
    for (const [step, vm] of snap.vms.entries()) {
      const result = await runStep(
        { experiment: { ...snap.experiment, vms: [vm] }, baseDir: dir },
        {},
      );
      store.runs.commitStep(run.id, step, result);
    }
    store.runs.setState(run.id, 'done');
    store.close();

    const service = createApiService({});
    await service.handle('project.open', { path: file });
    const report = (await service.handle('alloc.compute', {
      runId: run.id,
      memory: 4000,
      quantum: 10,
    })) as AllocReport;
    // The hypervisor curve is unknown below V = 1500, where the equal share 1333 lies.
    expect(report.feasible).toBe(false);
    expect(report.reason).toMatch(
      /^hypervisor: A: misses at the baseline b = 1333\.33 pages are unknown/,
    );
    expect(report.results.map((r) => r.source)).toEqual(['exact', 'hypervisor', 'esx']);
    const [exact, , esx] = report.results;
    expect(exact.allocations.map((a) => a.pages)).toEqual([3000, 300, 500]);
    // LRU guests, static allocation: predicted = achieved by construction, and flagged so.
    for (const a of exact.allocations) {
      expect(a.achievedMisses).toBe(a.predictedMisses);
      expect(a.byConstruction).toBe(true);
    }
    expect(report.notes.join(' ')).toMatch(/by construction/);
    // Default bounds: [0, M] for the DP and ESX alike (ESX starts every VM at M and reclaims).
    expect(report.boundsRule).toBe('host');
    expect(report.bounds).toEqual(['A', 'B', 'C'].map((name) => ({ name, min: 0, max: 4000 })));
    expect(exact.totalAchievedMisses as number).toBeLessThan(esx.totalAchievedMisses as number);

    // bounds 'allocation': both may only use V + C = 2000 (ESX can only reclaim from it).
    const fair = (await service.handle('alloc.compute', {
      runId: run.id,
      memory: 4000,
      quantum: 10,
      sources: ['exact', 'esx'],
      resimulate: false,
      bounds: 'allocation',
    })) as AllocReport;
    expect(fair.bounds.map((b) => b.max)).toEqual([2000, 2000, 2000]);
    for (const r of fair.results)
      for (const a of r.allocations) expect(a.pages).toBeLessThanOrEqual(2000);
    // A's 3000-page loop no longer fits: the DP gives it almost nothing (no size < 3000 helps it).
    expect(fair.results[0].allocations[0].pages).toBeLessThan(100);

    const hvReport = (await service.handle('alloc.compute', {
      runId: run.id,
      memory: 6000,
      quantum: 10,
      sources: ['hypervisor'],
    })) as AllocReport;
    expect(hvReport.feasible).toBe(true);
    // Defined from V = 1500 up: every allocation is ≥ V; A gets its loop.
    const hv = hvReport.results[0];
    for (const a of hv.allocations) expect(a.pages).toBeGreaterThanOrEqual(1500);
    expect(hv.allocations[0].pages).toBeGreaterThanOrEqual(3000);
    console.info(
      `alloc.compute M=4000: exact ${exact.allocations.map((a) => a.pages).join('/')} predicted ${exact.totalPredictedMisses} achieved ${exact.totalAchievedMisses}; esx ${esx.allocations.map((a) => a.pages).join('/')} predicted ${esx.totalPredictedMisses} achieved ${esx.totalAchievedMisses}`,
    );

    const adaptive = (await service.handle('alloc.compute', {
      runId: run.id,
      memory: 4000,
      quantum: 10,
      sources: ['exact'],
      resimulate: false,
      adaptive: { epochRefs: 5000 },
    })) as AllocReport;
    expect(adaptive.adaptive?.mode).toBe('refs');
    const epochs = adaptive.adaptive?.epochs ?? [];
    expect(epochs.length).toBe(6);
    // Epoch 0 runs at the equal share; from epoch 1 A gets its 3000-page loop.
    expect(epochs[0].allocations[0].pages).toBeLessThan(3000);
    expect(epochs[5].allocations[0].pages).toBeGreaterThanOrEqual(3000);
    expect(epochs[5].allocations[0].misses).toBe(0);

    const strict = (await service.handle('alloc.compute', {
      runId: run.id,
      memory: 3000,
      quantum: 10,
      sources: ['exact'],
      resimulate: false,
      vms: [
        { name: 'A', min: 2900 },
        { name: 'B', tolerance: 'inf' },
      ],
    })) as AllocReport;
    expect(strict.feasible).toBe(false);
    expect(strict.reason).toMatch(/^exact: C: no size in/);
    await expect(
      service.handle('alloc.compute', { runId: run.id, memory: 10, vms: [{ name: 'Z' }] }),
    ).rejects.toMatchObject({ code: 'BAD_INPUT' });
    await service.close();
  });
});
