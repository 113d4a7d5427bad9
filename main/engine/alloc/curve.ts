/**
 * Curves for allocation: a function size (pages) → misses, NaN where unknown. Unknown sizes are
 * never allocation choices.
 */
import type { MissCurve } from '../mrc/curve.js';

export type SizeCurve = (pages: number) => number;

/** A {@link MissCurve} as a size → misses function (NaN outside its domain). */
export function fromMissCurve(curve: MissCurve): SizeCurve {
  return (pages) => curve.missesAt(pages);
}

/**
 * A curve known at sampled sizes (null/NaN: unknown), linearly interpolated between two
 * consecutive sampled sizes whose misses are both known; NaN between a known and an unknown
 * sample, below the first sample and — unless `flatBeyond` — above the last one. `flatBeyond`
 * extends the last known value to every larger size: right for an exact LRU curve sampled up to
 * the footprint (flat past it), and an upper bound on misses otherwise (curves never rise).
 */
export function fromSamples(
  sizes: readonly number[],
  misses: readonly (number | null)[],
  flatBeyond = false,
): SizeCurve {
  const pts: [number, number][] = [];
  for (let i = 0; i < sizes.length; i++) {
    const m = misses[i];
    pts.push([sizes[i], m === null || m === undefined || !Number.isFinite(m) ? Number.NaN : m]);
  }
  pts.sort((a, b) => a[0] - b[0]);
  const xs = pts.map((p) => p[0]);
  const ys = pts.map((p) => p[1]);
  const n = xs.length;
  return (pages) => {
    if (n === 0 || !(pages >= xs[0])) return Number.NaN;
    if (pages >= xs[n - 1]) {
      if (pages === xs[n - 1] || flatBeyond) return ys[n - 1];
      return Number.NaN;
    }
    // Binary search: xs[lo] ≤ pages < xs[lo + 1].
    let lo = 0;
    let hi = n - 1;
    while (hi - lo > 1) {
      const mid = (lo + hi) >> 1;
      if (xs[mid] <= pages) lo = mid;
      else hi = mid;
    }
    if (xs[lo] === pages) return ys[lo];
    const y0 = ys[lo];
    const y1 = ys[hi];
    if (Number.isNaN(y0) || Number.isNaN(y1)) return Number.NaN;
    return y0 + ((y1 - y0) * (pages - xs[lo])) / (xs[hi] - xs[lo]);
  };
}
