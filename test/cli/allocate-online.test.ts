import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { hclab, REPO } from './run-cli.js';

const dir = mkdtempSync(path.join(tmpdir(), 'hclab-online-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const PHASES = path.join(REPO, 'examples/online-phases.yaml');

interface Controller {
  controller: string;
  totalMisses: number;
  totalRefillMisses: number;
  missRate: number;
  violations: number;
  epochs: { vms: { name: string; pages: number; misses: number }[] }[];
}

describe('hclab allocate --online', () => {
  it('runs the three controllers on an experiment and reports totals per controller', () => {
    const r = hclab([
      'allocate',
      '--online',
      '--experiment',
      PHASES,
      '--memory',
      '3000',
      '--epoch',
      '10',
      '--esx-period',
      '10',
      '--tolerance',
      'inf',
      '--max',
      'vm-c=1500',
      '--json',
      '-q',
    ]);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout) as {
      vms: { name: string; min: number; max: number; tolerance: unknown }[];
      controllers: Controller[];
    };
    expect(out.vms.map((v) => [v.name, v.min, v.max, v.tolerance])).toEqual([
      ['vm-a', 0, 3000, 'inf'],
      ['vm-b', 0, 3000, 'inf'],
      ['vm-c', 0, 1500, 'inf'],
    ]);
    const [oracle, hv, esx] = out.controllers;
    expect([oracle.controller, hv.controller, esx.controller]).toEqual([
      'oracle',
      'hypervisor',
      'esx',
    ]);
    expect(oracle.epochs).toHaveLength(12);
    expect(hv.totalMisses).toBeLessThanOrEqual(1.05 * oracle.totalMisses);
    expect(esx.totalMisses).toBeGreaterThan(1.05 * oracle.totalMisses);
    expect(oracle.totalRefillMisses).toBeGreaterThan(0);
    // The shared max bound holds for every controller.
    for (const c of out.controllers)
      for (const e of c.epochs) expect(e.vms[2].pages).toBeLessThanOrEqual(1500);
  });

  it('prints a table with the bounds used, and names a bad VM or a missing experiment', () => {
    const ok = hclab([
      'allocate',
      '--online',
      '--experiment',
      PHASES,
      '--memory',
      '3000',
      '--epoch',
      '40',
      '--controllers',
      'oracle,esx',
      '-q',
    ]);
    expect(ok.status).toBe(0);
    expect(ok.stdout).toMatch(/bounds shared by every controller \(pages\): vm-a \[0, 3,000\]/);
    expect(ok.stdout).toMatch(/^oracle\s/m);
    expect(ok.stdout).not.toMatch(/^hypervisor\s/m);
    const bad = hclab([
      'allocate',
      '--online',
      '--experiment',
      PHASES,
      '--memory',
      '3000',
      '--min',
      'nope=5',
    ]);
    expect(bad.status).not.toBe(0);
    expect(bad.stderr).toMatch(/--min: no VM 'nope'/);
    const none = hclab(['allocate', '--online', '--memory', '3000']);
    expect(none.status).not.toBe(0);
    expect(none.stderr).toMatch(/--experiment FILE/);
  });

  it('hclab run: an allocation block with online runs the controllers after the run and says when predicted = achieved is by construction', () => {
    const exp = path.join(dir, 'online.yaml');
    writeFileSync(
      exp,
      [
        'name: online-run',
        'methods: [exact, esx]',
        'allocation: { memory: 2000, quantum: 10, sources: [exact], bounds: allocation, online: { epochSeconds: 5, esxPeriodSeconds: 5 } }',
        'vms:',
        '  - { name: A, guestPages: 800, hvPages: 400, tolerance: inf, workload: { kind: uniform, pages: 1500, refs: 20000, seed: 1 } }',
        '  - { name: B, guestPages: 800, hvPages: 400, tolerance: inf, workload: { kind: uniform, pages: 300, refs: 20000, seed: 2, offset: 5000 } }',
        '',
      ].join('\n'),
    );
    const project = path.join(dir, 'online.hclab');
    expect(hclab(['project', 'new', project, '--from', exp, '-q']).status).toBe(0);
    const r = hclab(['run', project, '--workers', '1', '-q']);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(
      /bounds \(max V \+ C unless configured\), the same for every source: A \[0, 1,200\], B \[0, 1,200\]/,
    );
    expect(r.stdout).toMatch(
      /exact: predicted [\d,]+ misses, achieved [\d,]+ \(equal by construction: LRU guests, static allocation\)/,
    );
    expect(r.stdout).toMatch(/^online allocation: M = 2,000 pages/m);
    expect(r.stdout).toMatch(/^hypervisor\s+[\d,]+/m);
  });

  it('--csv: one row per controller, epoch and VM', () => {
    const r = hclab([
      'allocate',
      '--online',
      '--experiment',
      PHASES,
      '--memory',
      '3000',
      '--epoch',
      '10',
      '--esx-period',
      '10',
      '--tolerance',
      'inf',
      '--csv',
      '-q',
    ]);
    expect(r.status).toBe(0);
    const [header, ...lines] = r.stdout.trim().split('\n');
    expect(header.split(',').slice(0, 6)).toEqual([
      'controller',
      'epoch',
      'start_s',
      'end_s',
      'vm',
      'pages',
    ]);
    expect(lines).toHaveLength(3 * 12 * 3);
    const rows = lines.map((l) => l.split(','));
    const col = (name: string) => header.split(',').indexOf(name);
    for (const c of ['oracle', 'hypervisor', 'esx']) {
      const mine = rows.filter((x) => x[0] === c);
      for (let e = 0; e < 12; e++) {
        const pages = mine.filter((x) => x[1] === String(e)).map((x) => Number(x[col('pages')]));
        expect(pages.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(3000);
      }
    }
    const refill = rows
      .filter((x) => x[0] === 'oracle')
      .map((x) => Number(x[col('refill_misses')]));
    expect(refill.some((x) => x > 0)).toBe(true);
  });
});
