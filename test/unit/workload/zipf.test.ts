import { describe, expect, it } from 'vitest';
import { Rng } from '../../../main/engine/util/rng.js';
import {
  ZipfSampler,
  randomPermutation,
  zipfProbabilities,
} from '../../../main/engine/workload/zipf.js';
import { generateTrace } from '../../../main/engine/workload/generate.js';
import { binomialTolerance, chiSquare, chiSquareCritical, sameArray } from './stats.js';

/** χ² of ranks 1..k (each its own bucket) and one bucket for ranks > k. */
function zipfChiSquare(n: number, alpha: number, k: number, samples: number, seed: number) {
  const sampler = new ZipfSampler(n, alpha, new Rng(seed));
  const counts = new Float64Array(k + 1);
  let lo = n;
  let hi = 1;
  for (let i = 0; i < samples; i++) {
    const r = sampler.sample();
    if (r < lo) lo = r;
    if (r > hi) hi = r;
    counts[Math.min(r, k + 1) - 1]++;
  }
  expect(lo).toBeGreaterThanOrEqual(1);
  expect(hi).toBeLessThanOrEqual(n);
  expect(Number.isInteger(lo) && Number.isInteger(hi)).toBe(true);
  const p = zipfProbabilities(n, alpha, k);
  const probs = new Float64Array(k + 1);
  probs.set(p);
  probs[k] = 1 - p.reduce((a, b) => a + b, 0);
  return { stat: chiSquare(counts, probs, samples), df: probs[k] > 0 ? k : k - 1, counts, p };
}

describe('ZipfSampler (rejection-inversion)', () => {
  it.each([
    [1.0, 1000, 50],
    [0.5, 1000, 50],
    [0.99, 100000, 100],
    [1.5, 1000, 50],
    [3.0, 1000, 10],
  ])('alpha %f over %i ranks: ranks 1..k follow the pmf (χ², 1e6 samples)', (alpha, n, k) => {
    const { stat, df } = zipfChiSquare(n, alpha, k, 1_000_000, 7);
    expect(stat).toBeLessThan(chiSquareCritical(df));
  });

  it('alpha 1.0: the most popular ranks are within binomial error of the pmf', () => {
    const samples = 1_000_000;
    const { counts, p } = zipfChiSquare(1_000_000, 1.0, 10, samples, 11);
    for (let r = 0; r < 10; r++)
      expect(Math.abs(counts[r] - samples * p[r])).toBeLessThan(binomialTolerance(samples, p[r]));
  });

  it('would notice a wrong exponent', () => {
    // Samples of alpha 1.0 tested against the pmf of alpha 1.05 fail clearly.
    const sampler = new ZipfSampler(1000, 1.0, new Rng(3));
    const k = 20;
    const counts = new Float64Array(k + 1);
    for (let i = 0; i < 1_000_000; i++) counts[Math.min(sampler.sample(), k + 1) - 1]++;
    const p = zipfProbabilities(1000, 1.05, k);
    const probs = new Float64Array(k + 1);
    probs.set(p);
    probs[k] = 1 - p.reduce((a, b) => a + b, 0);
    expect(chiSquare(counts, probs, 1_000_000)).toBeGreaterThan(10 * chiSquareCritical(k));
  });

  it('covers every rank of a small domain, and n = 1 always gives 1', () => {
    const s = new ZipfSampler(5, 1.0, new Rng(1));
    const seen = new Set<number>();
    for (let i = 0; i < 10_000; i++) seen.add(s.sample());
    expect([...seen].sort()).toEqual([1, 2, 3, 4, 5]);
    const one = new ZipfSampler(1, 2, new Rng(1));
    for (let i = 0; i < 100; i++) expect(one.sample()).toBe(1);
  });

  it('rejects bad parameters', () => {
    expect(() => new ZipfSampler(0, 1, new Rng(1))).toThrow(RangeError);
    expect(() => new ZipfSampler(10, 0, new Rng(1))).toThrow(RangeError);
  });

  it('zipf pages: rank r is page r-1, or perm[r-1] with scatter', () => {
    const plain = generateTrace({ kind: 'zipf', pages: 100, refs: 200_000, seed: 5 });
    const counts = new Float64Array(100);
    for (const pg of plain.pages) counts[pg]++;
    expect(counts[0]).toBeGreaterThan(counts[1]);
    expect(counts[1]).toBeGreaterThan(counts[9]);

    const scattered = generateTrace({
      kind: 'zipf',
      pages: 100,
      refs: 200_000,
      seed: 5,
      scatter: true,
    });
    const sc = new Float64Array(100);
    for (const pg of scattered.pages) sc[pg]++;
    // Same multiset of frequencies, different places.
    expect([...sc].sort((a, b) => a - b)).toEqual([...counts].sort((a, b) => a - b));
    expect(sameArray(sc, counts)).toBe(false);
  });

  it('randomPermutation is a permutation', () => {
    const p = randomPermutation(1000, new Rng(9));
    expect([...p].sort((a, b) => a - b)).toEqual([...Array(1000).keys()]);
  });
});
