import { missRatioAt, type MissCurve } from './curve.js';

/**
 * Error of an MRC method against the exact curve, in miss ratio (each curve's misses over its
 * own reference count), as DESIGN.md §2 asks: mean absolute error over the sizes where both
 * curves are defined, and the error at chosen allocation points.
 */

export interface MaeResult {
  /** Mean absolute miss-ratio error, NaN when no size could be compared (never 0 then). */
  mae: number;
  /** Sizes where both curves were defined (NaN sizes skipped): the number of points. */
  sizesCompared: number;
  /** Smallest and largest size compared; NaN when none was. */
  firstSize: number;
  lastSize: number;
}

export interface SizeError {
  size: number;
  /** Miss ratio of the curve under test (NaN where it cannot tell). */
  ratio: number;
  exactRatio: number;
  /** |ratio - exactRatio|, NaN where either is unknown. */
  error: number;
}

/**
 * The size past which a (monotone) curve is flat: the smallest size with the misses of an
 * unbounded memory. Uses the curve's own `footprint` when it has one.
 */
export function curveFootprint(curve: MissCurve): number {
  const own = (curve as { footprint?: unknown }).footprint;
  if (typeof own === 'number' && Number.isFinite(own)) return Math.ceil(own);
  // Every reference hits with as many pages as references (distinct pages <= references).
  let hi = Math.max(Math.ceil(curve.minSize), Math.min(curve.references, curve.maxSize));
  const floor = curve.missesAt(hi);
  if (Number.isNaN(floor)) return hi;
  let lo = Math.ceil(curve.minSize);
  while (lo < hi) {
    const mid = lo + Math.floor((hi - lo) / 2);
    if (curve.missesAt(mid) <= floor) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/**
 * Mean absolute error of miss ratio against `exact`. Default sizes: every integer from
 * max(1, minSize of both) to min(maxSize of both, the exact curve's footprint).
 */
export function meanAbsoluteError(
  curve: MissCurve,
  exact: MissCurve,
  sizes?: readonly number[],
): MaeResult {
  let sum = 0;
  let compared = 0;
  let firstSize = Number.NaN;
  let lastSize = Number.NaN;
  const visit = (s: number): void => {
    const e = Math.abs(missRatioAt(curve, s) - missRatioAt(exact, s));
    if (Number.isNaN(e)) return;
    sum += e;
    compared++;
    if (!(s >= firstSize)) firstSize = s;
    if (!(s <= lastSize)) lastSize = s;
  };
  if (sizes !== undefined) {
    for (const s of sizes) visit(s);
  } else {
    const lo = Math.ceil(Math.max(1, curve.minSize, exact.minSize));
    const hi = Math.floor(Math.min(curve.maxSize, exact.maxSize, curveFootprint(exact)));
    for (let s = lo; s <= hi; s++) visit(s);
  }
  return {
    mae: compared > 0 ? sum / compared : Number.NaN,
    sizesCompared: compared,
    firstSize,
    lastSize,
  };
}

/** Absolute miss-ratio error at each of `sizes` (e.g. the allocation points V, V+C, V+C+G). */
export function errorAt(curve: MissCurve, exact: MissCurve, sizes: readonly number[]): SizeError[] {
  return sizes.map((size) => {
    const ratio = missRatioAt(curve, size);
    const exactRatio = missRatioAt(exact, size);
    return { size, ratio, exactRatio, error: Math.abs(ratio - exactRatio) };
  });
}
