/**
 * The sort read option (RefSink with SortBuffer): references of a trace whose times go backwards
 * come out exactly as those of the same trace sorted beforehand (stable: equal times keep their
 * order), with volumes kept apart and byte ranges split into pages; jumps forward are checked on
 * the sorted trace; the reference limit holds at its value and refuses one more.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { TraceInputError } from '../../../main/engine/trace/index.js';
import { readPlain, tempDir } from './helpers.js';

const tmp = tempDir();
afterAll(() => tmp.cleanup());

interface Row {
  time: number;
  volume: number;
  offset: number;
  size: number;
  op: 'r' | 'w';
}

const rowsOf = (rows: Row[]) =>
  'time,volume,offset,size,op\n' +
  rows.map((r) => `${r.time},${r.volume},${r.offset},${r.size},${r.op}\n`).join('');

describe('sort', () => {
  // Two volumes, requests of 1 to 3 pages, equal times, and backward jumps of several seconds.
  const rows: Row[] = Array.from({ length: 400 }, (_, i) => ({
    time: Math.floor(i / 3) + (i % 17 === 5 ? -9 : 0) + 9,
    volume: i % 2,
    offset: ((i * 7919) % 50) * 4096 + (i % 3 === 0 ? 100 : 0),
    size: 4096 * (1 + (i % 3)),
    op: i % 5 === 0 ? 'w' : 'r',
  }));
  const sorted = rows.slice().sort((a, b) => a.time - b.time);
  const options = { format: 'csv' as const, split: true };

  it('gives the references and statistics of the trace sorted beforehand', async () => {
    const refused = await readPlain(tmp.write('ooo.csv', rowsOf(rows)), options).then(
      () => null,
      (e: unknown) => e,
    );
    expect(refused).toBeInstanceOf(TraceInputError);
    expect((refused as Error).message).toContain('--sort reads the trace sorted by time');

    const truth = await readPlain(tmp.write('sorted.csv', rowsOf(sorted)), options);
    const got = await readPlain(tmp.write('ooo.csv', rowsOf(rows)), { ...options, sort: true });
    expect(got.pages).toEqual(truth.pages);
    expect(got.ops).toEqual(truth.ops);
    expect(got.times).toEqual(truth.times);
    const { bytesRead: _a, ...gotStats } = got.stats;
    const { bytesRead: _b, ...truthStats } = truth.stats;
    expect(gotStats).toEqual(truthStats);
    expect(got.stats.volumes).toBe(2);
    expect(got.stats.references).toBeGreaterThan(rows.length); // split into pages
    expect(got.stats.firstTime).toBe(sorted[0].time);
  });

  it('checks jumps forward on the sorted trace', async () => {
    const gap = [
      { time: 5, volume: 0, offset: 0, size: 4096, op: 'r' as const },
      { time: 2, volume: 0, offset: 0, size: 4096, op: 'r' as const },
      { time: 5 + 400 * 24 * 3600, volume: 0, offset: 0, size: 4096, op: 'r' as const },
    ];
    const file = tmp.write('gap.csv', rowsOf(gap));
    const err = await readPlain(file, { ...options, sort: true }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(TraceInputError);
    expect((err as Error).message).toContain(
      'reference 3 of the trace sorted by time: expected a time at most one year after the previous reference',
    );
    const allowed = await readPlain(file, { ...options, sort: true, allowTimeGaps: true });
    expect(allowed.times).toEqual([2, 5, 5 + 400 * 24 * 3600]);
  });

  it('holds maxSortReferences references (pages after splitting) and refuses one more', async () => {
    const file = tmp.write('ooo.csv', rowsOf(rows));
    const all = (await readPlain(file, { ...options, sort: true })).stats.references;
    const at = await readPlain(file, { ...options, sort: true, maxSortReferences: all });
    expect(at.stats.references).toBe(all);
    const past = await readPlain(file, { ...options, sort: true, maxSortReferences: all - 1 }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(past).toBeInstanceOf(TraceInputError);
    expect((past as Error).message).toContain(
      `near reference ${all}: expected at most ${all - 1} references to sort by time`,
    );
  });
});
