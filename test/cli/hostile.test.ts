/**
 * Issue 11's reproductions through the built CLI: each used to exhaust memory, spin or abort;
 * now each is refused naming the place (exit 2) or finishes within the limits.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { hclab } from './run-cli.js';

const dir = mkdtempSync(path.join(tmpdir(), 'hclab-hostile-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** 200 oracleGeneral records at times 0..198 and a last one at 0xFFFFFFFF. */
function oracleWithLastTime(): string {
  const b = Buffer.alloc(200 * 24);
  for (let i = 0; i < 200; i++) {
    b.writeUInt32LE(i === 199 ? 0xffffffff : i, i * 24);
    b.writeUInt32LE(i % 37, i * 24 + 4);
    b.writeUInt32LE(4096, i * 24 + 12);
  }
  const file = path.join(dir, 'ff.oracleGeneral.bin');
  writeFileSync(file, b);
  return file;
}

describe('hostile values on the command line', () => {
  it('oracleGeneral with a last time of 0xFFFFFFFF: refused naming the record; allowed, ESX stays small', () => {
    const file = oracleWithLastTime();
    const args = ['mrc', file, '--method', 'esx', '--guest-pages', '50', '--hv-pages', '50'];
    const refused = hclab(args);
    expect(refused.status).toBe(2);
    expect(refused.stderr.trim()).toMatch(
      /^hclab: ff\.oracleGeneral\.bin record 200: expected a time at most one year after the previous request's 198 s \(--allow-time-gaps accepts larger gaps\)/,
    );
    const allowed = hclab([...args, '--allow-time-gaps', '--json']);
    expect(allowed.status).toBe(0);
    const report = JSON.parse(allowed.stdout) as {
      esx: { periods: { periodIndex: number }[]; updates: unknown[] };
    };
    // 2^32 s of idleness are ~143 million 30-s periods; only the last 100 keep a record.
    const periods = report.esx.periods;
    expect(periods.at(-1)?.periodIndex).toBe(Math.floor(0xffffffff / 30) - 1);
    expect(periods.length).toBeLessThanOrEqual(110);
    expect(report.esx.updates.length).toBeLessThanOrEqual(110 * 10);
  });

  it('a CSV time of 1e308 is refused instead of never ending', () => {
    const file = path.join(dir, 'huge.csv');
    writeFileSync(file, 'time,op,lbn\n1.0,r,1\n1e308,r,2\n');
    const r = hclab(['simulate', '--trace', file, '--guest-pages', '50', '--hv-pages', '50']);
    expect(r.status).toBe(2);
    expect(r.stderr.trim()).toBe(
      "hclab: huge.csv line 3: expected a time in seconds that is finite, ≥ 0 and below 2^53 µs (9007199254.740992 s) in column 'time' (1), got '1e308'",
    );
  });

  it('allocate with M = 10^12 and quantum 1: the quantum is raised with a note, no V8 abort', () => {
    const file = path.join(dir, 'a.csv');
    writeFileSync(
      file,
      'method,size,misses,miss_ratio\n' +
        [0, 1e11, 5e11, 1e12].map((s, i) => `exact,${s},${1000 - 300 * i},0`).join('\n') +
        '\n',
    );
    const r = hclab([
      'allocate',
      '--mrc',
      `a=${file}`,
      '--mrc',
      `b=${file}`,
      '--memory',
      '1000000000000',
      '--quantum',
      '1',
      '--tolerance',
      'a=inf',
      '--tolerance',
      'b=inf',
      '--json',
    ]);
    expect(r.status).toBe(0);
    expect(r.stderr).toContain('hclab: quantum raised from 1 to 40001601 pages');
    expect(JSON.parse(r.stdout)).toMatchObject({ feasible: true, quantum: 40_001_601 });
  });
});
