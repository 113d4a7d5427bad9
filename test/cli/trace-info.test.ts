import path from 'node:path';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { describe, expect, it } from 'vitest';
import { haveTestTraces, hclab, sampleTrace, testTrace } from './run-cli.js';

describe('hclab trace info', () => {
  it.skipIf(!haveTestTraces())('counts the CloudPhysics txt trace', () => {
    const r = hclab(['trace', 'info', testTrace('cloudPhysicsIO.txt'), '--json']);
    expect(r.status).toBe(0);
    const info = JSON.parse(r.stdout) as Record<string, unknown>;
    expect(info.format).toBe('txt');
    expect(info.references).toBe(113_872);
    expect(info.distinctPages).toBe(48_974);
  });

  it.skipIf(!haveTestTraces())('detects the vscsi format and reads/writes without --format', () => {
    const r = hclab(['trace', 'info', testTrace('cloudPhysicsIO.vscsi'), '--no-split', '--json']);
    expect(r.status).toBe(0);
    const info = JSON.parse(r.stdout) as Record<string, number | string>;
    expect(info.format).toBe('vscsi');
    expect(info.references).toBe(113_872);
    expect(info.distinctPages).toBe(48_974);
    expect(info.reads).toBe(46_974);
    expect(info.writes).toBe(66_898);
  });

  it('reads an xz-compressed raw-u32 trace', () => {
    const r = hclab(['trace', 'info', sampleTrace('w106.trace.xz'), '--json']);
    expect(r.status).toBe(0);
    const info = JSON.parse(r.stdout) as Record<string, number | string>;
    expect(info.format).toBe('raw-u32');
    expect(info.references).toBe(5_292_456);
    expect(info.distinctPages).toBe(275_171);
  });

  it('counts a shipped gzip LIRS trace', () => {
    const r = hclab(['trace', 'info', sampleTrace('multi3.trace.gz'), '--json']);
    expect(r.status).toBe(0);
    const info = JSON.parse(r.stdout) as Record<string, unknown>;
    expect(info).toMatchObject({ format: 'lirs', references: 30_241, distinctPages: 7_454 });
  });

  it('bad input: one clear line on stderr and exit code 2', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'hclab-cli-'));
    const bad = path.join(dir, 'bad.txt');
    writeFileSync(bad, '1\n2\nthree\n4\n');
    const r = hclab(['trace', 'info', bad]);
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/bad\.txt line 3/);

    const skipped = hclab(['trace', 'info', bad, '--skip-bad', '--json']);
    expect(skipped.status).toBe(0);
    expect(JSON.parse(skipped.stdout)).toMatchObject({ references: 3, badSkipped: 1 });

    const missing = hclab(['trace', 'info', path.join(dir, 'nope.txt')]);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toMatch(/nope\.txt/);

    const unknown = hclab(['trace', 'info', bad, '--format', 'parquet']);
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toMatch(/unknown format 'parquet'/);
  });
});
