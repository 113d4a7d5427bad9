/**
 * The fused binary reader (oracleGeneral without splitting) against the generic per-record
 * path: same references, dense ids, times and statistics, with any buffer boundaries, skip and
 * limit; and the exact MRC of both is the same curve.
 */
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { ExactMrc } from '../../../main/engine/mrc/exact.js';
import { MiniSimMrc } from '../../../main/engine/mrc/minisim.js';
import { fixedRateThreshold, SHARDS_MODULUS, ShardsMrc } from '../../../main/engine/mrc/shards.js';
import { openTrace, TraceInputError } from '../../../main/engine/trace/index.js';
import { hash32, hash64 } from '../../../main/engine/util/hash.js';
import { concatChunks } from '../../../main/engine/trace/chunk.js';
import { OracleGeneralParser } from '../../../main/engine/trace/formats/oracle-general.js';
import { FastOracleGeneralParser } from '../../../main/engine/trace/formats/oracle-general-fast.js';
import { resolveOptions } from '../../../main/engine/trace/options.js';
import { RefSink } from '../../../main/engine/trace/sink.js';
import type { TraceReadOptions } from '../../../main/engine/trace/types.js';
import { Bin, densify, tempDir } from './helpers.js';

function oracle(ids: bigint[]): Uint8Array {
  const b = new Bin();
  ids.forEach((id, i) =>
    b
      .u32(100 + (i >> 2))
      .u64(id)
      .u32(4096)
      .u64(-1n),
  );
  return b.build();
}

/** oracleGeneral records of these ids at these times. */
function timed(ids: number[], times: number[]): Uint8Array {
  const b = new Bin();
  ids.forEach((x, i) => b.u32(times[i]).u64(BigInt(x)).u32(4096).u64(-1n));
  return b.build();
}

/** Runs one parser over `data` handed over in pieces of the given sizes (cycled). */
function run(fast: boolean, data: Uint8Array, pieces: number[], options: TraceReadOptions) {
  const sink = new RefSink('t.oracleGeneral', resolveOptions('oracleGeneral', options));
  const parser = fast ? new FastOracleGeneralParser(sink) : new OracleGeneralParser(sink, false);
  // Copy into a buffer at an odd offset so that 32-bit views are sometimes misaligned.
  const backing = new Uint8Array(data.length + 1);
  backing.set(data, 1);
  const shifted = backing.subarray(1);
  let at = 0;
  for (let i = 0; at < shifted.length && !sink.done; i++) {
    const n = pieces[i % pieces.length];
    parser.push(shifted.subarray(at, at + n));
    at += n;
  }
  if (!sink.done) parser.end();
  sink.finish(data.length);
  const trace = concatChunks(sink.takeReady());
  return {
    pages: Array.from(trace.pages),
    ops: Array.from(trace.ops),
    times: trace.times === null ? null : Array.from(trace.times),
    stats: sink.stats(),
    originals: Array.from({ length: 70 }, (_, i) => sink.originalId(i)),
  };
}

const id = fc.oneof(
  fc.bigInt({ min: 0n, max: 40n }),
  fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }),
  fc.constantFrom(2n ** 32n - 1n, 2n ** 32n, 2n ** 63n),
);

describe('fused oracleGeneral reader', () => {
  it('gives the generic path’s dense ids, times and statistics', () => {
    fc.assert(
      fc.property(
        fc.array(id, { minLength: 1, maxLength: 300 }),
        fc.array(fc.integer({ min: 1, max: 9000 }), { minLength: 1, maxLength: 4 }),
        fc.nat(20),
        fc.option(fc.integer({ min: 1, max: 400 }), { nil: undefined }),
        (ids, pieces, skip, limit) => {
          const data = oracle(ids);
          const options = { skip, limit, chunkRefs: 7 };
          const generic = run(false, data, pieces, options);
          const fused = run(true, data, pieces, options);
          expect(fused).toEqual(generic);
          // And both are the first-appearance numbering of the raw ids.
          const kept = ids.slice(skip, limit === undefined ? undefined : skip + limit);
          expect(fused.pages).toEqual(densify(kept));
        },
      ),
      { numRuns: 200 },
    );
  });

  it('crosses batches: 10,000 records in one buffer, same exact MRC', () => {
    const ids: bigint[] = [];
    let x = 12345;
    for (let i = 0; i < 10_000; i++) {
      x = (Math.imul(x, 1103515245) + 12345) >>> 0;
      ids.push(BigInt(x % 3000) * (i % 3 === 0 ? 2n ** 33n : 1n));
    }
    const data = oracle(ids);
    const generic = run(false, data, [data.length], {});
    const fused = run(true, data, [data.length], {});
    expect(fused).toEqual(generic);
    const curve = (pages: number[]) => {
      const m = new ExactMrc(0, Math.max(...pages) + 1);
      m.feed({
        length: pages.length,
        pages: Int32Array.from(pages),
        ops: new Uint8Array(pages.length),
        times: null,
      });
      const c = m.curve();
      return [1, 10, 100, 1000, 5000].map((s) => c.missesAt(s));
    };
    expect(curve(fused.pages)).toEqual(curve(generic.pages));
  });
});

describe('SHARDS sampling by raw id in the fused reader', () => {
  const tmp = tempDir();
  afterAll(() => tmp.cleanup());

  async function sampledRun(ids: bigint[], rate: number, options: TraceReadOptions = {}) {
    const path = tmp.write(`s${ids.length}-${rate}.oracleGeneral`, oracle(ids));
    const source = await openTrace(path, { format: 'oracleGeneral', ...options });
    const shards = new ShardsMrc({ mode: 'fixed-rate', rate, maxSamples: 8192 });
    expect(source.sampleByRawId?.(fixedRateThreshold(rate))).toBe(true);
    let pages = 0;
    for await (const chunk of source.chunks()) {
      shards.feed(chunk);
      pages += chunk.length;
    }
    return { shards, pages, stats: source.stats() };
  }

  it('maps only the references whose raw id hashes below T, and gives the curve of SHARDS over the raw ids', async () => {
    const ids: number[] = [];
    let x = 99;
    for (let i = 0; i < 50_000; i++) {
      x = (Math.imul(x, 1103515245) + 12345) >>> 0;
      ids.push((x >>> 8) % (i % 5 === 0 ? 20_000 : 800));
    }
    for (const rate of [1, 0.1, 0.01]) {
      const { shards, pages, stats } = await sampledRun(ids.map(BigInt), rate);
      const t = fixedRateThreshold(rate);
      const kept = ids.filter((id) => (hash32(id) & (SHARDS_MODULUS - 1)) < t);
      expect(pages).toBe(kept.length);
      expect(shards.sampledReferences).toBe(kept.length);
      expect(shards.sampledPages).toBe(new Set(kept).size);
      expect(stats.references).toBe(ids.length);
      expect(stats.distinctPages).toBe(new Set(kept).size);
      // The generic SHARDS over the raw ids themselves (hash64(0, lo) = hash32(lo)).
      const generic = new ShardsMrc({ mode: 'fixed-rate', rate, maxSamples: 8192 });
      generic.feed({
        length: ids.length,
        pages: Int32Array.from(ids),
        ops: new Uint8Array(ids.length),
        times: null,
      });
      const a = shards.curve();
      const b = generic.curve();
      for (const s of [1, 10, 100, 500, 1000, 5000, 20_000])
        expect(a.missesAt(s)).toBe(b.missesAt(s));
    }
  });

  it('hashes the high half of 64-bit ids and honours the limit', async () => {
    const ids = Array.from({ length: 3000 }, (_, i) => BigInt(i % 700) * 2n ** 32n + 7n);
    const { shards, stats } = await sampledRun(ids, 0.25, { limit: 2500 });
    const t = fixedRateThreshold(0.25);
    const kept = ids
      .slice(0, 2500)
      .filter((id) => (hash64(Number(id >> 32n), 7) & (SHARDS_MODULUS - 1)) < t);
    expect(kept.length).toBeGreaterThan(0);
    expect(shards.sampledReferences).toBe(kept.length);
    expect(stats.references).toBe(2500);
    expect(stats.distinctPages).toBe(new Set(kept).size);
  });
});

describe('minisim on chunks sampled by raw id in the fused reader', () => {
  const tmp = tempDir();
  afterAll(() => tmp.cleanup());

  it('gives the misses of minisim over the raw ids themselves, for every policy and rate', async () => {
    const ids: number[] = [];
    let x = 7;
    for (let i = 0; i < 40_000; i++) {
      x = (Math.imul(x, 1103515245) + 12345) >>> 0;
      ids.push((x >>> 8) % (i % 3 === 0 ? 30_000 : 1_500));
    }
    const path = tmp.write('minisim.oracleGeneral', oracle(ids.map(BigInt)));
    const sizes = [50, 400, 1_500, 6_000, 30_000];
    for (const policy of ['lru', 'fifo', 'clock', 'arc', '2q', 's3fifo'] as const)
      for (const rate of [1, 0.1, 0.02]) {
        const sampled = new MiniSimMrc(policy, sizes, { rate });
        const source = await openTrace(path, { format: 'oracleGeneral' });
        const t = sampled.readerThreshold;
        expect(t).toBe(fixedRateThreshold(rate));
        expect(source.sampleByRawId?.(t ?? -1)).toBe(true);
        let handed = 0;
        for await (const chunk of source.chunks()) {
          expect(chunk.represents).toBeGreaterThanOrEqual(chunk.length);
          sampled.feed(chunk);
          handed += chunk.length;
        }
        // The generic minisim over the raw ids (below 2^31: hash64(0, lo) = hash32(lo)) samples
        // the same pages and numbers them in the same order of first use.
        const generic = new MiniSimMrc(policy, sizes, { rate });
        generic.feed({
          length: ids.length,
          pages: Int32Array.from(ids),
          ops: new Uint8Array(ids.length),
          times: null,
        });
        const label = `${policy} at R = ${rate}`;
        expect(handed, label).toBe(generic.sampledReferences);
        expect(sampled.sampledReferences, label).toBe(generic.sampledReferences);
        expect(sampled.sampledPages, label).toBe(generic.sampledPages);
        expect(sampled.miniSizes, label).toEqual(generic.miniSizes);
        const a = sampled.curve();
        const b = generic.curve();
        expect(a.references, label).toBe(ids.length);
        for (const size of sizes)
          expect(a.missesAt(size), `${label}, ${size}`).toBe(b.missesAt(size));
      }
  });

  it('is refused by minisim in fixed-size mode or with warm-up', () => {
    const chunk = {
      length: 1,
      pages: Int32Array.of(0),
      ops: new Uint8Array(1),
      times: null,
      represents: 9,
    };
    const fixedSize = new MiniSimMrc('lru', [10], { mode: 'fixed-size', rate: 1, maxSamples: 5 });
    expect(fixedSize.readerThreshold).toBeNull();
    expect(() => fixedSize.feed(chunk)).toThrow(/fixed-rate mode without warm-up/);
    const warm = new MiniSimMrc('lru', [10], { rate: 0.5 }, 100);
    expect(warm.readerThreshold).toBeNull();
    expect(() => warm.feed(chunk)).toThrow(/fixed-rate mode without warm-up/);
  });
});

describe('SHARDS sampling in the fused read loop: times', () => {
  const tmp = tempDir();
  afterAll(() => tmp.cleanup());

  async function read(path: string, rate: number | null, options: TraceReadOptions = {}) {
    const source = await openTrace(path, { format: 'oracleGeneral', ...options });
    if (rate !== null) source.sampleByRawId?.(fixedRateThreshold(rate));
    let refs = 0;
    for await (const chunk of source.chunks()) refs += chunk.length;
    return { refs, stats: source.stats() };
  }

  const ids = Array.from({ length: 20_000 }, (_, i) => (i * 7919) % 5000);

  it('reports a time jump at the same record as the unsampled reader', async () => {
    const times = ids.map((_, i) => (i < 12_345 ? 50 + (i >> 6) : 10 ** 9));
    const path = tmp.write('jump.oracleGeneral', timed(ids, times));
    const unsampled = await read(path, null).catch((e: unknown) => e);
    const sampled = await read(path, 0.1).catch((e: unknown) => e);
    expect(unsampled).toBeInstanceOf(TraceInputError);
    expect((unsampled as Error).message).toContain('record 12346');
    expect((sampled as Error).message).toBe((unsampled as Error).message);
  });

  it('gives the unsampled duration, counts and time range, also with gaps allowed', async () => {
    const times = ids.map((_, i) => (i < 9000 ? 7 + (i >> 5) : 10 ** 8 + (i >> 5)));
    const path = tmp.write('gaps.oracleGeneral', timed(ids, times));
    const full = await read(path, null, { allowTimeGaps: true });
    const sampled = await read(path, 0.05, { allowTimeGaps: true });
    expect(sampled.refs).toBeLessThan(full.refs / 5);
    const keys = ['references', 'requests', 'reads', 'writes', 'durationSeconds'] as const;
    for (const k of keys) expect(sampled.stats[k]).toBe(full.stats[k]);
    expect(full.stats.durationSeconds).toBe(10 ** 8 + (19_999 >> 5) - 7);
  });
});

describe('the fused reader’s int32 time checks, sampled or not, against the generic parser’s', () => {
  const tmp = tempDir();
  afterAll(() => tmp.cleanup());
  let files = 0;

  const statsOf = (s: ReturnType<RefSink['stats']>) => [
    s.references,
    s.requests,
    s.firstTime,
    s.lastTime,
    s.durationSeconds,
  ];

  /** Reads the file with the fused reader, sampled or not; the error message if it stops. */
  async function fused(path: string, rate: number | null, options: TraceReadOptions) {
    try {
      const source = await openTrace(path, { format: 'oracleGeneral', ...options });
      if (rate !== null) expect(source.sampleByRawId?.(fixedRateThreshold(rate))).toBe(true);
      const times: number[] = [];
      for await (const chunk of source.chunks())
        for (let i = 0; i < chunk.length; i++) times.push(chunk.times?.[i] ?? NaN);
      return { stats: statsOf(source.stats()), times };
    } catch (e) {
      return { error: (e as Error).message };
    }
  }

  /** The generic per-record parser over the same bytes in one buffer (errors named as `name`). */
  function generic(data: Uint8Array, name: string, options: TraceReadOptions) {
    try {
      const r = run(false, data, [data.length], options);
      return { stats: statsOf(r.stats), times: r.times ?? [] };
    } catch (e) {
      return { error: (e as Error).message.replace('t.oracleGeneral', name) };
    }
  }

  // Times stepping by 0–3 s across about three 4096-record batches, from a start below 2^31 or
  // near it (crossing it on the way) or above it, with one or two steps at or just past a limit, or
  // to and from 2^31 and above, placed anywhere.
  const limits = fc.record({
    maxTimeGapSeconds: fc.constantFrom(0, 2.5, 3600, 2 ** 31, 365 * 24 * 3600),
    backwardToleranceSeconds: fc.constantFrom(0, 1, 7.5, 2 ** 31),
    allowTimeGaps: fc.oneof({ weight: 3, arbitrary: fc.constant(false) }, fc.constant(true)),
  });
  const special = ['fwd', 'fwd+1', '-back', '-back-1', 'up 2^31', 'down 2^31'] as const;
  const start = fc.oneof(
    { weight: 3, arbitrary: fc.integer({ min: 0, max: 2 ** 31 - 2 ** 20 }) },
    { weight: 2, arbitrary: fc.integer({ min: 2 ** 31 - 17_000, max: 2 ** 31 - 6200 }) },
    fc.integer({ min: 2 ** 31, max: 2 ** 32 - 2 ** 20 }),
  );
  const n = 12_000;
  const specials = fc.array(
    fc.record({ at: fc.integer({ min: 1, max: n - 1 }), kind: fc.constantFrom(...special) }),
    { minLength: 1, maxLength: 2 },
  );

  function timesOf(
    o: { maxTimeGapSeconds: number; backwardToleranceSeconds: number },
    t0: number,
    seed: number,
    jumps: { at: number; kind: (typeof special)[number] }[],
  ): number[] {
    const fwd = Math.floor(o.maxTimeGapSeconds);
    const back = Math.floor(o.backwardToleranceSeconds);
    const step = { fwd, 'fwd+1': fwd + 1, '-back': -back, '-back-1': -back - 1 };
    const times: number[] = [];
    let t = t0;
    let x = seed;
    for (let i = 0; i < n; i++) {
      x = (Math.imul(x, 1103515245) + 12345) >>> 0;
      let d = (x >>> 16) & 3;
      for (const j of jumps) {
        if (j.at !== i) continue;
        if (j.kind === 'up 2^31') d = 2 ** 31;
        else if (j.kind === 'down 2^31') d = -(2 ** 31);
        else d = step[j.kind];
      }
      t = Math.min(2 ** 32 - 1, Math.max(0, t + d));
      times.push(t);
    }
    return times;
  }

  it('accepts and refuses the same records and gives the same statistics as the unsampled reader', async () => {
    await fc.assert(
      fc.asyncProperty(limits, start, fc.integer(), specials, async (options, t0, seed, jumps) => {
        const times = timesOf(options, t0, seed, jumps);
        const ids = times.map((_, i) => (i * 7919) % 3001);
        const data = timed(ids, times);
        const name = `int32-${files++}.oracleGeneral`;
        const path = tmp.write(name, data);
        const truth = generic(data, name, options);
        const unsampled = await fused(path, null, options);
        const sampled = await fused(path, 0.1, options);
        expect(unsampled).toEqual(truth);
        if ('error' in truth) expect(sampled).toEqual(truth);
        else {
          expect(sampled).toHaveProperty('stats', truth.stats);
          expect((sampled as { times: number[] }).times.length).toBeLessThan(ids.length / 3);
        }
      }),
      { numRuns: 80 },
    );
  });
});
