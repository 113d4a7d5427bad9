/**
 * `hclab simulate --sizes LIST --policy LIST`: one pass over the trace feeding every
 * (policy, size) cache across worker threads gives the results of separate runs.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { hclab, sampleTrace } from './run-cli.js';

/** A shipped sample trace: 133,996 reads. */
const TXT = sampleTrace('sprite.trace.gz');
const POLICIES = ['lru', 'fifo', 'clock', 'arc', 'lru2'];
const SIZES = [50, 300, 1000];

interface Row {
  policy: string;
  size: number;
  references: number;
  hits: number;
  misses: number;
}

function sweep(args: string[]): Row[] {
  const r = hclab(['simulate', '--trace', TXT, ...args, '--json', '--quiet']);
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  return (JSON.parse(r.stdout) as { caches: Row[] }).caches;
}

describe('hclab simulate --sizes --policy', () => {
  const all = sweep(['--sizes', SIZES.join(','), '--policy', POLICIES.join(','), '--workers', '2']);

  it('has one row per (policy, size), in order', () => {
    expect(all.map((r) => [r.policy, r.size])).toEqual(
      POLICIES.flatMap((p) => SIZES.map((s) => [p, s])),
    );
    for (const r of all) {
      expect(r.references).toBe(133_996);
      expect(r.hits + r.misses).toBe(r.references);
    }
  });

  it('equals the guest misses of separate single-VM runs (no hypervisor cache)', () => {
    for (const row of all) {
      const r = hclab([
        'simulate',
        '--trace',
        TXT,
        '--guest-pages',
        String(row.size),
        '--policy',
        row.policy,
        '--json',
        '--quiet',
      ]);
      expect(r.status).toBe(0);
      const vm = (JSON.parse(r.stdout) as { vms: { guestHits: number; diskReads: number }[] })
        .vms[0];
      expect([row.policy, row.size, row.hits, row.misses]).toEqual([
        row.policy,
        row.size,
        vm.guestHits,
        vm.diskReads,
      ]);
    }
  });

  it('gives the same numbers in this thread, with one worker per cache and per policy alone', () => {
    expect(
      sweep(['--sizes', SIZES.join(','), '--policy', POLICIES.join(','), '--workers', '0']),
    ).toEqual(all);
    expect(
      sweep(['--sizes', SIZES.join(','), '--policy', POLICIES.join(','), '--workers', '15']),
    ).toEqual(all);
    for (const p of POLICIES)
      expect(sweep(['--sizes', SIZES.join(','), '--policy', p])).toEqual(
        all.filter((r) => r.policy === p),
      );
  });

  it('refuses options of the VM simulation and unknown policies', () => {
    const bad = hclab(['simulate', '--trace', TXT, '--sizes', '10', '--guest-pages', '5']);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('--guest-pages does not apply');
    const opt = hclab(['simulate', '--trace', TXT, '--sizes', '10', '--policy', 'lru,opt']);
    expect(opt.status).toBe(2);
    expect(opt.stderr).toContain("got 'opt'");
  });

  it('leaves direct-I/O writes out: they bypass guest memory (DESIGN.md), as the MRC methods do', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'hclab-sizes-'));
    try {
      // 6,000 references over 900 pages; every 7th is a direct write of a page of its own range.
      const rows: string[] = [];
      const guest: string[] = [];
      let x = 17;
      for (let i = 0; i < 6000; i++) {
        x = (Math.imul(x, 1103515245) + 12345) >>> 0;
        if (i % 7 === 3) rows.push(`${i},${5000 + (x % 300)},dw`);
        else {
          const row = `${i},${(x >>> 4) % 900},${i % 5 === 0 ? 'w' : 'r'}`;
          rows.push(row);
          guest.push(row);
        }
      }
      const head = 'time,id,op\n';
      const withDirect = path.join(dir, 'with-direct.csv');
      const without = path.join(dir, 'without.csv');
      writeFileSync(withDirect, head + rows.join('\n') + '\n');
      writeFileSync(without, head + guest.join('\n') + '\n');
      const run = (file: string, workers: string) => {
        const r = hclab([
          'simulate',
          '--trace',
          file,
          '--sizes',
          '50,200,800',
          '--policy',
          'lru,clock,arc',
          '--workers',
          workers,
          '--json',
          '--quiet',
        ]);
        expect(r.stderr).toBe('');
        return (JSON.parse(r.stdout) as { caches: Row[] }).caches;
      };
      const expected = run(without, '0');
      expect(expected[0].references).toBe(guest.length);
      expect(run(withDirect, '0')).toEqual(expected);
      expect(run(withDirect, '2')).toEqual(expected);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
