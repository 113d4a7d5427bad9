import { HistogramCurve, type MissCurve } from './curve.js';

/**
 * The curve SHARDS reports: a scaled histogram of sampled ranks whose rank-0 bucket carries the
 * "adj" correction (expected minus actual sampled references), so the total is exactly the
 * reference count. A negative correction could push the misses at small sizes above the
 * total; they are clamped to it, so misses stay monotone non-increasing in size.
 */
export class ShardsCurve implements MissCurve {
  readonly method = 'shards' as const;
  readonly minSize = 0;
  readonly maxSize = Number.POSITIVE_INFINITY;
  /** References the adj correction added (negative when more were sampled than expected). */
  readonly adjustment: number;
  private readonly inner: HistogramCurve;

  /**
   * @param hist counts by rank bucket (bucket b stands for rank b·rankScale); copied.
   * @param cold references that miss at every size (first references to sampled pages).
   * @param adj correction added to bucket 0, in the same units as `hist`.
   */
  constructor(
    hist: Float64Array,
    histLen: number,
    cold: number,
    adj: number,
    readonly references: number,
    rankScale: number,
    countScale: number,
  ) {
    const len = Math.max(1, histLen);
    const h = new Float64Array(len);
    h.set(hist.subarray(0, Math.min(histLen, hist.length)));
    h[0] += adj;
    this.adjustment = adj * countScale;
    this.inner = new HistogramCurve(
      'shards',
      h,
      len,
      cold,
      references,
      0,
      Infinity,
      rankScale,
      countScale,
    );
  }

  missesAt(size: number): number {
    const m = this.inner.missesAt(size);
    // With no memory everything misses: the adj-corrected total is N by construction, so
    // return it exactly rather than with the rounding of the weighted sums.
    if (size <= 0 && !Number.isNaN(m)) return this.references;
    return m > this.references ? this.references : m;
  }

  /** Estimated largest rank + 1: past it the curve is flat. */
  get footprint(): number {
    return this.inner.footprint;
  }
}

/** Largest number of buckets a {@link RankHistogram} keeps before it widens them. */
const MAX_BUCKETS = 1 << 20;

/**
 * A histogram over estimated full-stream ranks (non-integer, possibly huge) with buckets of
 * width 2^k: bucket b holds ranks in [b·width, (b+1)·width). Width 1 (exact for integer sizes)
 * until a rank needs more than {@link MAX_BUCKETS} buckets; then the width doubles and pairs of
 * buckets merge, so memory stays bounded whatever the footprint.
 */
export class RankHistogram {
  counts: Float64Array = new Float64Array(1024);
  length = 0;
  width = 1;

  constructor(private readonly maxBuckets = MAX_BUCKETS) {}

  add(rank: number, weight: number): void {
    let b = Math.floor(rank / this.width);
    while (b >= this.maxBuckets) {
      this.widen();
      b = Math.floor(rank / this.width);
    }
    if (b >= this.counts.length) {
      let len = this.counts.length * 2;
      while (len <= b) len *= 2;
      const c = new Float64Array(Math.min(len, this.maxBuckets));
      c.set(this.counts);
      this.counts = c;
    }
    this.counts[b] += weight;
    if (b >= this.length) this.length = b + 1;
  }

  private widen(): void {
    const c = this.counts;
    const half = Math.ceil(this.length / 2);
    for (let i = 0; i < half; i++) c[i] = c[2 * i] + (2 * i + 1 < this.length ? c[2 * i + 1] : 0);
    c.fill(0, half, this.length);
    this.length = half;
    this.width *= 2;
  }
}
