/**
 * The shipped sample traces (examples/traces/) and the CloudPhysics reference traces (folder of
 * HCLAB_TEST_TRACES), with the counts of their SOURCES.md.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readTraceToMemory, type TraceReadOptions } from '../../../main/engine/trace/index.js';
import { haveTestTraces, sampleTrace, testTrace } from './helpers.js';

/** Element-wise equality of big typed arrays (much faster than toEqual). */
function same(a: Int32Array | Uint8Array, b: Int32Array | Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

const read = (name: string, options: TraceReadOptions = {}) =>
  readTraceToMemory(testTrace(name), options);
const readSample = (name: string, options: TraceReadOptions = {}) =>
  readTraceToMemory(sampleTrace(name), options);

/** LRU hits at a capacity, by brute force (test oracle for the dense ids). */
function lruHits(pages: Int32Array, capacity: number): number {
  const cache = new Map<number, true>();
  let hits = 0;
  for (const p of pages) {
    if (cache.delete(p)) hits++;
    else if (cache.size >= capacity) cache.delete(cache.keys().next().value as number);
    cache.set(p, true);
  }
  return hits;
}

describe.skipIf(!haveTestTraces())('reference traces (HCLAB_TEST_TRACES)', () => {
  const CLOUD = [
    'cloudPhysicsIO.txt',
    'cloudPhysicsIO.csv',
    'cloudPhysicsIO.vscsi',
    'cloudPhysicsIO.oracleGeneral.bin',
  ];

  it('cloudPhysicsIO.*: 113,872 refs and 48,974 distinct with split off, identical dense ids', async () => {
    const results = await Promise.all(CLOUD.map((name) => read(name, { split: false })));
    for (const { stats } of results) {
      expect(stats).toMatchObject({
        references: 113_872,
        requests: 113_872,
        distinctPages: 48_974,
        badSkipped: 0,
      });
    }
    const [txt, csv, vscsi, oracle] = results;
    expect(same(csv.trace.pages, txt.trace.pages)).toBe(true);
    expect(same(vscsi.trace.pages, txt.trace.pages)).toBe(true);
    expect(same(oracle.trace.pages, txt.trace.pages)).toBe(true);
    for (const r of [csv, vscsi]) expect(r.stats).toMatchObject({ reads: 46_974, writes: 66_898 });
    expect(same(csv.trace.ops, vscsi.trace.ops)).toBe(true);
    expect(txt.stats).toMatchObject({ format: 'txt', reads: 113_872, writes: 0, firstTime: null });
    expect(oracle.stats).toMatchObject({
      format: 'oracleGeneral',
      firstTime: 5_633_898,
      lastTime: 5_641_098,
    });
    expect(csv.stats).toMatchObject({
      format: 'csv',
      firstTime: 5_633_898,
      lastTime: 5_641_098,
      durationSeconds: 7200,
    });
    // vscsi times are µs; the csv holds the whole seconds.
    const vt = vscsi.trace.times!;
    const ct = csv.trace.times!;
    let mismatch = 0;
    for (let i = 0; i < vt.length; i++) if (Math.floor(vt[i]) !== ct[i]) mismatch++;
    expect(mismatch).toBe(0);
  });

  it('cloudPhysicsIO.txt gives the LRU hits of DESIGN.md §4', async () => {
    const { trace } = await read('cloudPhysicsIO.txt');
    expect([1, 2, 3, 4, 5, 20].map((c) => lruHits(trace.pages, c))).toEqual([
      2685, 3347, 3908, 4666, 4904, 8311,
    ]);
    expect(trace.pages.length - trace.distinct).toBe(64_898);
  });

  it('cloudPhysicsIO.vscsi and .csv split 512-byte sectors into the same 4 KiB pages', async () => {
    const vscsi = await read('cloudPhysicsIO.vscsi');
    const csv = await read('cloudPhysicsIO.csv', { split: true });
    expect(vscsi.stats).toMatchObject({
      split: true,
      requests: 113_872,
      references: 1_141_869,
      distinctPages: 269_210,
    });
    expect(vscsi.stats).toMatchObject({ reads: 485_700, writes: 656_169 });
    expect(same(csv.trace.pages, vscsi.trace.pages)).toBe(true);
  });
});

describe('examples/traces (shipped)', () => {
  it('every shipped file is listed in SOURCES.md with its SHA-256', () => {
    const sources = readFileSync(sampleTrace('SOURCES.md'), 'utf8');
    const files = readdirSync(sampleTrace('.')).filter((f) => f !== 'SOURCES.md');
    expect(files.sort()).toEqual([
      'cpp.trace.gz',
      'loop.trace.gz',
      'multi3.trace.gz',
      'sprite.trace.gz',
      'w106.trace.xz',
    ]);
    for (const f of files) {
      const sha = createHash('sha256')
        .update(readFileSync(sampleTrace(f)))
        .digest('hex');
      expect(sources, f).toContain(`${sha}  ${f}`);
    }
  });

  it('w106.trace.xz (raw-u32): 5,292,456 refs, 275,171 distinct', async () => {
    const { stats } = await readSample('w106.trace.xz');
    expect(stats).toMatchObject({
      format: 'raw-u32',
      references: 5_292_456,
      distinctPages: 275_171,
      bytesRead: 2_817_888,
    });
  });

  it.each([
    ['multi3.trace.gz', 30_241, 7_454],
    ['sprite.trace.gz', 133_996, 7_075],
    ['cpp.trace.gz', 9_047, 1_223],
    ['loop.trace.gz', 505_500, 1_011],
  ])('%s (lirs): %i refs, %i distinct', async (name, refs, distinct) => {
    const { trace, stats } = await readSample(name);
    expect(stats).toMatchObject({
      format: 'lirs',
      references: refs,
      distinctPages: distinct,
      badSkipped: 0,
    });
    // The LIRS ids are already dense 0..distinct-1, so every id is below the distinct count.
    expect(trace.pages.reduce((a, b) => Math.max(a, b), 0)).toBe(distinct - 1);
  });
});
