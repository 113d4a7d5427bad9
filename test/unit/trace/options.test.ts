import { describe, expect, it } from 'vitest';
import { CancelledError } from '../../../main/engine/control.js';
import { openTrace, readTraceToMemory } from '../../../main/engine/trace/index.js';
import { densify, haveTestTraces, sampleTrace, testTrace } from './helpers.js';

/** A shipped LIRS trace (gzip text, one page per line): 30,241 refs, 7,454 distinct. */
const TXT = sampleTrace('multi3.trace.gz');
const REFS = 30_241;
const DISTINCT = 7_454;

describe('read options', () => {
  it('skip and limit cut the reference stream; ids stay dense from 0', async () => {
    const all = (await readTraceToMemory(TXT)).trace.pages;
    const { trace, stats } = await readTraceToMemory(TXT, { skip: 1000, limit: 5000 });
    expect(trace.pages.length).toBe(5000);
    expect(Array.from(trace.pages)).toEqual(densify(all.subarray(1000, 6000)));
    expect(stats.distinctPages).toBe(trace.distinct);
    expect(stats).toMatchObject({ references: 5000 });
  });

  it('limit 0 yields nothing; skip past the end yields nothing', async () => {
    expect((await readTraceToMemory(TXT, { limit: 0 })).stats.references).toBe(0);
    expect((await readTraceToMemory(TXT, { skip: 10_000_000 })).stats).toMatchObject({
      references: 0,
      requests: REFS,
    });
  });

  it.skipIf(!haveTestTraces())('skip and limit count pages after splitting', async () => {
    const vscsi = testTrace('cloudPhysicsIO.vscsi');
    const all = (await readTraceToMemory(vscsi)).trace.pages;
    const { trace } = await readTraceToMemory(vscsi, { skip: 3, limit: 10 });
    expect(Array.from(trace.pages)).toEqual(densify(all.subarray(3, 13)));
  });

  it('carries warmup and page size through to the stats', async () => {
    const { stats } = await readTraceToMemory(TXT, { warmup: 2000, pageSize: 8192 });
    expect(stats).toMatchObject({ warmup: 2000, pageSize: 8192, footprintBytes: DISTINCT * 8192 });
  });

  it('rejects invalid option values', async () => {
    await expect(openTrace(TXT, { pageSize: 0 })).rejects.toThrow(RangeError);
    await expect(openTrace(TXT, { skip: -1 })).rejects.toThrow(/skip must be an integer/);
    await expect(openTrace(TXT, { csv: { delimiter: '::' } })).rejects.toThrow(/one character/);
  });
});

describe('streaming and run control', () => {
  it('yields chunks of the requested size with live stats, then final stats', async () => {
    const source = await openTrace(TXT, { chunkRefs: 10_000 });
    expect(source.format).toBe('lirs');
    expect(source.path).toBe(TXT);
    expect(source.stats().references).toBe(0);
    let seen = 0;
    const sizes: number[] = [];
    for await (const chunk of source.chunks()) {
      seen += chunk.length;
      sizes.push(chunk.length);
      expect(source.stats().references).toBeGreaterThanOrEqual(seen);
    }
    expect(sizes.slice(0, -1).every((n) => n === 10_000)).toBe(true);
    expect(seen).toBe(REFS);
    expect(source.stats().references).toBe(REFS);
  });

  it('is single use', async () => {
    const source = await openTrace(TXT);
    for await (const _chunk of source.chunks()) break;
    await expect(source.chunks().next()).rejects.toThrow(/only once/);
  });

  it('reports progress as (file bytes read, file size)', async () => {
    const calls: [number, number | undefined][] = [];
    await readTraceToMemory(TXT, {}, { onProgress: (done, total) => calls.push([done, total]) });
    expect(calls.length).toBeGreaterThan(0);
    expect(calls.at(-1)).toEqual([52_650, 52_650]); // compressed bytes of the file
    for (let i = 1; i < calls.length; i++)
      expect(calls[i][0]).toBeGreaterThanOrEqual(calls[i - 1][0]);
  });

  it('stops with CancelledError when the signal is aborted between chunks', async () => {
    const abort = new AbortController();
    const source = await openTrace(sampleTrace('w106.trace.xz'), { chunkRefs: 50_000 });
    let chunks = 0;
    const run = async () => {
      for await (const _chunk of source.chunks({ signal: abort.signal })) {
        if (++chunks === 2) abort.abort();
      }
    };
    await expect(run()).rejects.toBeInstanceOf(CancelledError);
    expect(chunks).toBe(2);
  });

  it('can stop early and still read the next .xz trace', async () => {
    const first = await openTrace(sampleTrace('w106.trace.xz'));
    for await (const _chunk of first.chunks()) break;
    const { stats } = await readTraceToMemory(sampleTrace('w106.trace.xz'), { limit: 1000 });
    expect(stats.references).toBe(1000);
  });
});
