/** Small statistics helpers for the generator tests (fixed seeds, so the tests are not flaky). */

/** Upper critical value of χ² with `df` degrees of freedom at p ≈ 1e-4 (Wilson–Hilferty). */
export function chiSquareCritical(df: number, z = 3.719): number {
  const a = 2 / (9 * df);
  return df * Math.pow(1 - a + z * Math.sqrt(a), 3);
}

/** Pearson's χ² of observed counts against expected probabilities (which sum to ≤ 1; the
 * remainder is the last bucket's). */
export function chiSquare(
  observed: ArrayLike<number>,
  probs: ArrayLike<number>,
  n: number,
): number {
  let stat = 0;
  for (let i = 0; i < observed.length; i++) {
    const e = probs[i] * n;
    stat += ((observed[i] - e) * (observed[i] - e)) / e;
  }
  return stat;
}

/** |count - n·p| allowed: `z` binomial standard deviations. */
export function binomialTolerance(n: number, p: number, z = 5): number {
  return z * Math.sqrt(n * p * (1 - p));
}

export function countOps(ops: Uint8Array): { reads: number; writes: number; fsyncs: number } {
  let reads = 0;
  let writes = 0;
  let fsyncs = 0;
  for (const op of ops) {
    if (op === 0) reads++;
    else writes++;
    if ((op & 2) !== 0) fsyncs++; // fsync'd, full-page or not
  }
  return { reads, writes, fsyncs };
}

type NumArray = Int32Array | Uint8Array | Float64Array;

/** Element-wise equality of typed arrays (much faster than a deep toEqual on large arrays). */
export function sameArray(a: NumArray | null, b: NumArray | null): boolean {
  if (a === null || b === null) return a === b;
  if (a.length !== b.length || a.constructor !== b.constructor) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
