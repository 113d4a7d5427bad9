import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hclab, sampleTrace } from './run-cli.js';

const dir = mkdtempSync(path.join(tmpdir(), 'hclab-allocate-'));
const LOOP_CSV = path.join(dir, 'loop.csv');
const SPRITE_CSV = path.join(dir, 'sprite.csv');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

beforeAll(() => {
  // A generated trace: a loop over 700 pages, 20,000 references (one page id per line).
  const loop = path.join(dir, 'loop.txt');
  writeFileSync(loop, Array.from({ length: 20_000 }, (_, i) => `${i % 700}\n`).join(''));
  for (const [trace, csv] of [
    [loop, LOOP_CSV],
    [sampleTrace('sprite.trace.gz'), SPRITE_CSV],
  ]) {
    const r = hclab(['mrc', trace, '--csv', '--method', 'exact', '-q']);
    expect(r.status).toBe(0);
    writeFileSync(csv, r.stdout);
  }
});

interface Out {
  feasible: boolean;
  totalPredictedMisses: number;
  allocations: { name: string; pages: number; predictedMisses: number; baselineMisses: number }[];
}

describe('hclab allocate', () => {
  it('allocates from `hclab mrc --csv` files', () => {
    const r = hclab([
      'allocate',
      '--mrc',
      `loop=${LOOP_CSV}`,
      '--mrc',
      `sprite=${SPRITE_CSV}`,
      '--memory',
      '2000',
      '--quantum',
      '10',
      '--json',
    ]);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout) as Out;
    expect(out.feasible).toBe(true);
    const [loop, sprite] = out.allocations;
    // The loop needs exactly its 700 pages (then only its 700 cold misses); the rest goes to sprite.
    expect(loop).toMatchObject({ name: 'loop', pages: 700, predictedMisses: 700 });
    expect(sprite.pages).toBe(1300);
    expect(sprite.predictedMisses).toBeLessThanOrEqual(sprite.baselineMisses);
    expect(out.totalPredictedMisses).toBeCloseTo(loop.predictedMisses + sprite.predictedMisses, 6);
  });

  it('exits 1 with the reason on one stderr line when infeasible', () => {
    const r = hclab([
      'allocate',
      '--mrc',
      `loop=${LOOP_CSV}`,
      '--mrc',
      `sprite=${SPRITE_CSV}`,
      '--memory',
      '1000',
      '--baseline',
      'loop=700',
      '--min',
      'sprite=400',
    ]);
    expect(r.status).toBe(1);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(
      /^hclab: loop: no size in \[0, 1000\] keeps misses ≤ \(1\+0\)·misses\(700\) = 700 within the memory left/,
    );
    const total = hclab([
      'allocate',
      '--mrc',
      `loop=${LOOP_CSV}`,
      '--memory',
      '100',
      '--min',
      'loop=200',
    ]);
    expect(total.status).toBe(1);
    expect(total.stderr).toBe('hclab: total minimum memory 200 exceeds M = 100\n');
  });

  it('exits 2 naming the file and line of a bad CSV, or a bad option', () => {
    const bad = path.join(dir, 'bad.csv');
    writeFileSync(bad, 'method,size,misses,miss_ratio\nexact,10,5,0.5\nexact,x,4,0.4\n');
    const r = hclab(['allocate', '--mrc', `a=${bad}`, '--memory', '100']);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(`${bad} line 3: expected a size in pages`);
    const noRows = hclab([
      'allocate',
      '--mrc',
      `a=${LOOP_CSV}`,
      '--memory',
      '100',
      '--method',
      'hypervisor',
    ]);
    expect(noRows.status).toBe(2);
    expect(noRows.stderr).toContain(`${LOOP_CSV}: no 'hypervisor' rows`);
    const name = hclab([
      'allocate',
      '--mrc',
      `a=${LOOP_CSV}`,
      '--memory',
      '100',
      '--weight',
      'b=2',
    ]);
    expect(name.status).toBe(2);
    expect(name.stderr).toContain("--weight: no VM 'b'");
    const missing = hclab([
      'allocate',
      '--mrc',
      `a=${path.join(dir, 'none.csv')}`,
      '--memory',
      '100',
    ]);
    expect(missing.status).toBe(2);
  });

  it('hclab run prints the allocation of an experiment with an allocation block', () => {
    const exp = path.join(dir, 'alloc.yaml');
    writeFileSync(
      exp,
      [
        'name: three',
        'methods: [exact, esx]',
        'allocation: { memory: 4000, quantum: 10, sources: [exact, esx] }',
        'vms:',
        '  - { name: A, guestPages: 2000, workload: { kind: loop, pages: 3000, refs: 30000 } }',
        '  - { name: B, guestPages: 2000, workload: { kind: uniform, pages: 300, refs: 30000, seed: 2 } }',
        '  - { name: C, guestPages: 2000, workload: { kind: hotcold, hot: 100, cold: 400, refs: 30000, seed: 3 } }',
        '',
      ].join('\n'),
    );
    const project = path.join(dir, 'alloc.hclab');
    expect(hclab(['project', 'new', project, '--from', exp, '-q']).status).toBe(0);
    const r = hclab(['run', project, '--workers', '1', '-q']);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('allocation of M = 4,000 pages, q = 10');
    expect(r.stdout).toContain('exact: predicted 3,800 misses, achieved 3,800');
    expect(r.stdout).toMatch(/esx: predicted 30,800 misses, achieved 30,800/);
  });
});
