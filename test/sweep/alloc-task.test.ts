/**
 * An allocation task's result equals alloc.compute (what `hclab run`'s allocation and the app's
 * Allocation view call) on a project run of the same VMs: the run is computed step by step in
 * a project, stored, read back and allocated through the API service.
 */
import path from 'node:path';
import { writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { AllocReport } from '../../shared/api/alloc.js';
import { createApiService } from '../../main/service/api/api-service.js';
import { runStep } from '../../main/service/runs/step.js';
import { ProjectStore } from '../../main/store/project-store.js';
import { computeAndStore } from '../../main/sweep/compute.js';
import { planSweep, writePlan } from '../../main/sweep/plan.js';
import { readResult } from '../../main/sweep/sweep-dir.js';
import { isAllocTask, type AllocTask } from '../../main/sweep/task.js';
import { tempDir } from '../store/helpers.js';

const SWEEP = `name: truth
workloads:
  - "zipf:pages=1500,refs=12000"
  - "loop:pages=700,refs=6000"
  - "hotcold:hot=100,cold=900,refs=10000"
policies: [fifo, lru]
guestPages: [300]
hvPages: [300]
ghostPages: [600]
methods: [exact, hypervisor, esx]
sizes: [50, 100, 200, 300, 450, 600, 900, 1200, 1500]
allocation:
  memory: [1500]
  alpha: [0.2, inf]
  quantum: 25
`;

/** The project path: the group's VMs as one experiment, run and allocated by alloc.compute. */
async function viaProject(dir: string, task: AllocTask): Promise<AllocReport> {
  const file = path.join(dir, `${task.id}.hclab`);
  const store = ProjectStore.create(file);
  for (const vm of task.experiment.vms) store.vms.save(vm);
  const { name: _n, vms, ...settings } = task.experiment;
  const exp = store.experiments.save({
    ...settings,
    name: 'truth',
    vmNames: vms.map((v) => v.name),
  });
  const run = store.runs.create(exp.id);
  const snap = store.runs.snapshot(run.id);
  for (const [step, vm] of snap.vms.entries())
    store.runs.commitStep(
      run.id,
      step,
      await runStep({ experiment: { ...snap.experiment, vms: [vm] }, baseDir: dir }, {}),
    );
  store.runs.setState(run.id, 'done');
  store.close();
  const service = createApiService({});
  await service.handle('project.open', { path: file });
  const {
    runId: _r,
    analysisId: _a,
    ...report
  } = (await service.handle('alloc.compute', {
    runId: run.id,
    ...task.request,
  })) as AllocReport;
  await service.handle('project.close', {});
  return report as AllocReport;
}

describe('sweep allocation task', () => {
  it('gives the allocation alloc.compute gives for the same VMs', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'truth.yaml');
    writeFileSync(file, SWEEP);
    const out = path.join(dir, 'out');
    const plan = await planSweep(file);
    writePlan(out, file, plan);
    const allocs = plan.tasks.filter(isAllocTask);
    expect(allocs).toHaveLength(4);
    // fifo (re-simulation is not LRU by construction) with a finite α, and lru with α = ∞.
    expect([allocs[0].policy, allocs[0].alpha, allocs[3].policy, allocs[3].alpha]).toEqual([
      'fifo',
      0.2,
      'lru',
      'inf',
    ]);
    for (const task of [allocs[0], allocs[3]]) {
      expect(await computeAndStore(out, task)).toEqual({ state: 'done', created: true });
      const f = readResult(out, task);
      expect(f?.result).toBeUndefined();
      const got = f?.alloc as AllocReport;
      expect(got.runId).toBe(0);
      const { runId: _r, ...report } = got;
      const truth = await viaProject(dir, task);
      expect(report).toEqual(truth);
      // A real allocation: every method found one, within M, and it was re-simulated.
      expect(report.results.map((r) => [r.source, r.feasible])).toEqual([
        ['exact', true],
        ['hypervisor', true],
        ['esx', true],
      ]);
      for (const r of report.results) {
        expect(r.allocations.map((a) => a.name)).toEqual(task.members);
        expect(r.allocations.reduce((s, a) => s + a.pages, 0)).toBeLessThanOrEqual(1500);
        for (const a of r.allocations) expect(typeof a.achievedMisses).toBe('number');
      }
      const exact = report.results[0].allocations;
      if (task.alpha === 'inf') expect(exact.every((a) => a.slack === null)).toBe(true);
      else
        for (const a of exact) {
          // α bounds each VM's misses: at most (1 + α)·misses(b), b = M/n.
          expect(a.baselinePages).toBe(500);
          expect(a.limit).toBeCloseTo(1.2 * (a.baselineMisses as number), 6);
          expect(a.predictedMisses as number).toBeLessThanOrEqual((a.limit as number) + 1e-9);
        }
    }
    // Computing it again stores nothing new (the file is written once).
    expect(await computeAndStore(out, allocs[0])).toEqual({ state: 'done', created: false });
  });
});
