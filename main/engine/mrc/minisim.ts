import { createPolicy } from '../policy/create-policy.js';
import type { PagePolicy, PolicyName } from '../policy/policy.js';
import type { RefChunk } from '../trace/chunk.js';
import { growFloat64, growInt32 } from '../util/grow.js';
import { PointsCurve } from './points-curve.js';
import { HashMaxHeap } from './shards-heap.js';
import { SHARDS_MODULUS } from './shards.js';

const MASK = SHARDS_MODULUS - 1;

export interface MiniSimConfig {
  /**
   * `fixed-rate` (default): sampling rate R. `fixed-size`: at most `maxSamples` sampled pages,
   * the rate falls as the sample set fills (as SHARDS' fixed-size mode).
   */
  mode?: 'fixed-rate' | 'fixed-size';
  /** Sampling rate R in (0, 1] (fixed-rate). */
  rate: number;
  /** fixed-size: most sampled pages tracked at any time. */
  maxSamples?: number;
}

/**
 * fixed-size: when the sample set overflows, the threshold falls far enough to drop this share
 * of it (at least one page), so the miniature caches are resized about 128 times per halving of
 * the rate rather than once per new page (each resize costs up to a pass over a cache).
 */
export const MINISIM_SHRINK_STEP = 1 / 128;

/**
 * Miniature simulation (Waldspurger, Saemundsson, Ahmad & Park, "Cache Modeling and Optimization
 * using Miniature Simulations", USENIX ATC 2017): a page is sampled iff hash32(page) mod P < T
 * (SHARDS' spatial sampling, same hash), and for each size s a miniature cache of round(s·R)
 * pages (R = T/P) running the same policy sees only the sampled references. Its misses, scaled
 * by 1/R, estimate the full cache's (see curve()). Works for any policy (not opt); sampled page
 * ids are renumbered densely so the miniatures stay small.
 *
 * - `fixed-rate`: T = round(R·P) for the whole run.
 * - `fixed-size` (SHARDS_max applied to miniature simulation, ATC 2017 §3 with FAST 2015 §4.2):
 *   at most `maxSamples` distinct pages are tracked. T starts at P (every page sampled, the
 *   miniatures at full size); when a new page would overflow the set, the pages with the
 *   largest hashes are dropped and T falls to the smallest dropped hash (by
 *   {@link MINISIM_SHRINK_STEP} of the set at a time). Every miniature then drops those pages
 *   (remove, no eviction semantics) and is resized to round(s·T/P) by its own policy's rule, so
 *   the miniatures shrink as R falls. A miss at rate R_i counts 1/R_i: SHARDS' rescaling of the
 *   earlier counts by R_new/R_old at every fall, telescoped, so no pass over the counts is needed.
 */
export class MiniSimMrc {
  private threshold: number;
  private readonly fixedSize: boolean;
  private readonly maxSamples: number;
  private readonly policies: PagePolicy[];
  private readonly misses: Float64Array;
  private dense: Int32Array = new Int32Array(1024).fill(-1);
  private nextDense = 0;
  private seen = 0;
  private counted = 0;
  private sampled = 0;
  private sampledIndex = 0;
  private buf: Int32Array = new Int32Array(4096);
  /** Where each run of one id starts in the ids being replayed (see replay). */
  private runStarts: Int32Array = new Int32Array(0);
  // fixed-size only
  private readonly heap: HashMaxHeap | null = null;
  private weights: Float64Array = new Float64Array(0);
  /** Threshold changes within the chunk being fed: at buf position, dropped pages, new T. */
  private readonly falls: { at: number; dropped: number[]; threshold: number }[] = [];
  private maxTracked = 0;

  constructor(
    readonly policy: PolicyName,
    readonly sizes: readonly number[],
    config: MiniSimConfig,
    private readonly warmup = 0,
  ) {
    if (policy === 'opt') throw new Error('the minisim method does not simulate opt');
    this.fixedSize = config.mode === 'fixed-size';
    if (this.fixedSize) {
      const max = config.maxSamples;
      if (max === undefined || !Number.isInteger(max) || max < 1)
        throw new RangeError(`minisim maxSamples must be a positive integer, got ${max}`);
      this.maxSamples = max;
      this.threshold = SHARDS_MODULUS;
      this.heap = new HashMaxHeap(Math.min(max + 1, 1 << 16));
      this.weights = new Float64Array(4096);
    } else {
      if (!(config.rate > 0 && config.rate <= 1))
        throw new RangeError(`minisim rate must be in (0, 1], got ${config.rate}`);
      this.maxSamples = Number.POSITIVE_INFINITY;
      this.threshold = Math.max(1, Math.round(config.rate * SHARDS_MODULUS));
    }
    const r = this.rate;
    this.policies = sizes.map((s) => createPolicy(policy, Math.round(s * r)));
    this.misses = new Float64Array(sizes.length);
  }

  /** The (current) effective rate T/P. */
  get rate(): number {
    return this.threshold / SHARDS_MODULUS;
  }

  /** Sampled references counted (after warm-up). */
  get sampledReferences(): number {
    return this.sampled;
  }

  /** Distinct pages in the sample set now (fixed-rate: every page ever sampled). */
  get sampledPages(): number {
    return this.heap !== null ? this.heap.size : this.nextDense;
  }

  /** Most pages the sample set held at any time (fixed-size: never above maxSamples). */
  get maxSampledPages(): number {
    return this.heap !== null ? this.maxTracked : this.nextDense;
  }

  /** Miniature cache size for each size. */
  get miniSizes(): number[] {
    return this.policies.map((p) => p.capacity);
  }

  /** Resident pages of each miniature cache. */
  get miniResident(): number[] {
    return this.policies.map((p) => p.size);
  }

  /**
   * The threshold T of fixed-rate mode, for a reader that samples by raw id itself
   * ({@link TraceSource.sampleByRawId}); null in fixed-size mode or with warm-up.
   */
  get readerThreshold(): number | null {
    return this.fixedSize || this.warmup > 0 ? null : this.threshold;
  }

  feed(chunk: RefChunk): void {
    if (chunk.represents !== undefined) this.feedSampled(chunk, chunk.represents);
    else if (this.fixedSize) this.feedSize(chunk);
    else this.feedRate(chunk);
  }

  /**
   * A chunk already sampled by the reader (by raw id, at {@link readerThreshold}) that stands for
   * `represents` references: every reference in it is sampled, and its ids are dense over the
   * sampled pages already, so the miniatures take them as they are.
   */
  private feedSampled(chunk: RefChunk, represents: number): void {
    if (this.readerThreshold === null)
      throw new Error('minisim: a reader-sampled chunk needs fixed-rate mode without warm-up');
    const pages = chunk.pages;
    for (let i = 0; i < chunk.length; i++)
      if (pages[i] >= this.nextDense) this.nextDense = pages[i] + 1;
    this.replay(pages, chunk.length, 0);
    this.sampledIndex += chunk.length;
    this.sampled += chunk.length;
    this.seen += represents;
    this.counted += represents;
  }

  private feedRate(chunk: RefChunk): void {
    const n = chunk.length;
    const pages = chunk.pages;
    const t = this.threshold;
    const warm = Math.max(0, Math.min(n, this.warmup - this.seen));
    let buf = this.buf;
    let len = 0;
    let countFrom = -1;
    for (let i = 0; i < n; i++) {
      const page = pages[i];
      let h = page ^ (page >>> 16);
      h = Math.imul(h, 0x85ebca6b);
      h ^= h >>> 13;
      h = Math.imul(h, 0xc2b2ae35);
      h ^= h >>> 16;
      if ((h & MASK) >= t) continue;
      if (page >= this.dense.length) this.dense = growInt32(this.dense, page + 1, -1);
      let d = this.dense[page];
      if (d < 0) d = this.dense[page] = this.nextDense++;
      if (len === buf.length) buf = growInt32(buf, len + 1);
      if (countFrom < 0 && i >= warm) countFrom = len;
      buf[len++] = d;
    }
    this.buf = buf;
    if (countFrom < 0) countFrom = len;
    this.replay(buf, len, countFrom);
    this.sampledIndex += len;
    this.sampled += len - countFrom;
    this.seen += n;
    this.counted += n - warm;
  }

  /**
   * fixed-rate: the sampled ids[0, len) through every miniature; misses from countFrom on count
   * 1/R. A policy whose repeated reference is a plain hit (LRU, FIFO) sees only the first
   * reference of each run of one page: on a skewed trace a hot sampled page fills most of the
   * sample with such runs (the bench's Zipf trace at R = 0.01, sampled by raw id: 776,008
   * sampled references in 152,800 runs).
   */
  private replay(ids: Int32Array, len: number, countFrom: number): void {
    const base = this.sampledIndex;
    let runs = -1;
    for (let k = 0; k < this.policies.length; k++) {
      const p = this.policies[k];
      let m = 0;
      if (p.repeatIsHit === true && p.capacity > 0) {
        if (runs < 0) runs = this.findRuns(ids, len);
        const starts = this.runStarts;
        for (let r = 0; r < runs; r++) {
          const j = starts[r];
          const d = ids[j];
          if (p.access(d, base + j)) continue;
          p.insert(d, base + j);
          if (j >= countFrom) m++;
        }
      } else {
        for (let j = 0; j < len; j++) {
          const d = ids[j];
          if (p.access(d, base + j)) continue;
          p.insert(d, base + j);
          if (j >= countFrom) m++;
        }
      }
      this.misses[k] += m / this.rate;
    }
  }

  /** Puts where each run of one id in ids[0, len) starts into runStarts; returns the runs. */
  private findRuns(ids: Int32Array, len: number): number {
    if (this.runStarts.length < len) this.runStarts = new Int32Array(len);
    const starts = this.runStarts;
    let runs = 0;
    let last = -1;
    for (let j = 0; j < len; j++) {
      if (ids[j] === last) continue;
      last = ids[j];
      starts[runs++] = j;
    }
    return runs;
  }

  /**
   * fixed-size: one pass over the chunk keeps the sample set (and records where T fell and which
   * pages left), then each miniature replays the sampled references with those falls in place.
   */
  private feedSize(chunk: RefChunk): void {
    const n = chunk.length;
    const pages = chunk.pages;
    const heap = this.heap as HashMaxHeap;
    const warm = Math.max(0, Math.min(n, this.warmup - this.seen));
    const falls = this.falls;
    falls.length = 0;
    let buf = this.buf;
    let weights = this.weights;
    let len = 0;
    let countFrom = -1;
    for (let i = 0; i < n; i++) {
      const page = pages[i];
      let h = page ^ (page >>> 16);
      h = Math.imul(h, 0x85ebca6b);
      h ^= h >>> 13;
      h = Math.imul(h, 0xc2b2ae35);
      h ^= h >>> 16;
      h &= MASK;
      if (h >= this.threshold) continue;
      if (page >= this.dense.length) this.dense = growInt32(this.dense, page + 1, -1);
      let d = this.dense[page];
      // A page once dropped never returns (its hash stays ≥ T), so a stale id is never met.
      if (d < 0) {
        d = this.dense[page] = this.nextDense++;
        heap.push(h, d);
        if (heap.size > this.maxSamples) {
          this.fall(len);
          if (h >= this.threshold) continue; // the new page itself was dropped
        }
        if (heap.size > this.maxTracked) this.maxTracked = heap.size;
      }
      if (len === buf.length) {
        buf = growInt32(buf, len + 1);
        weights = growFloat64(weights, buf.length);
      }
      if (countFrom < 0 && i >= warm) countFrom = len;
      weights[len] = SHARDS_MODULUS / this.threshold;
      buf[len++] = d;
    }
    this.buf = buf;
    this.weights = weights;
    if (countFrom < 0) countFrom = len;
    const base = this.sampledIndex;
    for (let k = 0; k < this.policies.length; k++) {
      const p = this.policies[k];
      const size = this.sizes[k];
      let m = 0;
      let f = 0;
      for (let j = 0; j < len; j++) {
        while (f < falls.length && falls[f].at === j) this.applyFall(p, size, falls[f++]);
        const d = buf[j];
        if (p.access(d, base + j)) continue;
        p.insert(d, base + j);
        if (j >= countFrom) m += weights[j];
      }
      while (f < falls.length) this.applyFall(p, size, falls[f++]);
      this.misses[k] += m;
    }
    this.sampledIndex += len;
    this.sampled += len - countFrom;
    this.seen += n;
    this.counted += n - warm;
  }

  /** Drops the pages with the largest hashes (a step of the set); T falls to the last one's. */
  private fall(at: number): void {
    const heap = this.heap as HashMaxHeap;
    const target = Math.min(
      this.maxSamples,
      Math.max(0, heap.size - Math.max(1, Math.ceil(this.maxSamples * MINISIM_SHRINK_STEP))),
    );
    const dropped: number[] = [];
    while (heap.size > target) {
      const top = heap.topHash();
      this.threshold = top;
      while (heap.size > 0 && heap.topHash() === top) dropped.push(heap.pop());
    }
    this.falls.push({ at, dropped, threshold: this.threshold });
  }

  private applyFall(
    p: PagePolicy,
    size: number,
    fall: { dropped: number[]; threshold: number },
  ): void {
    for (const d of fall.dropped) p.remove(d);
    const cap = Math.round((size * fall.threshold) / SHARDS_MODULUS);
    if (cap !== p.capacity) p.resize(cap);
  }

  /**
   * Misses scaled by 1/R (fixed-size: each by the 1/R of its time), capped at the references
   * counted. This is SHARDS' "adj" correction applied to the miniature caches: the difference
   * between the expected (N·R) and the actual number of sampled references counts as hits, which
   * removes the bias of the plain ratio (sampled misses / sampled references) when a few hot
   * pages fall in or out of the sample.
   */
  curve(): PointsCurve {
    return new PointsCurve(
      'minisim',
      this.counted,
      this.sizes,
      Array.from(this.misses, (m) => Math.min(this.counted, m)),
    );
  }
}
