import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { haveTestTraces, hclab, parseMrcCsv, sampleTrace, testTrace } from './run-cli.js';

/** The CloudPhysics reference (HCLAB_TEST_TRACES) for DESIGN.md's numbers. */
const CP_TXT = testTrace('cloudPhysicsIO.txt');
const CP_REFS = 113_872;
/** A shipped sample trace for everything else: 133,996 refs, 7,075 distinct. */
const TXT = sampleTrace('sprite.trace.gz');
const REFS = 133_996;
// DESIGN.md §4: LRU hits at sizes 1, 2, 3, 4, 5, 20 and unbounded.
const HITS: [number, number][] = [
  [1, 2685],
  [2, 3347],
  [3, 3908],
  [4, 4666],
  [5, 4904],
  [20, 8311],
  [1_000_000, 64_898],
];

describe('hclab mrc', () => {
  it.skipIf(!haveTestTraces())(
    '--csv prints the exact curve with the reference LRU numbers',
    () => {
      const r = hclab(['mrc', CP_TXT, '--csv', '--sizes', HITS.map(([s]) => s).join(',')]);
      expect(r.status).toBe(0);
      const rows = parseMrcCsv(r.stdout);
      expect(rows.map((x) => x.method)).toEqual(HITS.map(() => 'exact'));
      for (const [i, [size, hits]] of HITS.entries()) {
        expect(rows[i].size).toBe(size);
        expect(rows[i].misses).toBe(CP_REFS - hits);
        expect(rows[i].ratio).toBeCloseTo((CP_REFS - hits) / CP_REFS, 12);
      }
    },
  );

  it('hypervisor is unknown below V and equals exact on V..V+C+G', () => {
    const r = hclab([
      'mrc',
      TXT,
      '--method',
      'exact,hypervisor',
      '--csv',
      '--guest-pages',
      '1000',
      '--hv-pages',
      '500',
      '--ghost-pages',
      '1500',
      '--sizes',
      '1,500,999,1000:3000:250,3001,5000',
    ]);
    expect(r.status).toBe(0);
    const rows = parseMrcCsv(r.stdout);
    const exact = new Map(rows.filter((x) => x.method === 'exact').map((x) => [x.size, x.misses]));
    const hv = rows.filter((x) => x.method === 'hypervisor');
    expect(hv.length).toBe(exact.size);
    for (const row of hv) {
      if (row.size < 1000 || row.size > 3000) expect(row.misses).toBeNull();
      else expect(row.misses).toBe(exact.get(row.size));
    }
  });

  it('--method all --json reports every method, MAE against exact and the ESX series', () => {
    const r = hclab([
      'mrc',
      TXT,
      '--method',
      'all',
      '--json',
      '--guest-pages',
      '2000',
      '--hv-pages',
      '2000',
      '--ghost-pages',
      '4000',
      '--esx-period-refs',
      '10000',
    ]);
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout) as {
      references: number;
      distinctPages: number;
      curves: { method: string; mae: number | null }[];
      esx: { allocation: number; finalEstimate: number; periods: unknown[] };
    };
    expect(out.references).toBe(REFS);
    expect(out.distinctPages).toBe(7_075);
    expect(out.curves.map((c) => c.method)).toEqual([
      'exact',
      'hypervisor',
      'esx',
      'shards',
      'policy',
      'minisim',
    ]);
    expect(out.curves[1].mae).toBe(0); // the hypervisor curve is exact on its domain for LRU
    expect(out.curves[3].mae).toBeGreaterThan(0);
    expect(out.curves[4].mae).toBe(0); // LRU simulated at each size is the exact curve
    expect(out.esx.allocation).toBe(4000);
    // One sample per complete 10,000-reference period.
    expect(out.esx.periods.length).toBe(Math.floor(REFS / 10_000));
    expect(out.esx.finalEstimate).toBeLessThanOrEqual(4000);
  });

  it('a malformed line after the exact MRC worker has started: exit 2, one line, and the process ends', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'hclab-mrc-'));
    try {
      const file = path.join(dir, 'late.txt');
      const lines = Array.from({ length: 300_000 }, (_, i) => String((i * 7919) % 20_000));
      writeFileSync(file, `${lines.join('\n')}\n12x\n`);
      // A worker left running would keep the process alive: it is killed after 60 s (status null).
      const r = hclab(['mrc', file, '--method', 'exact,shards'], undefined, 60_000);
      expect(r.status).toBe(2);
      expect(r.stderr.trim()).toBe(
        "hclab: late.txt line 300001: expected a decimal page id, got '12x'",
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('usage errors exit 2 with one line', () => {
    for (const args of [
      ['mrc', TXT, '--method', 'bogus'],
      ['mrc', TXT, '--method', 'hypervisor'],
      ['mrc', TXT, '--sizes', '10:x'],
      ['mrc', TXT, '--csv', '--json'],
    ]) {
      const r = hclab(args);
      expect(r.status, args.join(' ')).toBe(2);
      expect(r.stderr.trim().split('\n'), args.join(' ')).toHaveLength(1);
    }
  });

  it('--admission-failure: still exact with id-only entries; --hv-forget-failed is not', () => {
    const args = [
      'mrc',
      TXT,
      '--method',
      'exact,hypervisor',
      '--csv',
      '--guest-pages',
      '500',
      '--hv-pages',
      '1500',
      '--ghost-pages',
      '1000',
      '--admission-failure',
      '0.3',
      '--admission-seed',
      '9',
      '--sizes',
      '500:3000:500',
    ];
    const misses = (extra: string[]) => {
      const r = hclab([...args, ...extra]);
      expect(r.status).toBe(0);
      const rows = parseMrcCsv(r.stdout);
      const of = (m: string) => rows.filter((x) => x.method === m).map((x) => x.misses);
      return { exact: of('exact'), hv: of('hypervisor') };
    };
    const tracked = misses([]);
    expect(tracked.hv).toEqual(tracked.exact);
    const forgot = misses(['--hv-forget-failed']);
    expect(forgot.hv).not.toEqual(forgot.exact);
  });
});
