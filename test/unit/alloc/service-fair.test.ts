/**
 * alloc.compute: the same bounds for the DP and ESX, the objective (misses or misses per second),
 * ESX shares as their own field, predicted vs achieved (by construction only for LRU guests), and
 * online mode through the API.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AllocReport, AllocRequest } from '../../../shared/api/alloc.js';
import { createApiService } from '../../../main/service/api/api-service.js';
import { runStep } from '../../../main/service/runs/step.js';
import { ProjectStore } from '../../../main/store/project-store.js';

const dir = mkdtempSync(join(tmpdir(), 'hclab-alloc-fair-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

type Service = ReturnType<typeof createApiService>;
let service: Service;
let lruRun = 0;
let fifoRun = 0;

async function makeRun(store: ProjectStore, name: string, vms: object[]): Promise<number> {
  for (const vm of vms) store.vms.save(vm as never);
  const exp = store.experiments.save({
    name,
    vmNames: vms.map((v) => (v as { name: string }).name),
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
  return run.id;
}

beforeAll(async () => {
  const file = join(dir, 'p.hclab');
  const store = ProjectStore.create(file);
  const memory = { guestPages: 600, hvPages: 400, ghostPages: 2000 };
  // P runs 10× faster than Q (same references): per second of VM time, P's misses weigh 10×.
  lruRun = await makeRun(store, 'lru', [
    { name: 'P', workload: { kind: 'uniform', pages: 1500, refs: 20_000, seed: 1 }, ...memory },
    {
      name: 'Q',
      workload: { kind: 'uniform', pages: 1500, refs: 20_000, seed: 2, offset: 10_000 },
      untimedRate: 100,
      ...memory,
    },
  ]);
  fifoRun = await makeRun(store, 'fifo', [
    {
      name: 'F',
      workload: { kind: 'zipf', pages: 3000, alpha: 0.9, refs: 30_000, seed: 4 },
      policy: 'fifo',
      ...memory,
    },
    {
      name: 'G',
      workload: { kind: 'hotcold', hot: 200, cold: 2000, refs: 30_000, seed: 5, offset: 20_000 },
      policy: 'clock',
      ...memory,
    },
  ]);
  store.close();
  service = createApiService({});
  await service.handle('project.open', { path: file });
});

afterAll(async () => {
  await service?.close();
});

function compute(req: AllocRequest): Promise<AllocReport> {
  return service.handle('alloc.compute', req) as Promise<AllocReport>;
}

describe('alloc.compute: a fair static comparison', () => {
  it('the objective: misses per second favours the VM whose time runs faster', async () => {
    const base = { runId: lruRun, memory: 2000, quantum: 10, sources: ['exact' as const] };
    const misses = await compute({
      ...base,
      vms: [
        { name: 'P', tolerance: 'inf' },
        { name: 'Q', tolerance: 'inf' },
      ],
    });
    const rate = await compute({
      ...base,
      objective: 'rate',
      vms: [
        { name: 'P', tolerance: 'inf' },
        { name: 'Q', tolerance: 'inf' },
      ],
    });
    expect(misses.objective).toBe('misses');
    expect(rate.objective).toBe('rate');
    const pm = misses.results[0].allocations.map((a) => a.pages);
    const pr = rate.results[0].allocations.map((a) => a.pages);
    // Two uniform working sets of the same size: by misses, a split; by rate, P (10× the rate) first.
    expect(pr[0]).toBeGreaterThan(pm[0]);
    expect(pr[0]).toBe(1500);
    // Predicted misses are still misses (not per second) in the report.
    const a = rate.results[0].allocations[0];
    expect(a.achievedMisses).toBe(a.predictedMisses);
  });

  it('ESX shares are their own field: weights do not move ESX, shares do', async () => {
    const base = {
      runId: lruRun,
      memory: 1200,
      quantum: 10,
      sources: ['esx' as const],
      resimulate: false,
    };
    const equal = await compute(base);
    const weighted = await compute({ ...base, vms: [{ name: 'P', weight: 10 }] });
    const shared = await compute({ ...base, vms: [{ name: 'P', shares: 10 }] });
    const pages = (r: AllocReport) => r.results[0].allocations.map((x) => x.pages);
    expect(pages(weighted)).toEqual(pages(equal));
    expect(pages(shared)[0]).toBeGreaterThan(pages(equal)[0]);
  });

  it('a non-LRU guest: predicted and achieved differ and are not flagged as equal by construction', async () => {
    const r = await compute({ runId: fifoRun, memory: 2000, quantum: 10, sources: ['exact'] });
    const allocs = r.results[0].allocations;
    for (const a of allocs) expect(a.byConstruction).toBe(false);
    expect(allocs.some((a) => a.achievedMisses !== a.predictedMisses)).toBe(true);
    expect(r.notes.join(' ')).not.toMatch(/by construction/);
  });
});

describe('alloc.compute: online mode', () => {
  it('runs the three controllers over the run’s VMs with the shared bounds', async () => {
    const r = await compute({
      runId: lruRun,
      memory: 2000,
      quantum: 10,
      sources: ['exact'],
      resimulate: false,
      bounds: 'allocation',
      vms: [
        { name: 'P', tolerance: 'inf' },
        { name: 'Q', tolerance: 'inf' },
      ],
      online: { epochSeconds: 5, esxPeriodSeconds: 5 },
    });
    const online = r.online;
    expect(online).toBeDefined();
    if (online === undefined) return;
    expect(online.vms.map((v) => v.max)).toEqual([1000, 1000]);
    expect(online.controllers.map((c) => c.controller)).toEqual(['oracle', 'hypervisor', 'esx']);
    for (const c of online.controllers) {
      expect(c.totalMisses).toBeGreaterThan(0);
      for (const e of c.epochs) for (const v of e.vms) expect(v.pages).toBeLessThanOrEqual(1000);
    }
  });
});
