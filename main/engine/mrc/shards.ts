import type { ShardsConfig } from '../config.js';
import type { RefChunk } from '../trace/chunk.js';
import { growFloat64 } from '../util/grow.js';
import { RecencyIndex } from '../util/recency-index.js';
import { HashMaxHeap } from './shards-heap.js';
import { RankHistogram, ShardsCurve } from './shards-curve.js';

/** Modulus of the sampling hash: a reference is sampled iff hash32(page) mod P < T. */
export const SHARDS_MODULUS = 1 << 24;
const MASK = SHARDS_MODULUS - 1;

/** The sampling threshold T of fixed rate R: round(R·P), at least 1. */
export function fixedRateThreshold(rate: number): number {
  return Math.max(1, Math.round(rate * SHARDS_MODULUS));
}

/**
 * SHARDS (Waldspurger et al., FAST 2015): spatially hashed sampling of the reference stream.
 * A page is sampled iff `hash32(page) mod P < T`; the sampled references run through an exact
 * Mattson stack over the sampled pages only, and their ranks and counts are scaled by 1/R to
 * stand for the full stream (R = T/P).
 *
 * - `fixed-rate`: T = round(R·P). The "adj" correction puts the difference between the
 *   expected (N·R) and actual number of sampled references into the rank-0 bucket.
 * - `fixed-size` (SHARDS_max): at most `maxSamples` sampled pages. T starts at P; when the set
 *   overflows, the pages with the largest hash are dropped and T falls to that hash. Each
 *   sampled reference is recorded with weight 1/R at its time and its rank as rank/R; this is
 *   the paper's rescaling of earlier counts by R_new/R_old, telescoped (1 · R_final/R_i ·
 *   1/R_final = 1/R_i), so no pass over the histogram is needed when T falls.
 */
export class ShardsMrc {
  private readonly index = new RecencyIndex(1024, 1024);
  private readonly fixedSize: boolean;
  private readonly maxSamples: number;
  private threshold: number;
  private seen = 0;
  private counted = 0;
  private sampled = 0;
  // fixed-rate: histogram of sampled ranks, in sampled references.
  private hist: Float64Array = new Float64Array(1024);
  private histLen = 0;
  private cold = 0;
  // fixed-size: histogram of estimated full-stream ranks, in (weighted) references.
  private readonly heap: HashMaxHeap | null;
  private readonly ranks: RankHistogram | null;
  private weighted = 0;
  /** Whether the chunks came sampled by the reader (by raw id). */
  readerSampled = false;

  /** @param warmup references that update the sampled stack but are not counted. */
  constructor(
    config: ShardsConfig,
    private readonly warmup = 0,
  ) {
    this.fixedSize = config.mode === 'fixed-size';
    if (this.fixedSize) {
      if (!Number.isInteger(config.maxSamples) || config.maxSamples < 1) {
        throw new RangeError(
          `SHARDS maxSamples must be a positive integer, got ${config.maxSamples}`,
        );
      }
      this.maxSamples = config.maxSamples;
      this.threshold = SHARDS_MODULUS;
      this.heap = new HashMaxHeap(Math.min(config.maxSamples + 1, 1 << 16));
      this.ranks = new RankHistogram();
    } else {
      if (!(config.rate > 0 && config.rate <= 1)) {
        throw new RangeError(`SHARDS rate must be in (0, 1], got ${config.rate}`);
      }
      this.maxSamples = Number.POSITIVE_INFINITY;
      this.threshold = fixedRateThreshold(config.rate);
      this.heap = null;
      this.ranks = null;
    }
  }

  /** Current sampling rate R = T/P. */
  get currentRate(): number {
    return this.threshold / SHARDS_MODULUS;
  }

  /** Sampled references counted so far (after warm-up). */
  get sampledReferences(): number {
    return this.sampled;
  }

  /** Pages currently in the sample set. */
  get sampledPages(): number {
    return this.index.size;
  }

  /**
   * The threshold T of fixed-rate mode, for a reader that samples by raw id itself
   * ({@link TraceSource.sampleByRawId}); null in fixed-size mode or with warm-up.
   */
  get readerThreshold(): number | null {
    return this.fixedSize || this.warmup > 0 ? null : this.threshold;
  }

  feed(chunk: RefChunk): void {
    if (chunk.represents !== undefined) {
      this.readerSampled = true;
      return this.feedSampled(chunk, chunk.represents);
    }
    const n = chunk.length;
    const warm = Math.max(0, Math.min(n, this.warmup - this.seen));
    this.seen += n;
    this.counted += n - warm;
    if (this.fixedSize) {
      this.feedSize(chunk.pages, 0, warm, false);
      this.feedSize(chunk.pages, warm, n, true);
    } else {
      if (warm > 0) this.feedRate(chunk.pages, 0, warm, false);
      this.feedRate(chunk.pages, warm, n, true);
    }
  }

  /**
   * A chunk already sampled by the reader (by raw id, at {@link readerThreshold}) that stands for
   * `represents` references: every reference in it is sampled.
   */
  private feedSampled(chunk: RefChunk, represents: number): void {
    if (this.readerThreshold === null)
      throw new Error('SHARDS: a reader-sampled chunk needs fixed-rate mode without warm-up');
    this.seen += represents;
    this.counted += represents;
    const pages = chunk.pages;
    const index = this.index;
    let hist = this.hist;
    let histLen = this.histLen;
    let cold = 0;
    let last = -1;
    for (let i = 0; i < chunk.length; i++) {
      const page = pages[i];
      // An immediate re-reference has rank 0 and moves nothing: a hot sampled page (a Zipf
      // trace's most popular one, sampled, is nearly the whole sample) costs no index walk.
      if (page === last) {
        hist[0]++;
        if (histLen === 0) histLen = 1;
        continue;
      }
      last = page;
      const rank = index.touch(page);
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
    this.cold += cold;
    this.sampled += chunk.length;
  }

  private feedRate(pages: Int32Array, from: number, to: number, count: boolean): void {
    const t = this.threshold;
    const index = this.index;
    let hist = this.hist;
    let histLen = this.histLen;
    let cold = this.cold;
    let sampled = this.sampled;
    let last = -1;
    for (let i = from; i < to; i++) {
      const page = pages[i];
      // hash32 (murmur3 finaliser) inlined: this is the whole cost of an unsampled reference.
      let h = page ^ (page >>> 16);
      h = Math.imul(h, 0x85ebca6b);
      h ^= h >>> 13;
      h = Math.imul(h, 0xc2b2ae35);
      h ^= h >>> 16;
      if ((h & MASK) >= t) continue;
      if (page === last) {
        // An immediate re-reference of a sampled page: rank 0, the stack stays as it is.
        if (!count) continue;
        sampled++;
        hist[0]++;
        if (histLen === 0) histLen = 1;
        continue;
      }
      last = page;
      const rank = index.touch(page);
      if (!count) continue;
      sampled++;
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
    this.sampled = sampled;
  }

  private feedSize(pages: Int32Array, from: number, to: number, count: boolean): void {
    const index = this.index;
    const heap = this.heap as HashMaxHeap;
    const ranks = this.ranks as RankHistogram;
    for (let i = from; i < to; i++) {
      const page = pages[i];
      let h = page ^ (page >>> 16);
      h = Math.imul(h, 0x85ebca6b);
      h ^= h >>> 13;
      h = Math.imul(h, 0xc2b2ae35);
      h ^= h >>> 16;
      h &= MASK;
      if (h >= this.threshold) continue;
      if (!index.has(page)) {
        index.touch(page);
        heap.push(h, page);
        if (index.size > this.maxSamples) {
          this.shrink();
          // The new page itself may have been dropped: then it is no longer sampled.
          if (h >= this.threshold) continue;
        }
        if (!count) continue;
        this.sampled++;
        const w = SHARDS_MODULUS / this.threshold;
        this.cold += w;
        this.weighted += w;
        continue;
      }
      const rank = index.touch(page);
      if (!count) continue;
      this.sampled++;
      const w = SHARDS_MODULUS / this.threshold;
      ranks.add(rank * w, w);
      this.weighted += w;
    }
  }

  /** Drops the pages with the largest hash until the set fits; T falls to that hash. */
  private shrink(): void {
    const heap = this.heap as HashMaxHeap;
    while (this.index.size > this.maxSamples) {
      const top = heap.topHash();
      this.threshold = top;
      while (heap.size > 0 && heap.topHash() === top) this.index.remove(heap.pop());
    }
  }

  curve(): ShardsCurve {
    const n = this.counted;
    if (this.fixedSize) {
      const ranks = this.ranks as RankHistogram;
      // Weighted counts are already in references: adj = N - (estimated total).
      const adj = n - this.weighted;
      return new ShardsCurve(ranks.counts, ranks.length, this.cold, adj, n, ranks.width, 1);
    }
    const r = this.currentRate;
    const adj = n * r - this.sampled;
    return new ShardsCurve(this.hist, this.histLen, this.cold, adj, n, 1 / r, 1 / r);
  }
}
