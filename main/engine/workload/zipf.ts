/**
 * Zipf-distributed pages: rank k in 1..n has probability k^-alpha / H(n, alpha). Sampling is O(1)
 * per reference by rejection-inversion (W. Hörmann and G. Derflinger, "Rejection-inversion to
 * generate variates from monotone discrete distributions", ACM TOMACS 6(3), 1996), in the form
 * used by Apache Commons RNG's RejectionInversionZipfSampler, whose hat-function integral
 * H(x) = ((x)^(1-alpha) - 1) / (1 - alpha) has a limit at alpha = 1, so every alpha > 0 works.
 */
import type { Rng } from '../util/rng.js';
import type { PageSource } from './source.js';

const TAYLOR_THRESHOLD = 1e-8;

/** log1p(x) / x, with its Taylor series near 0. */
function helper1(x: number): number {
  return Math.abs(x) > TAYLOR_THRESHOLD
    ? Math.log1p(x) / x
    : 1 - x * (0.5 - x * (1 / 3 - 0.25 * x));
}

/** expm1(x) / x, with its Taylor series near 0. */
function helper2(x: number): number {
  return Math.abs(x) > TAYLOR_THRESHOLD
    ? Math.expm1(x) / x
    : 1 + x * 0.5 * (1 + (x / 3) * (1 + 0.25 * x));
}

/** Samples ranks 1..n with P(k) ∝ k^-alpha. */
export class ZipfSampler {
  private readonly hIntegralX1: number;
  private readonly hIntegralN: number;
  private readonly s: number;

  constructor(
    readonly n: number,
    readonly alpha: number,
    private readonly rng: Rng,
  ) {
    if (!(n >= 1 && Number.isInteger(n))) throw new RangeError(`zipf: n must be ≥ 1, got ${n}`);
    if (!(alpha > 0)) throw new RangeError(`zipf: alpha must be > 0, got ${alpha}`);
    this.hIntegralX1 = this.hIntegral(1.5) - 1;
    this.hIntegralN = this.hIntegral(n + 0.5);
    this.s = 2 - this.hIntegralInverse(this.hIntegral(2.5) - this.h(2));
  }

  /** A rank in 1..n. */
  sample(): number {
    const n = this.n;
    const top = this.hIntegralN;
    const span = this.hIntegralX1 - top;
    for (;;) {
      // u is uniform in (hIntegralX1, hIntegralN].
      const u = top + this.rng.next() * span;
      const x = this.hIntegralInverse(u);
      let k = Math.floor(x + 0.5);
      if (k < 1) k = 1;
      else if (k > n) k = n;
      if (k - x <= this.s || u >= this.hIntegral(k + 0.5) - this.h(k)) return k;
    }
  }

  /** h(x) = x^-alpha. */
  private h(x: number): number {
    return Math.exp(-this.alpha * Math.log(x));
  }

  /** H(x) = (x^(1-alpha) - 1) / (1 - alpha), or log(x) when alpha = 1. */
  private hIntegral(x: number): number {
    const logX = Math.log(x);
    return helper2((1 - this.alpha) * logX) * logX;
  }

  private hIntegralInverse(x: number): number {
    let t = x * (1 - this.alpha);
    if (t < -1) t = -1; // Limit rounding errors.
    return Math.exp(helper1(t) * x);
  }
}

/** P(rank = k) for k = 1..kMax, over n ranks: k^-alpha / Σ_{j=1..n} j^-alpha. */
export function zipfProbabilities(n: number, alpha: number, kMax: number): Float64Array {
  let norm = 0;
  for (let j = n; j >= 1; j--) norm += Math.pow(j, -alpha); // small terms first
  const p = new Float64Array(kMax);
  for (let k = 1; k <= kMax; k++) p[k - 1] = Math.pow(k, -alpha) / norm;
  return p;
}

/** Seeded random permutation of 0..n-1 (Fisher–Yates). */
export function randomPermutation(n: number, rng: Rng): Int32Array {
  const p = new Int32Array(n);
  for (let i = 0; i < n; i++) p[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    const t = p[i];
    p[i] = p[j];
    p[j] = t;
  }
  return p;
}

/**
 * Zipf pages: rank k is page k-1 (page 0 most popular), or page perm[k-1] when a permutation
 * (`scatter`) is given.
 */
export class ZipfSource implements PageSource {
  readonly inRequest = false;

  constructor(
    private readonly sampler: ZipfSampler,
    private readonly perm: Int32Array | null = null,
  ) {}

  next(out: Int32Array, at: number): number {
    this.fill(out, at, at + 1);
    return 1;
  }

  fill(out: Int32Array, from: number, to: number): void {
    const sampler = this.sampler;
    const perm = this.perm;
    if (perm === null) for (let i = from; i < to; i++) out[i] = sampler.sample() - 1;
    else for (let i = from; i < to; i++) out[i] = perm[sampler.sample() - 1];
  }
}
