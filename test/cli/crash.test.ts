import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ProjectStore } from '../../main/store/project-store.js';
import { tempDir } from '../store/helpers.js';
import { hclab } from './run-cli.js';

interface StrategyJson {
  name: string;
  trials: number;
  meanPagesLost: number;
  ci95: [number, number];
  maxPagesLost: number;
  fsyncedLost: number;
  detectedCorrupt: number;
  extraDiskWrites: number;
}

const WORKLOAD = 'uniform:pages=20000,refs=30000,writeFraction=0.3,fsyncRate=0.05,rate=1000';

describe('hclab crash', () => {
  it('--json: one entry per strategy; nothing fsync’d is lost; hv-log loses nothing on a guest crash', () => {
    const r = hclab([
      'crash',
      '--workload',
      WORKLOAD,
      '--strategy',
      'os-delayed,write-through,hv-rescue,hv-log',
      '--trials',
      '200',
      '--seed',
      '3',
      '--dirty-expire',
      '5',
      '--writeback-interval',
      '1',
      '--json',
    ]);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout) as { strategies: StrategyJson[] };
    expect(out.strategies.map((s) => s.name)).toEqual([
      'os-delayed',
      'write-through',
      'hv-rescue',
      'hv-log',
    ]);
    for (const s of out.strategies) {
      expect(s.trials).toBe(200);
      expect(s.fsyncedLost).toBe(0);
      expect(s.ci95[0]).toBeLessThanOrEqual(s.meanPagesLost);
      expect(s.ci95[1]).toBeGreaterThanOrEqual(s.meanPagesLost);
    }
    const [os, wt, rescue, log] = out.strategies;
    expect(os.meanPagesLost).toBeGreaterThan(0);
    expect(wt.maxPagesLost).toBe(0);
    expect(wt.extraDiskWrites).toBeGreaterThan(0);
    expect(rescue.maxPagesLost).toBe(0);
    expect(log.maxPagesLost).toBe(0);
  });

  it('--power-failure: hv-rescue loses like os-delayed, hv-log only its unflushed tail', () => {
    const r = hclab([
      'crash',
      '--workload',
      WORKLOAD,
      '--trials',
      '100',
      '--power-failure',
      '--log-flush-ms',
      '50',
      '--json',
    ]);
    expect(r.status).toBe(0);
    const [os, , rescue, log] = (JSON.parse(r.stdout) as { strategies: StrategyJson[] }).strategies;
    expect(rescue.meanPagesLost).toBe(os.meanPagesLost);
    // At most the writes of one 50 ms window (50 references at 1000 refs/s).
    expect(log.maxPagesLost).toBeLessThanOrEqual(50);
    expect(log.meanPagesLost).toBeLessThan(os.meanPagesLost);
  });

  it('--project keeps the hv-log log in the project file', () => {
    const file = path.join(tempDir(), 'p.hclab');
    ProjectStore.create(file).close();
    const r = hclab([
      'crash',
      '--workload',
      WORKLOAD,
      '--strategy',
      'hv-log',
      '--trials',
      '20',
      '--project',
      file,
      '--json',
    ]);
    expect(r.status).toBe(0);
    const store = ProjectStore.open(file, { readOnly: true });
    try {
      const n = store.db.prepare('SELECT COUNT(*) AS n FROM crash_log_records').get() as {
        n: number;
      };
      expect(n.n).toBeGreaterThan(8000);
    } finally {
      store.close();
    }
  });

  it('bad usage exits 2', () => {
    expect(hclab(['crash', '--workload', WORKLOAD, '--strategy', 'nope']).status).toBe(2);
    expect(hclab(['crash', '--trials', '10']).status).toBe(2);
  });

  it('the table reports undetected corruption, write-protect faults and costs, and the assumptions', () => {
    const r = hclab([
      'crash',
      '--workload',
      'hotcold:hot=200,cold=2000,hotFraction=0.9,refs=40000,writeFraction=0.5,rate=1000',
      '--strategy',
      'hv-rescue,hv-log',
      '--trials',
      '200',
      '--p-corrupt',
      '0.5',
      '--json',
    ]);
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout) as {
      strategies: (StrategyJson & {
        undetectedCorrupt: number;
        wpFaults: number;
        runtimeCostSeconds: number;
      })[];
      assumptions: string[];
    };
    const [rescue, log] = out.strategies;
    // Hot pages stay dirty over many writeback intervals: wild writes before their checksum.
    expect(rescue.undetectedCorrupt).toBeGreaterThan(0);
    expect(rescue.detectedCorrupt).toBeGreaterThan(0);
    expect(rescue.wpFaults).toBeGreaterThan(0);
    expect(rescue.runtimeCostSeconds).toBeCloseTo((rescue.wpFaults * 2) / 1e6, 12);
    expect(log.runtimeCostSeconds).toBeGreaterThan(0);
    expect(out.assumptions.length).toBeGreaterThan(3);
    const table = hclab(['crash', '--workload', WORKLOAD, '--trials', '20']);
    expect(table.status).toBe(0);
    expect(table.stdout).toMatch(/corrupt undetected/);
    expect(table.stdout).toMatch(/Assumptions:\n- /);
  });
});
