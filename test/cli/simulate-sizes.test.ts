/**
 * `hclab simulate --sizes LIST --policy LIST`: one pass over the trace feeding every
 * (policy, size) cache across worker threads gives the results of separate runs.
 */
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
});
