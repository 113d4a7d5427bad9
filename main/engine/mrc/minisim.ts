import { createPolicy } from '../policy/create-policy.js';
import type { PagePolicy, PolicyName } from '../policy/policy.js';
import type { RefChunk } from '../trace/chunk.js';
import { growInt32 } from '../util/grow.js';
import { PointsCurve } from './points-curve.js';
import { SHARDS_MODULUS } from './shards.js';

const MASK = SHARDS_MODULUS - 1;

export interface MiniSimConfig {
  /** Sampling rate R in (0, 1]. */
  rate: number;
}

/**
 * Miniature simulation (Waldspurger, Saemundsson, Ahmad & Park, "Cache Modeling and Optimization
 * using Miniature Simulations", USENIX ATC 2017), fixed rate R: a page is sampled iff
 * hash32(page) mod P < round(R·P) (SHARDS' spatial sampling, same hash), and for each size s a
 * miniature cache of round(s·R) pages running the same policy sees only the sampled references.
 * Its misses, scaled by 1/R, estimate the full cache's (see curve()). Works for any policy (not
 * opt); sampled page ids are renumbered densely so the miniatures stay small.
 */
export class MiniSimMrc {
  private readonly threshold: number;
  private readonly policies: PagePolicy[];
  private readonly misses: Float64Array;
  private dense: Int32Array = new Int32Array(1024).fill(-1);
  private nextDense = 0;
  private seen = 0;
  private counted = 0;
  private sampled = 0;
  private sampledIndex = 0;
  private buf: Int32Array = new Int32Array(4096);

  constructor(
    readonly policy: PolicyName,
    readonly sizes: readonly number[],
    config: MiniSimConfig,
    private readonly warmup = 0,
  ) {
    if (policy === 'opt') throw new Error('the minisim method does not simulate opt');
    if (!(config.rate > 0 && config.rate <= 1))
      throw new RangeError(`minisim rate must be in (0, 1], got ${config.rate}`);
    this.threshold = Math.max(1, Math.round(config.rate * SHARDS_MODULUS));
    const r = this.rate;
    this.policies = sizes.map((s) => createPolicy(policy, Math.round(s * r)));
    this.misses = new Float64Array(sizes.length);
  }

  /** The effective rate T/P. */
  get rate(): number {
    return this.threshold / SHARDS_MODULUS;
  }

  /** Sampled references counted (after warm-up). */
  get sampledReferences(): number {
    return this.sampled;
  }

  /** Miniature cache size for each size. */
  get miniSizes(): number[] {
    return this.policies.map((p) => p.capacity);
  }

  feed(chunk: RefChunk): void {
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
    const base = this.sampledIndex;
    for (let k = 0; k < this.policies.length; k++) {
      const p = this.policies[k];
      let m = 0;
      for (let j = 0; j < len; j++) {
        const d = buf[j];
        if (p.access(d, base + j)) continue;
        p.insert(d, base + j);
        if (j >= countFrom) m++;
      }
      this.misses[k] += m;
    }
    this.sampledIndex += len;
    this.sampled += len - countFrom;
    this.seen += n;
    this.counted += n - warm;
  }

  /**
   * Misses scaled by 1/R, capped at the references counted. This is SHARDS' "adj" correction
   * applied to the miniature caches: the difference between the expected (N·R) and the actual
   * number of sampled references counts as hits, which removes the bias of the plain ratio
   * (sampled misses / sampled references) when a few hot pages fall in or out of the sample.
   */
  curve(): PointsCurve {
    const r = this.rate;
    return new PointsCurve(
      'minisim',
      this.counted,
      this.sizes,
      Array.from(this.misses, (m) => Math.min(this.counted, m / r)),
    );
  }
}
