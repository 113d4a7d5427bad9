import { existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  evaluateCrashes,
  flushTimeOf,
  recordTimeline,
  writeLog,
} from '../../main/engine/crash/index.js';
import { openTemporaryCrashLog, SqliteCrashLog } from '../../main/store/crash-log.js';
import { ProjectStore } from '../../main/store/project-store.js';
import { generateWorkload } from '../../main/engine/workload/generate.js';
import { parseWorkloadSpec } from '../../main/engine/workload/spec.js';
import { tempDir } from './helpers.js';

async function timeline() {
  return recordTimeline(
    generateWorkload(parseWorkloadSpec('zipf:pages=2000,refs=5000,writeFraction=0.5,rate=500')),
    { guestPages: null, writeback: { dirtyExpire: 2, interval: 1 }, untimedRate: 1000 },
  );
}

describe('SQLite crash log (hv-log)', () => {
  it('round-trips: written in batches (one per flush interval), read back in order', async () => {
    const tl = await timeline();
    const temp = openTemporaryCrashLog('vm', 0.1);
    try {
      const stats = writeLog(tl, 0.1, temp.log);
      const flushes = new Set(Array.from(tl.writeTimes, (t) => flushTimeOf(t, 0.1)));
      expect(stats.batches).toBe(flushes.size);
      expect(temp.log.batches).toBe(flushes.size);
      expect(temp.log.count()).toBe(tl.writeTimes.length);
      const rows = [...temp.log.read(0, tl.writeTimes.length - 1)];
      expect(rows.map((r) => r.seq)).toEqual(rows.map((_, i) => i));
      expect(Int32Array.from(rows, (r) => r.page)).toEqual(tl.writePages);
      expect(Int32Array.from(rows, (r) => r.version)).toEqual(tl.writeVersions);
      expect([...temp.log.read(10, 19)].map((r) => r.seq)).toEqual([
        10, 11, 12, 13, 14, 15, 16, 17, 18, 19,
      ]);
      expect(existsSync(temp.file)).toBe(true);
    } finally {
      temp.dispose();
    }
    expect(existsSync(temp.file)).toBe(false);
  });

  it('keeps the log in the project file (migration 3) and replays it from there', async () => {
    const file = path.join(tempDir(), 'p.hclab');
    const store = ProjectStore.create(file);
    try {
      const tl = await timeline();
      const log = new SqliteCrashLog(store.db, 'vm1', 0.2);
      const res = evaluateCrashes(tl, {
        strategies: ['os-delayed', 'hv-log'],
        trials: 50,
        seed: 3,
        logFlushSeconds: 0.2,
        pCorrupt: 0,
        powerFailure: false,
        pageSize: 4096,
        log,
      });
      expect(res.strategies[0].meanPagesLost).toBeGreaterThan(0);
      expect(res.strategies[1].maxPagesLost).toBe(0);
      expect(log.count()).toBe(tl.writeTimes.length);
      // A new log for the same VM replaces the old one.
      const again = new SqliteCrashLog(store.db, 'vm1', 0.2);
      expect(log.count()).toBe(0);
      expect(again.count()).toBe(0);
      const n = store.db.prepare('SELECT COUNT(*) AS n FROM crash_logs').get() as { n: number };
      expect(n.n).toBe(1);
    } finally {
      store.close();
    }
  });
});
