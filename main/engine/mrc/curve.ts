/**
 * Miss ratio curves. Every method produces a {@link MissCurve}: misses as a function of memory
 * size in pages, over the sizes where the method knows the answer (NaN elsewhere: unknown is
 * shown as unknown, never invented).
 */

export type MrcMethod = 'exact' | 'hypervisor' | 'esx' | 'shards' | 'policy' | 'minisim';
export const MRC_METHODS: readonly MrcMethod[] = [
  'exact',
  'hypervisor',
  'esx',
  'shards',
  'policy',
  'minisim',
];

export interface MissCurve {
  readonly method: MrcMethod;
  /** References counted (after warm-up); the denominator of the miss ratio. */
  readonly references: number;
  /** Smallest size (pages) where the curve is defined. */
  readonly minSize: number;
  /** Largest size where the curve is defined (Infinity when it is defined for all larger sizes). */
  readonly maxSize: number;
  /** Misses with `size` pages of memory, or NaN where this method cannot tell. */
  missesAt(size: number): number;
}

export function missRatioAt(curve: MissCurve, size: number): number {
  const m = curve.missesAt(size);
  return curve.references > 0 ? m / curve.references : Number.NaN;
}

/**
 * A curve built from a histogram of ranks (LRU stack distance - 1): a reference of rank r hits
 * in every memory of more than r pages. `beyond` counts references that miss at every size in
 * the domain (cold misses and ranks past the domain).
 *
 * `rankScale` and `countScale` let a sampled histogram (SHARDS) stand for the full stream:
 * sampled rank r stands for rank r·rankScale and each count for countScale references.
 */
export class HistogramCurve implements MissCurve {
  /** suffix[r] = sum of hist[r..] (unscaled). */
  private readonly suffix: Float64Array;

  constructor(
    readonly method: MrcMethod,
    hist: ArrayLike<number>,
    histLength: number,
    private readonly beyond: number,
    readonly references: number,
    readonly minSize = 0,
    readonly maxSize = Number.POSITIVE_INFINITY,
    private readonly rankScale = 1,
    private readonly countScale = 1,
  ) {
    const suffix = new Float64Array(histLength + 1);
    for (let r = histLength - 1; r >= 0; r--) suffix[r] = suffix[r + 1] + hist[r];
    this.suffix = suffix;
  }

  missesAt(size: number): number {
    if (!(size >= this.minSize && size <= this.maxSize)) return Number.NaN;
    // Hits with `size` pages: ranks r·rankScale < size.
    const first = Math.ceil(size / this.rankScale);
    const idx = Math.min(Math.max(first, 0), this.suffix.length - 1);
    return (this.beyond + this.suffix[idx]) * this.countScale;
  }

  /** Largest rank with a count, + 1 (scaled): past it the curve is flat. */
  get footprint(): number {
    return (this.suffix.length - 1) * this.rankScale;
  }
}

/** A curve sampled at a list of sizes: the serialisable form used in results and output. */
export interface SampledCurve {
  method: MrcMethod;
  references: number;
  sizes: number[];
  /** null where the method cannot tell. */
  misses: (number | null)[];
}

export function sampleCurve(curve: MissCurve, sizes: readonly number[]): SampledCurve {
  return {
    method: curve.method,
    references: curve.references,
    sizes: [...sizes],
    misses: sizes.map((s) => {
      const m = curve.missesAt(s);
      return Number.isNaN(m) ? null : m;
    }),
  };
}
