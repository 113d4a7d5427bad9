/** sweep.list / sweep.get over the API service: a collected sweep's progress and its points. */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createApiService } from '../../main/service/api/api-service.js';
import { collectIntoProject } from '../../main/sweep/collect.js';
import { planSweep, writePlan } from '../../main/sweep/plan.js';
import { computeAndStore } from '../../main/sweep/compute.js';
import { readTasks } from '../../main/sweep/sweep-dir.js';
import { SweepDetailSchema, SweepSummarySchema } from '../../shared/api/sweep.js';
import { tempDir } from '../store/helpers.js';

const SWEEP = `name: api
workloads: ["loop:pages=600,refs=3000", "uniform:pages=400,refs=4000"]
policies: [lru, fifo]
guestPages: [200]
hvPages: [100, 500]
ghostPages: [50]
methods: [exact, hypervisor]
`;

describe('sweep.list / sweep.get', () => {
  it('list the collected sweeps with progress and give each task’s miss ratio at V, V+C, V+C+G', async () => {
    const root = tempDir();
    const file = path.join(root, 'api.yaml');
    writeFileSync(file, SWEEP);
    const dir = path.join(root, 'out');
    writePlan(dir, file, await planSweep(file));
    const tasks = readTasks(dir);
    // 6 of 8 tasks done.
    for (const t of tasks.slice(0, 6)) expect((await computeAndStore(dir, t)).state).toBe('done');
    const project = path.join(root, 'p.hclab');
    collectIntoProject(dir, project);

    const service = createApiService();
    try {
      await service.handle('project.open', { path: project });
      const list = SweepSummarySchema.array().parse(await service.handle('sweep.list', {}));
      expect(list).toEqual([
        {
          name: 'api',
          runId: 1,
          dir,
          tasks: 8,
          done: 6,
          methods: ['exact', 'hypervisor'],
          allocAnalyses: 0,
          crashAnalyses: 0,
        },
      ]);
      const d = SweepDetailSchema.parse(await service.handle('sweep.get', { name: 'api' }));
      expect(d.rows.map((r) => [r.source, r.policy, r.hvPages, r.done])).toEqual([
        ['loop:pages=600,refs=3000', 'lru', 100, true],
        ['loop:pages=600,refs=3000', 'lru', 500, true],
        ['loop:pages=600,refs=3000', 'fifo', 100, true],
        ['loop:pages=600,refs=3000', 'fifo', 500, true],
        ['uniform:pages=400,refs=4000', 'lru', 100, true],
        ['uniform:pages=400,refs=4000', 'lru', 500, true],
        ['uniform:pages=400,refs=4000', 'fifo', 100, false],
        ['uniform:pages=400,refs=4000', 'fifo', 500, false],
      ]);
      // A loop over 600 pages: LRU misses every reference below 600 pages, none above (after the
      // first pass, 600 cold misses of 3000).
      const loopSmall = d.rows[0].points;
      expect(loopSmall.find((p) => p.method === 'exact')).toEqual({
        method: 'exact',
        atV: 1,
        atVC: 1,
        atVCG: 1,
      });
      const loopBig = d.rows[1].points.find((p) => p.method === 'exact');
      expect(loopBig).toMatchObject({ atV: 1, atVC: 0.2, atVCG: 0.2 });
      // The hypervisor's curve equals exact from V up (LRU guest, DESIGN.md invariant).
      expect(d.rows[1].points.find((p) => p.method === 'hypervisor')).toMatchObject({
        atV: 1,
        atVC: 0.2,
      });
      // The simulation itself: the guest (200 pages) misses every reference of the loop; with
      // C = 500 the disk sees only the 600 cold misses.
      expect(d.rows[1].simulated).toEqual({ atV: 1, atVC: 0.2 });
      expect(d.rows[6].points).toEqual([]);
      expect(d.rows[6].simulated).toEqual({ atV: null, atVC: null });
      await expect(service.handle('sweep.get', { name: 'nope' })).rejects.toMatchObject({
        code: 'NOT_FOUND',
      });
      // Deleting the sweep's run takes the sweep with it.
      await service.handle('run.remove', { runId: 1 });
      expect(await service.handle('sweep.list', {})).toEqual([]);
    } finally {
      await service.close();
    }
    // Collecting again imports it from scratch into a new run.
    expect(collectIntoProject(dir, project)).toMatchObject({ runId: 2, added: 6, missing: 2 });
  });
});
