import { createPolicy } from '../policy/create-policy.js';
import type { PagePolicy, PolicyName } from '../policy/policy.js';
import type { RefChunk } from '../trace/chunk.js';
import { PointsCurve } from './points-curve.js';

/**
 * The `policy` method: the true miss curve of a guest policy, one simulation per size, all fed by
 * one pass over the stream (a chunk at a time, each size in turn, so a chunk is read from cache
 * memory while every simulation consumes it). Misses are counted after `warmup` references.
 * OPT is not offered: it needs the whole future of the stream.
 */
export class PolicySimMrc {
  private readonly policies: PagePolicy[];
  private readonly misses: Float64Array;
  private seen = 0;
  private counted = 0;

  constructor(
    readonly policy: PolicyName,
    readonly sizes: readonly number[],
    private readonly warmup = 0,
  ) {
    if (policy === 'opt') throw new Error('the policy method does not simulate opt');
    for (const s of sizes)
      if (!Number.isInteger(s) || s < 0) throw new RangeError(`bad size ${s}: expected pages`);
    this.policies = sizes.map((s) => createPolicy(policy, s));
    this.misses = new Float64Array(sizes.length);
  }

  /** References counted (after warm-up). */
  get references(): number {
    return this.counted;
  }

  feed(chunk: RefChunk): void {
    const n = chunk.length;
    const pages = chunk.pages;
    const warm = Math.max(0, Math.min(n, this.warmup - this.seen));
    const base = this.seen;
    for (let k = 0; k < this.policies.length; k++) {
      const p = this.policies[k];
      let m = 0;
      for (let i = 0; i < n; i++) {
        const page = pages[i];
        if (p.access(page, base + i)) continue;
        p.insert(page, base + i);
        if (i >= warm) m++;
      }
      this.misses[k] += m;
    }
    this.seen += n;
    this.counted += n - warm;
  }

  /** Misses per size so far (same order as `sizes`). */
  missCounts(): Float64Array {
    return this.misses.slice();
  }

  curve(): PointsCurve {
    return new PointsCurve('policy', this.counted, this.sizes, this.misses);
  }
}
