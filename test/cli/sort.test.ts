/**
 * `--sort` (issue 11): a trace whose times go backwards beyond the tolerance is refused naming the
 * line and pointing at --sort; with --sort it gives exactly what the same trace sorted beforehand
 * gives (the independent truth: a stable sort of the records, read without --sort), in csv and
 * in oracleGeneral (the fused reader); skip and limit apply to the sorted trace. The memory bound
 * --max-sort-references is tested at the limit and one past it.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { hclab } from './run-cli.js';

const dir = mkdtempSync(path.join(tmpdir(), 'hclab-sort-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Rec {
  time: number;
  page: number;
  write: boolean;
}

/** 3,000 records, two per second (equal times: the sort must keep their order), seeded. */
function records(): Rec[] {
  let x = 12345;
  const next = () => {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    return x >>> 8;
  };
  return Array.from({ length: 3000 }, (_, i) => ({
    time: Math.floor(i / 2),
    page: next() % 400,
    write: next() % 4 === 0,
  }));
}

/** Out of order: every 13th record trades places with the one 10 later (5 s apart). */
function shuffled(rs: Rec[]): Rec[] {
  const out = rs.slice();
  for (let k = 0; k + 10 < out.length; k += 13) [out[k], out[k + 10]] = [out[k + 10], out[k]];
  return out;
}

const stableSorted = (rs: Rec[]) => rs.slice().sort((a, b) => a.time - b.time);

function csv(name: string, rs: Rec[]): string {
  const file = path.join(dir, name);
  writeFileSync(
    file,
    'time,op,lbn\n' + rs.map((r) => `${r.time},${r.write ? 'w' : 'r'},${r.page}\n`).join(''),
  );
  return file;
}

function oracle(name: string, rs: Rec[]): string {
  const b = Buffer.alloc(rs.length * 24);
  rs.forEach((r, i) => {
    b.writeUInt32LE(r.time, i * 24);
    b.writeUInt32LE(r.page, i * 24 + 4);
    b.writeUInt32LE(4096, i * 24 + 12);
  });
  const file = path.join(dir, name);
  writeFileSync(file, b);
  return file;
}

const MRC = [
  '--csv',
  '--method',
  'exact,hypervisor,esx,shards',
  '--guest-pages',
  '60',
  '--hv-pages',
  '30',
];

describe('--sort', () => {
  const rs = shuffled(records());
  const sorted = stableSorted(rs);
  // The first backward jump: record 1 (index 0) moved 10 places later.
  const firstBack = rs.findIndex((r, i) => i > 0 && rs[i - 1].time - r.time > 1);

  it('out-of-order times are refused naming the line and --sort', () => {
    const r = hclab(['mrc', csv('ooo.csv', rs), ...MRC]);
    expect(r.status).toBe(2);
    // Line numbers count the header: record index i is on line i + 2.
    expect(r.stderr.trim()).toBe(
      `hclab: ooo.csv line ${firstBack + 2}: expected a time no more than 1 s before the previous request's ${rs[firstBack - 1].time} s (--sort reads the trace sorted by time; --allow-time-gaps accepts it as is) in column 'time' (1), got '${rs[firstBack].time}'`,
    );
    expect(r.stdout).toBe('');
  });

  it('csv with --sort gives the MRCs of the same trace sorted beforehand', () => {
    const truth = hclab(['mrc', csv('sorted.csv', sorted), ...MRC]);
    expect(truth.status).toBe(0);
    const r = hclab(['mrc', csv('ooo.csv', rs), ...MRC, '--sort']);
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(truth.stdout);
    expect(r.stdout.split('\n').filter((l) => l.startsWith('shards,')).length).toBeGreaterThan(0);
    // Skip and limit count references of the sorted trace.
    const window = ['--skip', '100', '--limit', '1000'];
    expect(hclab(['mrc', csv('ooo.csv', rs), ...MRC, ...window, '--sort']).stdout).toBe(
      hclab(['mrc', csv('sorted.csv', sorted), ...MRC, ...window]).stdout,
    );
  });

  it('oracleGeneral (the fused reader) with --sort: the same as sorted beforehand', () => {
    const truth = hclab(['mrc', oracle('sorted.oracleGeneral.bin', sorted), ...MRC]);
    expect(truth.status).toBe(0);
    const file = oracle('ooo.oracleGeneral.bin', rs);
    expect(hclab(['mrc', file, ...MRC]).stderr).toContain(
      `record ${firstBack + 1}: expected a time no more than 1 s before`,
    );
    const r = hclab(['mrc', file, ...MRC, '--sort']);
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(truth.stdout);
  });

  it('--max-sort-references: at the limit it sorts, one past it is refused with the numbers', () => {
    const file = csv('ooo.csv', rs);
    const at = hclab(['mrc', file, ...MRC, '--sort', '--max-sort-references', String(rs.length)]);
    expect(at.status).toBe(0);
    expect(at.stdout).toBe(hclab(['mrc', csv('sorted.csv', sorted), ...MRC]).stdout);
    const past = hclab([
      'mrc',
      file,
      ...MRC,
      '--sort',
      '--max-sort-references',
      String(rs.length - 1),
    ]);
    expect(past.status).toBe(2);
    expect(past.stderr.trim()).toBe(
      `hclab: ooo.csv near reference ${rs.length}: expected at most ${rs.length - 1} references to sort by time (the limit: ${(((rs.length - 1) * 64) / 1024).toFixed(1)} KiB of memory at 64 bytes per reference; --max-sort-references raises it), got more (reading stopped before memory runs out)`,
    );
  });

  it('a trace without times cannot be sorted: one line saying so', () => {
    const file = path.join(dir, 'pages.txt');
    writeFileSync(file, '1\n2\n3\n');
    const r = hclab(['mrc', file, '--sort']);
    expect(r.status).toBe(2);
    expect(r.stderr.trim()).toBe(
      'hclab: pages.txt reference 1: expected a trace with times (--sort orders the references by time), got a txt trace without times',
    );
  });
});
