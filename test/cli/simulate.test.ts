import path from 'node:path';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { describe, expect, it } from 'vitest';
import { hclab, parseMrcCsv, REPO, sampleTrace } from './run-cli.js';

/** A shipped sample trace: 133,996 refs. */
const TXT = sampleTrace('sprite.trace.gz');

interface VmJson {
  name: string;
  references: number;
  guestHits: number;
  hvHits: number;
  diskReads: number;
  diskWrites: number;
  puts: number;
  admissionFailures: number;
}

describe('hclab simulate', () => {
  it('--trace --json: disk reads of V + C equal LRU misses at V + C (the exclusive-cache invariant)', () => {
    const sim = hclab([
      'simulate',
      '--trace',
      TXT,
      '--guest-pages',
      '700',
      '--hv-pages',
      '300',
      '--json',
    ]);
    expect(sim.status).toBe(0);
    const vm = (JSON.parse(sim.stdout) as { vms: VmJson[] }).vms[0];
    for (const key of [
      'name',
      'references',
      'guestHits',
      'hvHits',
      'diskReads',
      'diskWrites',
      'puts',
      'admissionFailures',
    ])
      expect(vm).toHaveProperty(key);
    expect(vm.references).toBe(133_996);
    expect(vm.guestHits + vm.hvHits + vm.diskReads).toBe(vm.references);
    const mrc = parseMrcCsv(hclab(['mrc', TXT, '--csv', '--sizes', '1000']).stdout);
    expect(vm.diskReads).toBe(mrc[0].misses);
  });

  it('--workload runs a generated workload deterministically', () => {
    const args = [
      'simulate',
      '--workload',
      'zipf:pages=5000,alpha=0.9,refs=50000,seed=7,writeFraction=0.3',
      '--guest-pages',
      '500',
      '--hv-pages',
      '500',
      '--json',
    ];
    const a = hclab(args);
    const b = hclab(args);
    expect(a.status).toBe(0);
    expect(a.stdout).toBe(b.stdout);
    const vm = (JSON.parse(a.stdout) as { vms: VmJson[] }).vms[0];
    expect(vm.references).toBe(50_000);
    expect(vm.diskWrites).toBeGreaterThan(0);
  });

  it('--experiment runs several VMs from a YAML file', () => {
    const r = hclab([
      'simulate',
      '--experiment',
      path.join(REPO, 'examples/two-vms.yaml'),
      '--json',
    ]);
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout) as { vms: (VmJson & { curves: { method: string }[] })[] };
    expect(out.vms.map((v) => v.name)).toEqual(['web', 'sprite']);
    expect(out.vms[1].references).toBe(133_996);
    expect(out.vms[0].curves.map((c) => c.method)).toEqual([
      'exact',
      'hypervisor',
      'esx',
      'shards',
    ]);
  });

  it('a bad experiment field is named, exit 2', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'hclab-exp-'));
    const file = path.join(dir, 'exp.yaml');
    writeFileSync(
      file,
      'name: x\nvms:\n  - name: a\n    workload: { kind: uniform, pages: 10, refs: 100 }\n  - name: b\n    workload: { kind: uniform, pages: 10, refs: 100 }\n    guestPages: -5\n',
    );
    const r = hclab(['simulate', '--experiment', file]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(
      /exp\.yaml: vms\[1\]\.guestPages: expected a positive integer, got -5/,
    );
  });

  it('needs exactly one input', () => {
    const r = hclab(['simulate', '--guest-pages', '10']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/exactly one of/);
  });

  it('shows reads and writes with the cache and with V + C guest pages and no cache', () => {
    const args = [
      'simulate',
      '--workload',
      'preset:tpcc,pages=4000,refs=60000,rate=1000',
      '--guest-pages',
      '1000',
      '--hv-pages',
      '1000',
    ];
    const table = hclab(args);
    expect(table.status).toBe(0);
    expect(table.stdout).toMatch(/V=1000 C=1000/);
    expect(table.stdout).toMatch(/V=2000 C=0/);
    expect(table.stdout).toMatch(/difference/);
    const json = hclab([...args, '--json']);
    const vm = (
      JSON.parse(json.stdout) as {
        vms: (VmJson & {
          io: {
            withCache: { diskReads: number; diskWrites: number };
            withoutCache: { diskReads: number; diskWrites: number; guestPages: number };
            difference: { diskReads: number; diskWrites: number };
          };
        })[];
      }
    ).vms[0];
    expect(vm.io.withCache.diskReads).toBe(vm.diskReads);
    expect(vm.io.withCache.diskWrites).toBe(vm.diskWrites);
    expect(vm.io.withoutCache.guestPages).toBe(2000);
    expect(vm.io.withoutCache.diskReads).toBe(vm.diskReads); // LRU, no failures: equal reads
    expect(vm.io.difference.diskWrites).toBeGreaterThan(0); // eviction writebacks
    const csv = hclab([...args, '--csv'])
      .stdout.trim()
      .split('\n');
    expect(csv[0]).toMatch(/diskReads,diskWrites,.*noCacheDiskReads,noCacheDiskWrites/);
  });
});
