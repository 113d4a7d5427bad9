/**
 * `hclab sweep collect`: results imported into a project show in `hclab results` like a run
 * (equal to the result files), a second collect changes nothing, and `--csv` is one row per
 * task × method × size. Uses the compiled CLI.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { hclab } from '../cli/run-cli.js';
import { tempDir } from '../store/helpers.js';

const SWEEP = `name: gather
workloads: ["zipf:pages=2000,refs=8000", "loop:pages=900,refs=5000"]
policies: [lru, fifo]
guestPages: [300]
hvPages: [0, 200]
methods: [exact, hypervisor]
sizes: [100, 300, 500, 1000]
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

describe('hclab sweep collect', () => {
  it('imports a sweep as a run, idempotently, and prints a tidy table', () => {
    const root = tempDir();
    const file = path.join(root, 'gather.yaml');
    writeFileSync(file, SWEEP);
    const dir = path.join(root, 'out');
    const project = path.join(root, 'p.hclab');
    expect(ok(['--quiet', 'sweep', 'plan', file, '--out', dir])).toContain('8 tasks');
    // Half the tasks, as after a partial run: the run is incomplete and says so.
    ok(['--quiet', 'sweep', 'run-task', dir, '--index', '0', '--per', '4']);
    expect(ok(['sweep', 'collect', dir, '--project', project])).toContain(
      'run 1, 4 result(s) added, 4 task(s) without a result',
    );
    let runs = JSON.parse(ok(['results', project, '--json'])) as {
      state: string;
      error: string | null;
      results: { name: string }[];
    }[];
    expect(runs).toHaveLength(1);
    expect(runs[0].state).toBe('failed');
    expect(runs[0].error).toBe('4 of 8 task(s) have no result yet');
    ok(['--quiet', 'sweep', 'run', dir, '--workers', '2']);
    expect(ok(['sweep', 'collect', dir, '--project', project])).toContain(
      'run 1, 4 result(s) added, 0 task(s) without a result',
    );
    const before = dump(project);
    expect(ok(['sweep', 'collect', dir, '--project', project])).toContain(
      'run 1, 0 result(s) added, 0 task(s) without a result',
    );
    expect(dump(project)).toBe(before);

    runs = JSON.parse(ok(['results', project, '--json'])) as typeof runs;
    expect(runs[0].state).toBe('done');
    expect(runs[0].results.map((r) => r.name)).toEqual(
      Array.from({ length: 8 }, (_, i) => `t0000${i}`),
    );
    // The stored results are the result files' contents.
    for (const [i, r] of runs[0].results.entries()) {
      const f = JSON.parse(readFileSync(path.join(dir, 'results', `t0000${i}.json`), 'utf8')) as {
        result: unknown;
      };
      expect(r).toEqual(f.result);
    }
    expect(ok(['results', project])).toMatch(/run 1 — gather: done, 8\/8 VM\(s\)/);

    const csv = ok(['sweep', 'collect', dir, '--csv']).trim().split('\n');
    expect(csv[0]).toBe(
      'sweep,task,source,policy,guest_pages,hv_pages,ghost_pages,seed,method,size,misses,miss_ratio',
    );
    // 8 tasks × 2 methods × 4 sizes.
    expect(csv).toHaveLength(1 + 8 * 2 * 4);
    const row = csv.find(
      (l) => l.startsWith('gather,t00005,"loop:pages=900') && l.includes(',hypervisor,500,'),
    );
    // t00005: loop, lru, V 300, C 200: the hypervisor curve is defined on 300..500 only.
    expect(row).toBeDefined();
    const unknown = csv.find(
      (l) => l.startsWith('gather,t00005,') && l.includes(',hypervisor,100,'),
    );
    expect(unknown).toMatch(/,hypervisor,100,,$/);
    // A loop over 900 pages in LRU memory of 500 misses on every reference.
    expect(row).toMatch(/,hypervisor,500,5000,1$/);
  });
});
