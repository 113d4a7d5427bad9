import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { hclab, parseMrcCsv } from './run-cli.js';

const POLICIES = [
  'lru',
  'fifo',
  'clock',
  'arc',
  'lru2',
  'lfu',
  '2q',
  'lirs',
  's3fifo',
  'sieve',
  'clockpro',
  'clockpro-libcachesim',
];
const SIZES = [10, 100, 700];

/** A small txt trace: a hot set, a loop and a scan (so the policies disagree). */
const dir = mkdtempSync(path.join(tmpdir(), 'hclab-mrc-policy-'));
const TRACE = path.join(dir, 'mixed.txt');
let x = 7;
const lines: string[] = [];
for (let i = 0; i < 30_000; i++) {
  x = (Math.imul(x, 1103515245) + 12345) >>> 0;
  const u = x % 10;
  lines.push(String(u < 5 ? (x >>> 8) % 60 : u < 8 ? 100 + (i % 400) : 1000 + ((x >>> 8) % 5000)));
}
writeFileSync(TRACE, lines.join('\n') + '\n');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('hclab mrc --method policy', () => {
  it.each(POLICIES)('%s: equals hclab simulate at every size', (policy) => {
    const r = hclab([
      'mrc',
      TRACE,
      '--method',
      'policy',
      '--policy',
      policy,
      '--sizes',
      SIZES.join(','),
      '--csv',
    ]);
    expect(r.status, r.stderr).toBe(0);
    const rows = parseMrcCsv(r.stdout);
    for (const size of SIZES) {
      const sim = hclab([
        'simulate',
        '--trace',
        TRACE,
        '--guest-pages',
        String(size),
        '--policy',
        policy,
        '--json',
      ]);
      expect(sim.status, sim.stderr).toBe(0);
      const vm = (JSON.parse(sim.stdout) as { vms: { guestMisses: number }[] }).vms[0];
      expect({ size, misses: rows.find((row) => row.size === size)?.misses }).toEqual({
        size,
        misses: vm.guestMisses,
      });
    }
  });

  it('for lru equals exact, and exact is the truth', () => {
    const r = hclab(['mrc', TRACE, '--method', 'exact,policy', '--sizes', '5,50,500,2000']);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/truth: exact \(Mattson LRU\)/);
    expect(r.stdout).toMatch(/MAE policy vs exact: 0\.00000 over 4 points/);
  });

  it('for a non-LRU guest the error table is against the policy curve, and says so', () => {
    const r = hclab([
      'mrc',
      TRACE,
      '--method',
      'exact,shards,policy,minisim',
      '--policy',
      's3fifo',
      '--sizes',
      '100,500,2000',
      '--minisim-rate',
      '0.5',
    ]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/truth: policy \(s3fifo simulated at each size\)/);
    expect(r.stdout).toMatch(/MAE exact vs policy: /);
    expect(r.stdout).toMatch(/MAE shards vs policy: /);
    expect(r.stdout).toMatch(/MAE minisim vs policy: /);
    const json = JSON.parse(
      hclab([
        'mrc',
        TRACE,
        '--method',
        'policy,minisim',
        '--policy',
        'arc',
        '--sizes',
        '100,500',
        '--json',
      ]).stdout,
    ) as { truth: string; curves: { method: string; maeAgainst: string | null }[] };
    expect(json.truth).toBe('policy');
    expect(json.curves.map((c) => [c.method, c.maeAgainst])).toEqual([
      ['policy', null],
      ['minisim', 'policy'],
    ]);
  });

  it('--minisim-max-samples: fixed-size minisim; with room for every page it is the policy curve', () => {
    const args = ['mrc', TRACE, '--policy', 'lirs', '--sizes', SIZES.join(','), '--json'];
    type Out = {
      curves: { method: string; misses: number[] }[];
      minisim: { mode: string; rate: number; maxSamples: number; maxSampledPages: number };
    };
    const roomy = JSON.parse(
      hclab([...args, '--method', 'policy,minisim', '--minisim-max-samples', '100000']).stdout,
    ) as Out;
    expect(roomy.minisim).toMatchObject({ mode: 'fixed-size', rate: 1, maxSamples: 100000 });
    expect(roomy.curves[1].misses).toEqual(roomy.curves[0].misses);
    const tight = hclab([...args, '--method', 'minisim', '--minisim-max-samples', '500']);
    expect(tight.status, tight.stderr).toBe(0);
    const t = JSON.parse(tight.stdout) as Out;
    expect(t.minisim.maxSampledPages).toBe(500);
    expect(t.minisim.rate).toBeLessThan(0.2);
    const text = hclab(['mrc', TRACE, '--method', 'minisim', '--minisim-max-samples', '500']);
    expect(text.stdout).toMatch(/minisim: fixed size, at most 500 sampled pages \(held 500\)/);
    const both = hclab([
      'mrc',
      TRACE,
      '--method',
      'minisim',
      '--minisim-rate',
      '0.1',
      '--minisim-max-samples',
      '500',
    ]);
    expect(both.status).not.toBe(0);
    expect(both.stderr).toMatch(/cannot be combined/);
    const zero = hclab(['mrc', TRACE, '--method', 'minisim', '--minisim-max-samples', '0']);
    expect(zero.status).not.toBe(0);
    expect(zero.stderr).toMatch(/--minisim-max-samples/);
  });

  it('rejects opt and a bad --minisim-rate', () => {
    const opt = hclab(['mrc', TRACE, '--method', 'policy', '--policy', 'opt', '--sizes', '10']);
    expect(opt.status).not.toBe(0);
    expect(opt.stderr).toMatch(/--policy/);
    const bad = hclab([
      'mrc',
      TRACE,
      '--method',
      'minisim',
      '--minisim-rate',
      '0',
      '--sizes',
      '10',
    ]);
    expect(bad.status).not.toBe(0);
    expect(bad.stderr).toMatch(/--minisim-rate/);
  });
});
