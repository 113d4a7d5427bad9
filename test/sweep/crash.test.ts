/** A sweep's crash analysis: one report per task, seeded, obeying the crash model's guarantees. */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { crashRows, readSweepResults, CRASH_HEADER } from '../../main/sweep/collect.js';
import { computeAndStore } from '../../main/sweep/compute.js';
import { planSweep, writePlan } from '../../main/sweep/plan.js';
import { readTasks } from '../../main/sweep/sweep-dir.js';
import { tempDir } from '../store/helpers.js';

const SWEEP = `name: crashes
workloads: ["zipf:pages=3000,refs=60000,writeFraction=0.5"]
policies: [lru, clock]
guestPages: [1000]
methods: [exact]
seeds: [1, 2]
crash: { trials: 50 }
`;

describe('sweep crash analysis', () => {
  it('stores a crash report per task: write-through and hv-log lose nothing, os-delayed does', async () => {
    const root = tempDir();
    const file = path.join(root, 'crash.yaml');
    writeFileSync(file, SWEEP);
    const dir = path.join(root, 'out');
    writePlan(dir, file, await planSweep(file));
    const tasks = readTasks(dir);
    expect(tasks).toHaveLength(4);
    expect(tasks[0].crash).toEqual({
      strategies: ['os-delayed', 'write-through', 'hv-rescue', 'hv-log'],
      trials: 50,
      logFlushMs: 100,
      pCorrupt: 0,
      powerFailure: false,
    });
    for (const t of tasks) expect((await computeAndStore(dir, t)).state).toBe('done');
    const s = readSweepResults(dir);
    const rows = [...crashRows(s)];
    expect(rows).toHaveLength(4 * 4);
    const col = (name: (typeof CRASH_HEADER)[number]) => CRASH_HEADER.indexOf(name);
    for (const r of rows) {
      expect(r[col('trials')]).toBe(50);
      // An fsync'd write is never lost by any strategy (DESIGN.md §2).
      expect(r[col('fsynced_lost')]).toBe(0);
      if (r[col('strategy')] === 'write-through' || r[col('strategy')] === 'hv-log')
        expect(r[col('mean_pages_lost')]).toBe(0);
    }
    const delayed = rows.filter((r) => r[col('strategy')] === 'os-delayed');
    for (const r of delayed) expect(r[col('mean_pages_lost')] as number).toBeGreaterThan(0);
    // The task's seed drives the crash times: the seeds differ, the same seed repeats exactly.
    expect(delayed[0][col('mean_pages_lost')]).not.toBe(delayed[1][col('mean_pages_lost')]);
    const again = path.join(root, 'again');
    writePlan(again, file, await planSweep(file));
    await computeAndStore(again, tasks[1]);
    expect(readFileSync(path.join(again, 'results', 't00001.json'), 'utf8')).toBe(
      readFileSync(path.join(dir, 'results', 't00001.json'), 'utf8'),
    );
  });
});
