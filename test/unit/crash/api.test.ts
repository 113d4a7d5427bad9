import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CrashReportSchema, type CrashReport } from '../../../shared/api/crash.js';
import { createApiService, type ApiService } from '../../../main/service/api/api-service.js';
import { openDatabase } from '../../../main/store/sqlite.js';

const dirs: string[] = [];
const services: ApiService[] = [];
afterEach(async () => {
  for (const s of services.splice(0)) await s.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('crash.run (API)', () => {
  it("runs on a project VM's workload; hv-log keeps its log in the project file", async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'hclab-crash-api-'));
    dirs.push(dir);
    const file = path.join(dir, 'p.hclab');
    const service = createApiService({});
    services.push(service);
    await service.handle('project.create', { path: file });
    await service.handle('vm.save', {
      vm: {
        name: 'db',
        workload: {
          kind: 'uniform',
          pages: 4000,
          refs: 12000,
          seed: 2,
          writeFraction: 0.4,
          fsyncRate: 0.1,
          rate: 1000,
        },
        guestPages: 1000,
        writeback: { dirtyExpire: 2, interval: 1 },
      },
    });
    const report = CrashReportSchema.parse(
      await service.handle('crash.run', { vmName: 'db', trials: 300, seed: 5, logFlushMs: 50 }),
    ) as CrashReport;
    expect(report.strategies.map((s) => s.name)).toEqual([
      'os-delayed',
      'write-through',
      'hv-rescue',
      'hv-log',
    ]);
    for (const s of report.strategies) expect(s.fsyncedLost).toBe(0);
    expect(report.strategies[0].meanPagesLost).toBeGreaterThan(0);
    expect(report.strategies[3].maxPagesLost).toBe(0);
    expect(report.strategies[3].replay?.records).toBeGreaterThan(0);
    expect(report.timeline.times.length).toBeLessThanOrEqual(1000);
    expect(report.crashTimes.length).toBe(200);
    await expect(service.handle('crash.run', { vmName: 'nope' })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    await service.handle('project.close', {});
    const db = openDatabase(file, { readonly: true });
    try {
      const row = db.prepare('SELECT COUNT(*) AS n FROM crash_log_records').get() as { n: number };
      expect(row.n).toBeGreaterThan(4000);
    } finally {
      db.close();
    }
  });
});
