/**
 * `hclab sweep collect` imports crash and allocation results as stored analyses of the sweep's
 * run (equal to the result files), adds each once however often it runs (the project stays
 * byte-for-byte the same), and `--alloc-csv` is one row per allocation task × method × VM.
 * Uses the compiled CLI.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import type { AllocReport } from '../../shared/api/alloc.js';
import type { CrashReport } from '../../shared/api/crash.js';
import type { SweepSummary } from '../../shared/api/sweep.js';
import { createApiService } from '../../main/service/api/api-service.js';
import { ProjectStore } from '../../main/store/project-store.js';
import { readTasks } from '../../main/sweep/sweep-dir.js';
import { isAllocTask, isCurveTask } from '../../main/sweep/task.js';
import { hclab } from '../cli/run-cli.js';
import { tempDir } from '../store/helpers.js';

const SWEEP = `name: analyses
workloads: ["zipf:pages=2000,refs=8000", "loop:pages=900,refs=5000", "uniform:pages=600,refs=4000"]
policies: [lru, fifo]
guestPages: [300]
hvPages: [200]
methods: [exact, hypervisor, esx]
sizes: [100, 300, 500, 1000, 2000]
crash: { trials: 20, strategies: [os-delayed, hv-log] }
allocation: { memory: [1200], alpha: [0, inf], methods: [exact, esx] }
`;

/** Every row of every table (the project's whole content). */
function dump(file: string): string {
  const db = new Database(file, { readonly: true });
  try {
    const tables = (
      db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as {
        name: string;
      }[]
    ).map((t) => t.name);
    return JSON.stringify(
      tables.map((t) => [t, db.prepare(`SELECT * FROM "${t}"`).all()]),
      (_k, v: unknown) => (Buffer.isBuffer(v) ? v.toString('hex') : v),
    );
  } finally {
    db.close();
  }
}

function ok(args: string[]): string {
  const r = hclab(args);
  expect(r.status, r.stderr).toBe(0);
  return r.stdout;
}

interface FileBody {
  crash?: CrashReport;
  alloc?: AllocReport;
}

describe('hclab sweep collect: crash and allocation analyses', () => {
  it('imports each once, as the result files hold them, on the sweep’s run', async () => {
    const root = tempDir();
    const file = path.join(root, 'analyses.yaml');
    writeFileSync(file, SWEEP);
    const dir = path.join(root, 'out');
    const project = path.join(root, 'p.hclab');
    // 6 curve tasks, then 2 groups (lru, fifo) × 1 M × 2 α allocation tasks.
    expect(ok(['--quiet', 'sweep', 'plan', file, '--out', dir])).toContain(
      '10 tasks (3 traces/workloads; 4 of them allocation tasks)',
    );
    const tasks = readTasks(dir);
    // Part of the sweep first: 3 curve tasks (with their crash analyses), 1 allocation task.
    ok(['--quiet', 'sweep', 'run-task', dir, '--index', '0', '--per', '3']);
    ok(['--quiet', 'sweep', 'run-task', dir, '--index', '9']);
    expect(ok(['sweep', 'collect', dir, '--project', project])).toContain(
      'run 1, 3 result(s) added, 6 task(s) without a result, 4 crash/allocation analysis(es) added',
    );
    ok(['--quiet', 'sweep', 'run', dir, '--workers', '2']);
    expect(ok(['sweep', 'collect', dir, '--project', project])).toContain(
      'run 1, 3 result(s) added, 0 task(s) without a result, 6 crash/allocation analysis(es) added',
    );
    const before = dump(project);
    expect(ok(['sweep', 'collect', dir, '--project', project])).toContain(
      'run 1, 0 result(s) added, 0 task(s) without a result, 0 crash/allocation analysis(es) added',
    );
    expect(dump(project)).toBe(before);

    // Each stored analysis is its task's result file, linked to the sweep's run.
    const store = ProjectStore.open(project, { readOnly: true });
    try {
      const list = store.analyses.list().sort((a, b) => a.id - b.id);
      expect(list.map((a) => a.kind).sort()).toEqual(
        [...Array(6).fill('crash'), ...Array(4).fill('alloc')].sort(),
      );
      const crashes = list.filter((a) => a.kind === 'crash');
      expect(crashes.map((a) => a.vmName).sort()).toEqual(
        tasks.filter(isCurveTask).map((t) => t.id),
      );
      for (const s of list) {
        const a = store.analyses.get(s.id); // parses against the analysis schema
        expect(a.state).toBe('done');
        expect(a.runId).toBe(1);
        if (a.kind === 'crash') {
          const t = tasks.find((x) => x.id === a.vmName);
          const body = JSON.parse(
            readFileSync(path.join(dir, 'results', `${a.vmName}.json`), 'utf8'),
          ) as FileBody;
          expect(a.report).toEqual(body.crash);
          expect(a.vm).toEqual(t?.experiment.vms[0]);
          expect(a.params).toMatchObject({
            vmName: t?.id,
            strategies: ['os-delayed', 'hv-log'],
            trials: 20,
            seed: 1,
          });
        } else {
          const id = /^sweep analyses (t\d+):/.exec(a.title)?.[1] as string;
          const t = tasks.find((x) => x.id === id);
          if (t === undefined || !isAllocTask(t)) throw new Error(`no allocation task ${id}`);
          const body = JSON.parse(
            readFileSync(path.join(dir, 'results', `${id}.json`), 'utf8'),
          ) as FileBody;
          expect(a.report).toEqual({ ...body.alloc, runId: 1 });
          expect(a.params).toMatchObject({ runId: 1, memory: 1200, sources: ['exact', 'esx'] });
          expect(a.params.vms).toEqual(t.request.vms);
        }
      }
    } finally {
      store.close();
    }

    // The Sweeps view's counts.
    const service = createApiService({});
    await service.handle('project.open', { path: project });
    const [summary] = (await service.handle('sweep.list', {})) as SweepSummary[];
    expect([summary.tasks, summary.done, summary.allocAnalyses, summary.crashAnalyses]).toEqual([
      6, 6, 4, 6,
    ]);
    // A deleted analysis comes back on the next collect (the others are left as they are).
    const first = (await service.handle('analysis.list', { kind: 'alloc' })) as { id: number }[];
    await service.handle('analysis.remove', { id: first[0].id });
    await service.handle('project.close', {});
    expect(ok(['sweep', 'collect', dir, '--project', project])).toContain(
      '0 result(s) added, 0 task(s) without a result, 1 crash/allocation analysis(es) added',
    );

    // --alloc-csv: 4 tasks × 2 methods × 3 VMs.
    const csv = ok(['sweep', 'collect', dir, '--alloc-csv']).trim().split('\n');
    expect(csv[0]).toBe(
      'sweep,task,policy,guest_pages,hv_pages,ghost_pages,seed,memory,alpha,method,feasible,vm,source,pages,predicted_misses,achieved_misses,baseline_pages,baseline_misses,slack',
    );
    expect(csv).toHaveLength(1 + 4 * 2 * 3);
    const t6 = JSON.parse(
      readFileSync(path.join(dir, 'results', 't00006.json'), 'utf8'),
    ) as FileBody;
    const exact = t6.alloc?.results.find((r) => r.source === 'exact');
    const row = csv.find(
      (l) => l.startsWith('analyses,t00006,') && l.includes(',exact,true,t00002,'),
    );
    expect(row).toBe(
      [
        'analyses,t00006,lru,300,200,0,1,1200,0,exact,true,t00002,"loop:pages=900,refs=5000"',
        exact?.allocations[1].pages,
        exact?.allocations[1].predictedMisses,
        exact?.allocations[1].achievedMisses,
        exact?.allocations[1].baselinePages,
        exact?.allocations[1].baselineMisses,
        exact?.allocations[1].slack,
      ].join(','),
    );
  });
});
