/** ESX in the CLI: periods of VM time, the three averages' time series, and the score. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { hclab } from './run-cli.js';

// An untimed trace: 100,000 references uniform over 500 pages.
const dir = mkdtempSync(path.join(tmpdir(), 'hclab-esx-'));
const TXT = path.join(dir, 'uniform.txt');
let x = 12345;
const lines: string[] = [];
for (let i = 0; i < 100_000; i++) {
  x = (x * 1103515245 + 12345) % 2147483648;
  lines.push(String(Math.floor(x / 65536) % 500));
}
writeFileSync(TXT, lines.join('\n') + '\n');

interface EsxJson {
  periodMode: string;
  periods: { endTime: number; endRef: number; trueWorkingSet: number; fastCurrent: number }[];
  updates: unknown[];
  score: {
    epsilon: number;
    periods: number;
    workingSet: { meanRelativeError: number; maxAbsPages: number };
    epsilonMemory: { meanAbsPages: number };
  };
}

function mrcJson(...extra: string[]) {
  const r = hclab([
    'mrc',
    TXT,
    '--method',
    'exact,esx',
    '--guest-pages',
    '600',
    '--hv-pages',
    '400',
    '--json',
    ...extra,
  ]);
  expect(r.status, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as {
    curves: { method: string; mae: number | null; maeSizesCompared: number }[];
    esx: EsxJson;
  };
}

describe('hclab mrc: ESX', () => {
  it('--rate 1000 --esx-period 30: periods end at 30 s / 30,000 references', () => {
    const out = mrcJson('--rate', '1000', '--esx-period', '30');
    expect(out.esx.periodMode).toBe('seconds');
    expect(out.esx.periods.map((p) => p.endTime)).toEqual([30, 60, 90]);
    expect(out.esx.periods.map((p) => p.endRef)).toEqual([30_000, 60_000, 90_000]);
    // Nine inside each period, and three in the trailing 10 s (that period is not closed).
    expect(out.esx.updates).toHaveLength(30);
    // The rate is VM time: at 2,000 refs/s a 30 s period is 60,000 references.
    expect(mrcJson('--rate', '2000').esx.periods.map((p) => p.endRef)).toEqual([60_000]);
    // --esx-period-refs overrides.
    const refs = mrcJson('--esx-period-refs', '40000').esx;
    expect(refs.periodMode).toBe('refs');
    expect(refs.periods.map((p) => p.endRef)).toEqual([40_000, 80_000]);
  });

  it('scores ESX against the working set, not as a curve', () => {
    const out = mrcJson('--esx-epsilon', '0.1');
    const esxCurve = out.curves.find((c) => c.method === 'esx')!;
    expect(esxCurve.mae).toBeNull();
    expect(esxCurve.maeSizesCompared).toBe(0);
    expect(out.esx.score.epsilon).toBe(0.1);
    expect(out.esx.score.periods).toBe(3);
    for (const p of out.esx.periods) expect(p.trueWorkingSet).toBe(500);
    expect(out.esx.score.workingSet.meanRelativeError).toBeLessThan(0.3);
    const table = hclab([
      'mrc',
      TXT,
      '--method',
      'exact,esx',
      '--guest-pages',
      '600',
      '--hv-pages',
      '400',
    ]);
    expect(table.status).toBe(0);
    expect(table.stdout).not.toMatch(/MAE esx/);
    expect(table.stdout).toMatch(
      /esx vs true working set \(distinct pages per period\): relative error mean [\d.]+ %, max [\d.]+ % over 3 periods; allocation error mean [\d,]+, max [\d,]+ pages/,
    );
    expect(table.stdout).toMatch(/esx vs exact memory for misses ≤ \(1 \+ 0\.05\)·misses at A: /);
    expect(table.stdout).toMatch(/fast with current period/);
  });

  it('--esx-series prints the three averages per update and per period', () => {
    const r = hclab([
      'mrc',
      TXT,
      '--method',
      'esx',
      '--guest-pages',
      '1000',
      '--esx-series',
      '--esx-current-updates',
      '4',
    ]);
    expect(r.status, r.stderr).toBe(0);
    const [header, ...rows] = r.stdout.trim().split('\n');
    expect(header).toBe(
      'vm,kind,period,time,ref,touched,sample,slow,fast,fast_current,estimate,true_working_set,epsilon_pages',
    );
    const kinds = rows.map((l) => l.split(',')[1]);
    expect(kinds.filter((k) => k === 'period')).toHaveLength(3);
    // Three inside each period and one in the trailing 10 s (at 97.5 s; that period is not closed).
    expect(kinds.filter((k) => k === 'update')).toHaveLength(10);
    expect(kinds.at(-1)).toBe('update');
    const firstPeriod = rows.find((l) => l.split(',')[1] === 'period')!.split(',');
    expect(Number(firstPeriod[3])).toBe(30);
    expect(Number(firstPeriod[11])).toBe(500);
    expect(hclab(['mrc', TXT, '--esx-series']).status).toBe(2); // needs --method esx
    expect(
      hclab(['mrc', TXT, '--method', 'esx', '--guest-pages', '9', '--esx-fast-gain', '2']).status,
    ).toBe(2);
  });
});

describe('hclab simulate --esx', () => {
  const args = [
    'simulate',
    '--workload',
    'uniform:pages=400,refs=100000',
    '--guest-pages',
    '500',
    '--hv-pages',
    '100',
  ];

  it('prints the estimate and its score; --csv and --json carry them', () => {
    const table = hclab([...args, '--esx']);
    expect(table.status, table.stderr).toBe(0);
    expect(table.stdout).toMatch(
      /esx vm: working-set estimate [\d,]+ of 600 allocated pages over 3 periods of 30 s VM time/,
    );
    expect(table.stdout).toMatch(/esx vm vs true working set/);
    const csv = hclab([...args, '--esx', '--csv'])
      .stdout.trim()
      .split('\n');
    const head = csv[0].split(',');
    const row = csv[1].split(',');
    expect(Number(row[head.indexOf('esxAllocation')])).toBe(600);
    expect(Number(row[head.indexOf('esxPeriodsScored')])).toBe(3);
    expect(row[head.indexOf('esxWsMeanRelError')]).not.toBe('');
    const json = JSON.parse(hclab([...args, '--esx', '--json']).stdout) as {
      vms: { esx: EsxJson }[];
    };
    expect(json.vms[0].esx.score.workingSet.maxAbsPages).toBeGreaterThanOrEqual(0);
    expect(json.vms[0].esx.periods.map((p) => p.trueWorkingSet)).toEqual([400, 400, 400]);
    // Without --esx nothing of ESX is printed.
    expect(hclab(args).stdout).not.toMatch(/esx/);
  });
});
