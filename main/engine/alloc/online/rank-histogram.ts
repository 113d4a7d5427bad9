/**
 * Misses per memory size from a histogram of LRU ranks (rank = stack distance − 1) collected over
 * one epoch: a reference of rank r misses in every memory of at most r pages; `beyond` counts
 * references of rank ≥ the histogram's length (cold ones included), which miss at every size it
 * covers.
 */
export class RankHistogram {
  readonly counts: Float64Array;
  beyond = 0;

  constructor(readonly length: number) {
    this.counts = new Float64Array(length);
  }

  /** One reference of rank `rank` (-1: never referenced before). */
  add(rank: number): void {
    if (rank >= 0 && rank < this.length) this.counts[rank]++;
    else this.beyond++;
  }

  reset(): void {
    this.counts.fill(0);
    this.beyond = 0;
  }

  /**
   * misses[s] for s = 0..length (misses with s pages = references of rank ≥ s), NaN below
   * `knownFrom` (sizes whose misses the recorder could not see).
   */
  missesBySize(knownFrom = 0): Float64Array {
    const n = this.length;
    const out = new Float64Array(n + 1);
    let acc = this.beyond;
    out[n] = acc;
    for (let s = n - 1; s >= 0; s--) {
      acc += this.counts[s];
      out[s] = acc;
    }
    for (let s = 0; s < Math.min(knownFrom, n + 1); s++) out[s] = Number.NaN;
    return out;
  }
}
