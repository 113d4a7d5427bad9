import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ShardsConfig } from '../../../main/engine/config.js';
import type { MissCurve } from '../../../main/engine/mrc/curve.js';
import { meanAbsoluteError } from '../../../main/engine/mrc/error.js';
import { ExactMrc } from '../../../main/engine/mrc/exact.js';
import { SHARDS_MODULUS, ShardsMrc } from '../../../main/engine/mrc/shards.js';
import { chunksOf, traceFromPages } from '../../../main/engine/trace/chunk.js';
import { hash32 } from '../../../main/engine/util/hash.js';
import { Rng } from '../../../main/engine/util/rng.js';

const rate = (r: number): ShardsConfig => ({ mode: 'fixed-rate', rate: r, maxSamples: 0 });
const size = (m: number): ShardsConfig => ({ mode: 'fixed-size', rate: 1, maxSamples: m });

/** Zipf(alpha) over `space` pages by inverse CDF, pages renumbered in order of first use. */
function zipfPages(n: number, space: number, alpha: number, seed: number): Int32Array {
  const cdf = new Float64Array(space);
  let sum = 0;
  for (let k = 0; k < space; k++) cdf[k] = sum += 1 / Math.pow(k + 1, alpha);
  for (let k = 0; k < space; k++) cdf[k] /= sum;
  const rng = new Rng(seed);
  const ids = new Int32Array(space).fill(-1);
  let next = 0;
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const u = rng.next();
    let lo = 0;
    let hi = space - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cdf[mid] > u) hi = mid;
      else lo = mid + 1;
    }
    if (ids[lo] < 0) ids[lo] = next++;
    out[i] = ids[lo];
  }
  return out;
}

function run<T extends { feed: ExactMrc['feed'] }>(
  mrc: T,
  pages: ArrayLike<number>,
  chunk?: number,
): T {
  for (const c of chunksOf(traceFromPages(pages), chunk)) mrc.feed(c);
  return mrc;
}

const sampledBy = (t: number) => (p: number) => hash32(p) % SHARDS_MODULUS < t;

const traceArb = fc.record({
  pages: fc.array(fc.nat({ max: 60 }), { maxLength: 400, size: 'max' }),
  warmup: fc.oneof(fc.constant(0), fc.nat({ max: 450 })),
  chunk: fc.integer({ min: 1, max: 64 }),
});

function expectMonotone(curve: MissCurve, upTo: number): void {
  let prev = curve.missesAt(0);
  expect(prev).toBeCloseTo(curve.references, 6);
  for (let s = 1; s <= upTo; s++) {
    const m = curve.missesAt(s);
    expect(m).toBeLessThanOrEqual(prev);
    expect(m).toBeGreaterThanOrEqual(0);
    prev = m;
  }
}

describe('ShardsMrc at full rate', () => {
  it('equals exact exactly (fixed-rate R = 1 and fixed-size with room for every page)', () => {
    fc.assert(
      fc.property(traceArb, ({ pages, warmup, chunk }) => {
        const exact = run(new ExactMrc(warmup), pages, chunk).curve();
        for (const cfg of [rate(1), size(61)]) {
          const shards = run(new ShardsMrc(cfg, warmup), pages, chunk);
          expect(shards.currentRate).toBe(1);
          const curve = shards.curve();
          expect(curve.method).toBe('shards');
          expect(curve.references).toBe(exact.references);
          expect(curve.adjustment).toBe(0);
          for (let s = 0; s <= 62; s++)
            expect(curve.missesAt(s), `size ${s}`).toBe(exact.missesAt(s));
        }
      }),
      { numRuns: 200 },
    );
  });
});

describe('ShardsMrc on a reader-sampled stream', () => {
  it('equals exact at R = 1, also with runs of immediate re-references', () => {
    // Runs of one page (rank 0, skipped by the stack) between jumps among 40 pages.
    const runs = fc.array(
      fc.record({ page: fc.nat({ max: 39 }), times: fc.integer({ min: 1, max: 6 }) }),
      {
        minLength: 1,
        maxLength: 150,
      },
    );
    fc.assert(
      fc.property(runs, fc.integer({ min: 1, max: 64 }), (rs, chunk) => {
        const pages = rs.flatMap(({ page, times }) => Array<number>(times).fill(page));
        const exact = run(new ExactMrc(), pages, chunk).curve();
        const shards = new ShardsMrc(rate(1));
        // As a fused reader hands them over: every reference sampled, standing for itself.
        for (const c of chunksOf(traceFromPages(pages), chunk))
          shards.feed({ ...c, represents: c.length });
        const curve = shards.curve();
        expect(shards.readerSampled).toBe(true);
        expect(curve.references).toBe(pages.length);
        for (let s = 0; s <= 41; s++)
          expect(curve.missesAt(s), `size ${s}`).toBe(exact.missesAt(s));
        // And the same stream unsampled (the plain path skips the same re-references).
        const plain = run(new ShardsMrc(rate(1)), pages, chunk).curve();
        for (let s = 0; s <= 41; s++)
          expect(plain.missesAt(s), `size ${s}`).toBe(exact.missesAt(s));
      }),
      { numRuns: 200 },
    );
  });
});

describe('ShardsMrc fixed-rate', () => {
  it('samples exactly the pages with hash32(page) mod 2^24 < round(R·2^24)', () => {
    const pages = Array.from({ length: 100_000 }, (_, i) => i);
    const shards = run(new ShardsMrc(rate(0.3)), pages);
    const t = Math.round(0.3 * SHARDS_MODULUS);
    expect(shards.sampledReferences).toBe(pages.filter(sampledBy(t)).length);
    expect(shards.currentRate).toBe(t / SHARDS_MODULUS);
  });

  it('scales sampled ranks and counts by 1/R with the adj correction (R = 1/2)', () => {
    fc.assert(
      fc.property(traceArb, ({ pages, warmup, chunk }) => {
        const curve = run(new ShardsMrc(rate(0.5), warmup), pages, chunk).curve();
        // Model: an LRU stack over the sampled pages only; rank r stands for rank 2r.
        const inSample = sampledBy(SHARDS_MODULUS / 2);
        const stack: number[] = [];
        const ranks: number[] = [];
        pages.forEach((p, i) => {
          if (!inSample(p)) return;
          const at = stack.indexOf(p);
          if (at >= 0) stack.splice(at, 1);
          stack.unshift(p);
          if (i >= warmup) ranks.push(at);
        });
        const n = Math.max(0, pages.length - warmup);
        expect(curve.references).toBe(n);
        expect(curve.missesAt(0)).toBe(n);
        // adj: expected sampled references (N·R) minus actual, each standing for 1/R.
        expect(curve.adjustment).toBeCloseTo((n / 2 - ranks.length) * 2, 9);
        for (let s = 1; s <= 130; s++) {
          const misses = 2 * ranks.filter((r) => r < 0 || 2 * r >= s).length;
          expect(curve.missesAt(s), `size ${s}`).toBeCloseTo(Math.min(n, misses), 9);
        }
      }),
      { numRuns: 200 },
    );
  });

  it('gives the same curve whatever the chunking and warm-up split', () => {
    const pages = zipfPages(50_000, 5_000, 0.8, 7);
    const a = run(new ShardsMrc(rate(0.1), 1234), pages).curve();
    const b = run(new ShardsMrc(rate(0.1), 1234), pages, 777).curve();
    for (let s = 0; s <= 5_000; s += 7) expect(b.missesAt(s)).toBe(a.missesAt(s));
    expectMonotone(a, 6_000);
  });

  it('rejects rates outside (0, 1]', () => {
    for (const r of [0, -0.1, 1.5, Number.NaN])
      expect(() => new ShardsMrc(rate(r))).toThrow(/rate/);
    for (const m of [0, 2.5]) expect(() => new ShardsMrc(size(m))).toThrow(/maxSamples/);
  });
});

describe('ShardsMrc fixed-size', () => {
  it('keeps at most maxSamples pages: exactly those seen with hash below the threshold', () => {
    fc.assert(
      fc.property(traceArb, fc.integer({ min: 1, max: 20 }), ({ pages, warmup, chunk }, max) => {
        const shards = new ShardsMrc(size(max), warmup);
        const seen = new Set<number>();
        for (const c of chunksOf(traceFromPages(pages), chunk)) {
          shards.feed(c);
          for (let i = 0; i < c.length; i++) seen.add(c.pages[i]);
          expect(shards.sampledPages).toBeLessThanOrEqual(max);
          const t = shards.currentRate * SHARDS_MODULUS;
          expect(shards.sampledPages).toBe([...seen].filter(sampledBy(t)).length);
        }
        const curve = shards.curve();
        expect(curve.references).toBe(Math.max(0, pages.length - warmup));
        expectMonotone(curve, 70);
      }),
      { numRuns: 200 },
    );
  });
});

/**
 * SHARDS_max with plain arrays: the sample set is an LRU stack (most recent first); when it
 * overflows, T falls to the largest hash in it and every page with that hash leaves. A counted
 * reference to a page still sampled records weight 1/R and estimated rank rank/R.
 */
function modelFixedSize(pages: readonly number[], max: number, warmup: number) {
  const P = SHARDS_MODULUS;
  const hashOf = (p: number) => hash32(p) % P;
  let t = P;
  let stack: number[] = [];
  const records: { rank: number; weight: number }[] = []; // rank -1: cold
  pages.forEach((p, i) => {
    const h = hashOf(p);
    if (h >= t) return;
    const at = stack.indexOf(p);
    if (at >= 0) stack.splice(at, 1);
    stack.unshift(p);
    if (stack.length > max) {
      t = Math.max(...stack.map(hashOf));
      stack = stack.filter((q) => hashOf(q) < t);
      if (h >= t) return;
    }
    if (i >= warmup) records.push({ rank: at < 0 ? -1 : (at * P) / t, weight: P / t });
  });
  return { rate: t / P, records, pagesLeft: stack.length };
}

describe('ShardsMrc fixed-size against an array model', () => {
  it('records the same weighted ranks and cold misses', () => {
    fc.assert(
      fc.property(traceArb, fc.integer({ min: 1, max: 20 }), ({ pages, warmup, chunk }, max) => {
        const shards = run(new ShardsMrc(size(max), warmup), pages, chunk);
        const model = modelFixedSize(pages, max, warmup);
        expect(shards.currentRate).toBe(model.rate);
        expect(shards.sampledPages).toBe(model.pagesLeft);
        expect(shards.sampledReferences).toBe(model.records.length);
        const curve = shards.curve();
        const n = Math.max(0, pages.length - warmup);
        const total = model.records.reduce((a, r) => a + r.weight, 0);
        expect(curve.adjustment).toBeCloseTo(n - total, 6);
        expect(curve.missesAt(0)).toBe(n);
        for (let s = 1; s <= 1300; s += s < 70 ? 1 : 37) {
          const misses = model.records
            .filter((r) => r.rank < 0 || r.rank >= s)
            .reduce((a, r) => a + r.weight, 0);
          expect(curve.missesAt(s), `size ${s}`).toBeCloseTo(Math.min(n, misses), 6);
        }
      }),
      { numRuns: 200 },
    );
  });
});

describe('ShardsMrc accuracy on Zipf(1.0), 1M references over 100k pages', () => {
  const pages = zipfPages(1_000_000, 100_000, 1.0, 1);
  const exact = run(new ExactMrc(0, 100_000), pages).curve();

  it('fixed-rate R = 0.01 has MAE < 0.01', () => {
    const shards = run(new ShardsMrc(rate(0.01)), pages);
    const curve = shards.curve();
    const { mae, sizesCompared } = meanAbsoluteError(curve, exact);
    console.log(`SHARDS R=0.01: MAE ${mae.toFixed(5)} over ${sizesCompared} sizes`);
    expect(sizesCompared).toBe(exact.footprint);
    expect(shards.sampledReferences).toBeGreaterThan(0);
    expect(mae).toBeLessThan(0.01);
    expectMonotone(curve, exact.footprint + 10);
  });

  it('fixed-size maxSamples = 8192 has MAE < 0.01', () => {
    const shards = run(new ShardsMrc(size(8192)), pages);
    expect(shards.sampledPages).toBeLessThanOrEqual(8192);
    expect(shards.currentRate).toBeLessThan(0.2);
    const curve = shards.curve();
    const { mae } = meanAbsoluteError(curve, exact);
    console.log(
      `SHARDS max=8192 (final R=${shards.currentRate.toFixed(4)}): MAE ${mae.toFixed(5)}`,
    );
    expect(mae).toBeLessThan(0.01);
    expectMonotone(curve, exact.footprint + 10);
  });
});
