/**
 * `hclab mrc` states each MAE with its points and sizes, and never prints an error over zero
 * points: a VM whose guest memory V holds the whole footprint leaves the hypervisor curve no size
 * where the exact curve still changes, so its MAE is "—". Uses a small trace written here.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { hclab } from './run-cli.js';

const dir = mkdtempSync(path.join(tmpdir(), 'hclab-mae-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
// 300 distinct pages, each referenced 20 times: exact footprint 300.
const trace = path.join(dir, 'cyclic.txt');
writeFileSync(trace, `${Array.from({ length: 6000 }, (_, i) => (i * 7) % 300).join('\n')}\n`);

function maeLines(stdout: string): Map<string, string> {
  return new Map(
    [...stdout.matchAll(/^MAE (\w+) vs exact: (.*)$/gm)].map((m) => [m[1], m[2]] as const),
  );
}

describe('hclab mrc: MAE with points and sizes', () => {
  it('prints "—" over zero points and the points and sizes otherwise', () => {
    const none = hclab(['mrc', trace, '--method', 'exact,hypervisor', '--guest-pages', '400']);
    expect(none.status).toBe(0);
    expect(maeLines(none.stdout).get('hypervisor')).toBe(
      '— (no size where both curves are defined)',
    );
    expect(none.stdout).not.toMatch(/MAE hypervisor vs exact: 0\.0+/);

    const some = hclab([
      'mrc',
      trace,
      '--method',
      'exact,hypervisor',
      '--guest-pages',
      '100',
      '--hv-pages',
      '100',
      '--ghost-pages',
      '50',
    ]);
    expect(some.status).toBe(0);
    // Defined on V..V+C+G = 100..250, all below the footprint: 151 points, exact on its domain.
    expect(maeLines(some.stdout).get('hypervisor')).toBe(
      '0.00000 over 151 points (sizes 100..250)',
    );
  });

  it('--json gives null (never 0), the points and the size range', () => {
    const r = hclab([
      'mrc',
      trace,
      '--method',
      'exact,hypervisor',
      '--guest-pages',
      '400',
      '--json',
    ]);
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout) as {
      curves: {
        method: string;
        mae: number | null;
        maeSizesCompared: number;
        maeSizeRange: unknown;
      }[];
    };
    const hv = out.curves.find((c) => c.method === 'hypervisor');
    expect(hv).toMatchObject({ mae: null, maeSizesCompared: 0, maeSizeRange: null });
  });

  it('hclab results shows "—" with no comparable point and the points otherwise', () => {
    const yaml = path.join(dir, 'exp.yaml');
    writeFileSync(
      yaml,
      `name: e
vms:
  - name: holds-all
    workload: { trace: cyclic.txt }
    guestPages: 400
  - name: scored
    workload: { trace: cyclic.txt }
    guestPages: 100
    hvPages: 100
methods: [exact, hypervisor]
`,
    );
    const project = path.join(dir, 'p.hclab');
    expect(hclab(['project', 'new', project, '--from', yaml]).status).toBe(0);
    expect(hclab(['run', project, '--quiet']).status).toBe(0);
    const r = hclab(['results', project]);
    expect(r.status).toBe(0);
    const row = (vm: string) => r.stdout.split('\n').find((l) => l.startsWith(vm)) ?? '';
    expect(row('holds-all')).toMatch(/—\s*$/);
    expect(row('scored')).toMatch(/0\.0000 \(101 pts\)\s*$/);
  });
});
