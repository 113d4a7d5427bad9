import type { EsxPeriod } from './esx.js';

/**
 * ESX yields a working-set estimate per period, not a curve, so it is scored against the truth
 * it estimates (DESIGN.md §2), period by period, over the periods outside the warm-up:
 *
 * - `workingSet`: the distinct pages touched in the period;
 * - `epsilonMemory`: the memory the exact LRU curve of the period says keeps its misses within ε
 *   of the misses at the allocation A (allocating the estimate instead is the allocation error).
 *
 * Relative errors |estimate − truth| / truth are taken over the periods whose truth is > 0;
 * page errors over every scored period. Nothing compared gives nulls, never a number.
 */
export interface EsxErrorSummary {
  /** Periods compared in pages (every scored period). */
  periods: number;
  /** Periods with truth > 0, over which the relative errors are taken. */
  relativePeriods: number;
  meanRelativeError: number | null;
  maxRelativeError: number | null;
  /** Allocation error: |estimate − truth| in pages. */
  meanAbsPages: number | null;
  maxAbsPages: number | null;
  /** Mean of estimate − truth (pages): > 0 over-estimates, < 0 under-estimates. */
  meanSignedPages: number | null;
  /** Periods where the estimate is below the truth. */
  periodsUnder: number;
}

export interface EsxScore {
  /** ε of `epsilonMemory` (relative tolerance on the misses at A). */
  epsilon: number;
  /** Periods scored: every period outside the warm-up. */
  periods: number;
  workingSet: EsxErrorSummary;
  epsilonMemory: EsxErrorSummary;
}

export function summarizeErrors(
  estimates: readonly number[],
  truths: readonly number[],
): EsxErrorSummary {
  let rel = 0;
  let relMax = 0;
  let relN = 0;
  let abs = 0;
  let absMax = 0;
  let signed = 0;
  let under = 0;
  const n = estimates.length;
  for (let i = 0; i < n; i++) {
    const d = estimates[i] - truths[i];
    signed += d;
    abs += Math.abs(d);
    absMax = Math.max(absMax, Math.abs(d));
    if (d < 0) under++;
    if (truths[i] > 0) {
      const r = Math.abs(d) / truths[i];
      rel += r;
      relMax = Math.max(relMax, r);
      relN++;
    }
  }
  return {
    periods: n,
    relativePeriods: relN,
    meanRelativeError: relN > 0 ? rel / relN : null,
    maxRelativeError: relN > 0 ? relMax : null,
    meanAbsPages: n > 0 ? abs / n : null,
    maxAbsPages: n > 0 ? absMax : null,
    meanSignedPages: n > 0 ? signed / n : null,
    periodsUnder: under,
  };
}

export function scoreEsx(periods: readonly EsxPeriod[], epsilon: number): EsxScore {
  const scored = periods.filter((p) => !p.warmup);
  const estimates = scored.map((p) => p.estimate);
  return {
    epsilon,
    periods: scored.length,
    workingSet: summarizeErrors(
      estimates,
      scored.map((p) => p.trueWorkingSet),
    ),
    epsilonMemory: summarizeErrors(
      estimates,
      scored.map((p) => p.epsilonPages),
    ),
  };
}
