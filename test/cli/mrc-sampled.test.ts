/**
 * `hclab mrc` with SHARDS or minisim alone at one fixed rate on an oracleGeneral trace: the reader
 * hashes raw ids and maps only the sampled references (the fused path). The curves must be those
 * of the generic methods over the raw ids, with or without --sizes (without, the sampled stream is
 * kept and replayed at the sizes chosen after the pass), and the footprint is scaled by 1/R.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { MiniSimMrc } from '../../main/engine/mrc/minisim.js';
import { ShardsMrc } from '../../main/engine/mrc/shards.js';
import { hclab } from './run-cli.js';

interface Report {
  references: number;
  distinctPages: number;
  sizes: number[];
  curves: { method: string; misses: (number | null)[] }[];
  minisim?: { sampledReferences: number };
  shards?: { sampledReferences: number };
}

const N = 60_000;
const ids: number[] = [];
let x = 11;
for (let i = 0; i < N; i++) {
  x = (Math.imul(x, 1103515245) + 12345) >>> 0;
  ids.push((x >>> 8) % (i % 4 === 0 ? 40_000 : 2_000));
}
const DISTINCT = new Set(ids).size;

const dir = mkdtempSync(path.join(tmpdir(), 'hclab-sampled-'));
const FILE = path.join(dir, 'ids.oracleGeneral.bin');
{
  const b = Buffer.alloc(24 * N);
  ids.forEach((id, i) => {
    b.writeUInt32LE(1000 + (i >> 4), 24 * i);
    b.writeBigUInt64LE(BigInt(id), 24 * i + 4);
    b.writeUInt32LE(4096, 24 * i + 12);
    b.writeBigInt64LE(-1n, 24 * i + 16);
  });
  writeFileSync(FILE, b);
}
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function mrc(...args: string[]): Report {
  const r = hclab(['mrc', FILE, '--format', 'oracleGeneral', '--json', ...args]);
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  return JSON.parse(r.stdout) as Report;
}

function misses(report: Report, method: string): (number | null)[] {
  const c = report.curves.find((k) => k.method === method);
  if (c === undefined) throw new Error(`no ${method} curve`);
  return c.misses;
}

/** The dense ids an unsampled reader gives: raw ids numbered in order of first use. */
function dense(): number[] {
  const of = new Map<number, number>();
  return ids.map((id) => {
    let d = of.get(id);
    if (d === undefined) of.set(id, (d = of.size));
    return d;
  });
}

/**
 * The generic methods over these pages: the raw ids (all below 2^31, so their hash is the
 * reader's hash of a raw id) or the dense ids.
 */
function generic(sizes: number[], rate: number, pages = ids) {
  const chunk = { length: N, pages: Int32Array.from(pages), ops: new Uint8Array(N), times: null };
  const mini = new MiniSimMrc('lru', sizes, { rate });
  mini.feed(chunk);
  const shards = new ShardsMrc({ mode: 'fixed-rate', rate, maxSamples: 8192 });
  shards.feed(chunk);
  return { mini, shards };
}

describe('hclab mrc sampled by the reader (oracleGeneral, SHARDS or minisim alone)', () => {
  const sizes = [100, 1_000, 2_000, 5_000, 20_000];

  it('minisim alone with --sizes: the generic minisim over the raw ids', () => {
    const r = mrc('--method', 'minisim', '--minisim-rate', '0.1', '--sizes', sizes.join(','));
    const g = generic(sizes, 0.1);
    expect(r.references).toBe(N);
    expect(r.minisim?.sampledReferences).toBe(g.mini.sampledReferences);
    expect(r.minisim?.sampledReferences).toBeLessThan(N / 4);
    expect(misses(r, 'minisim')).toEqual(sizes.map((s) => g.mini.curve().missesAt(s)));
  });

  it('minisim alone without --sizes: the kept sample replayed at the chosen sizes, footprint scaled by 1/R', () => {
    const r = mrc('--method', 'minisim', '--minisim-rate', '0.1');
    expect(r.references).toBe(N);
    // The sampled pages stand for 1/R pages each: an estimate of the footprint.
    expect(Math.abs(r.distinctPages - DISTINCT) / DISTINCT).toBeLessThan(0.25);
    const g = generic(r.sizes, 0.1);
    expect(misses(r, 'minisim')).toEqual(r.sizes.map((s) => g.mini.curve().missesAt(s)));
  });

  it('SHARDS and minisim at one rate share the sample; at two rates every reference is mapped', () => {
    const both = mrc('--method', 'shards,minisim', '--sizes', sizes.join(','));
    const g = generic(sizes, 0.01);
    expect(both.shards?.sampledReferences).toBe(g.shards.sampledReferences);
    expect(misses(both, 'shards')).toEqual(sizes.map((s) => g.shards.curve().missesAt(s)));
    expect(misses(both, 'minisim')).toEqual(sizes.map((s) => g.mini.curve().missesAt(s)));
    // Rates differ: every reference is mapped and each method samples the dense ids itself.
    const apart = mrc(
      '--method',
      'shards,minisim',
      '--minisim-rate',
      '0.1',
      '--sizes',
      sizes.join(','),
    );
    expect(apart.references).toBe(N);
    expect(apart.distinctPages).toBe(DISTINCT);
    const s = generic(sizes, 0.01, dense());
    const m = generic(sizes, 0.1, dense());
    expect(misses(apart, 'shards')).toEqual(sizes.map((k) => s.shards.curve().missesAt(k)));
    expect(misses(apart, 'minisim')).toEqual(sizes.map((k) => m.mini.curve().missesAt(k)));
  });
});
