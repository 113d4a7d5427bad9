import type { RefChunk } from '../trace/chunk.js';
import { RecencyIndex } from '../util/recency-index.js';
import { growFloat64 } from '../util/grow.js';
import { HistogramCurve } from './curve.js';

/** What an exact MRC counted: the rank histogram, cold misses, counted references, distinct pages. */
export interface ExactCounts {
  hist: Float64Array;
  cold: number;
  counted: number;
  distinct: number;
}

/** The curve of these counts (also of counts made in a worker thread). */
export function exactCurve(c: ExactCounts): HistogramCurve {
  return new HistogramCurve('exact', c.hist, c.hist.length, c.cold, c.counted);
}

/**
 * The exact LRU miss ratio curve: Mattson's stack algorithm in one pass over the stream, with
 * an order-statistics tree over last-access stamps ({@link RecencyIndex}) so each reference
 * costs O(log M) — all memory sizes at once.
 */
export class ExactMrc {
  private readonly index: RecencyIndex;
  private hist: Float64Array = new Float64Array(1024);
  private histLen = 0;
  private cold = 0;
  private seen = 0;
  private counted = 0;

  /** @param warmup references that update the stack but are not counted. */
  constructor(
    private readonly warmup = 0,
    expectedPages = 1024,
  ) {
    this.index = new RecencyIndex(2 * expectedPages, expectedPages);
  }

  feed(chunk: RefChunk): void {
    const pages = chunk.pages;
    const n = chunk.length;
    const index = this.index;
    // Warm-up prefix: update the stack only.
    const warm = Math.max(0, Math.min(n, this.warmup - this.seen));
    let i = 0;
    for (; i < warm; i++) index.touch(pages[i]);
    this.seen += n;
    this.counted += n - warm;
    let hist = this.hist;
    let histLen = this.histLen;
    let cold = this.cold;
    for (; i < n; i++) {
      const rank = index.touch(pages[i]);
      if (rank < 0) {
        cold++;
      } else {
        if (rank >= hist.length) hist = growFloat64(hist, rank + 1);
        hist[rank]++;
        if (rank >= histLen) histLen = rank + 1;
      }
    }
    this.hist = hist;
    this.histLen = histLen;
    this.cold = cold;
  }

  /** Distinct pages seen so far. */
  get distinct(): number {
    return this.index.size;
  }

  /** The counts so far, on a copy of the histogram (to post to another thread). */
  counts(): ExactCounts {
    return this.countsOn(this.hist.slice(0, this.histLen));
  }

  /** The curve, read from the histogram in place: a copy would cost 8 bytes per distinct page. */
  curve(): HistogramCurve {
    return exactCurve(this.countsOn(this.hist.subarray(0, this.histLen)));
  }

  private countsOn(hist: Float64Array): ExactCounts {
    return { hist, cold: this.cold, counted: this.counted, distinct: this.index.size };
  }
}
