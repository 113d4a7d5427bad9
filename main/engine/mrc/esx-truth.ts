import { growInt32 } from '../util/grow.js';
import { RecencyIndex } from '../util/recency-index.js';

/** What ESX's estimate of one period is scored against (DESIGN.md §2, `esx`). */
export interface EsxPeriodTruth {
  /** References in the period. */
  references: number;
  /** The true working set: distinct pages touched in the period. */
  workingSet: number;
  /** Misses of an A-page LRU memory in the period (exact: Mattson stack over the whole stream). */
  missesAtAllocation: number;
  /**
   * The memory the exact LRU curve of the period says is needed to stay within ε of the misses at
   * the allocation A: the smallest m in 0..A with misses(m) ≤ (1 + ε)·misses(A).
   */
  epsilonPages: number;
}

/**
 * Ground truth for ESX, period by period, from the full reference stream (ESX itself only sees
 * its n sampled frames). One LRU stack (an order-statistics tree, as the exact MRC) runs over
 * the whole stream, so each period's curve is that of a memory warmed by everything before it:
 * a reference of stack rank r (r more recently used distinct pages) hits in every memory of more
 * than r pages. Per period only ranks below A are kept (A pages always suffice for "within ε of
 * the misses at A"), and only the ranks that occurred are visited when the period closes.
 */
export class EsxTruthRecorder {
  private readonly stack: RecencyIndex;
  /** lastPeriod[page] = 1 + the period in which the page was last touched (0: never). */
  private lastPeriod: Int32Array;
  private period = 1;
  private refs = 0;
  private distinct = 0;
  /** Period references of rank ≥ A or first touches: misses at A. */
  private beyond = 0;
  /** hist[r] = period references of rank r < A; `used` lists the ranks with a count. */
  private readonly hist: Float64Array;
  private used: Int32Array;
  private usedLen = 0;

  constructor(
    readonly allocation: number,
    /** ε ≥ 0: relative tolerance on the misses at A. */
    readonly epsilon: number,
    expectedPages = 1024,
  ) {
    if (!(epsilon >= 0)) throw new RangeError('ESX epsilon must be >= 0');
    this.stack = new RecencyIndex(2 * expectedPages, expectedPages);
    this.lastPeriod = new Int32Array(expectedPages);
    this.hist = new Float64Array(allocation);
    this.used = new Int32Array(Math.min(allocation, 1024));
  }

  /** One reference of the stream, in order. */
  reference(page: number): void {
    this.refs++;
    if (page >= this.lastPeriod.length) this.lastPeriod = growInt32(this.lastPeriod, page + 1);
    if (this.lastPeriod[page] !== this.period) {
      this.lastPeriod[page] = this.period;
      this.distinct++;
    }
    const rank = this.stack.touch(page);
    if (rank < 0 || rank >= this.allocation) {
      this.beyond++;
      return;
    }
    if (this.hist[rank] === 0) {
      if (this.usedLen === this.used.length) this.used = growInt32(this.used, this.usedLen + 1);
      this.used[this.usedLen++] = rank;
    }
    this.hist[rank]++;
  }

  /** Closes the current period: its truth, and a fresh period begins. */
  closePeriod(): EsxPeriodTruth {
    const used = this.used.subarray(0, this.usedLen).sort();
    const bound = (1 + this.epsilon) * this.beyond;
    // misses(m) = beyond + Σ_{r ≥ m} hist[r]: walk the ranks that occurred from the top down.
    let misses = this.beyond;
    let needed = 0;
    for (let i = used.length - 1; i >= 0; i--) {
      const r = used[i];
      if (misses + this.hist[r] > bound) {
        needed = r + 1;
        break;
      }
      misses += this.hist[r];
    }
    const truth: EsxPeriodTruth = {
      references: this.refs,
      workingSet: this.distinct,
      missesAtAllocation: this.beyond,
      epsilonPages: needed,
    };
    for (const r of used) this.hist[r] = 0;
    this.usedLen = 0;
    this.beyond = 0;
    this.refs = 0;
    this.distinct = 0;
    this.period++;
    return truth;
  }
}
