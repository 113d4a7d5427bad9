/**
 * Many plain caches fed by one stream: one cache per (policy, size), each reference an access
 * (a miss loads the page). The results equal separate single-cache runs; the service splits the
 * caches across worker threads so that the trace is read once.
 */
import { createPolicy } from './create-policy.js';
import type { PagePolicy, PolicyName } from './policy.js';

export interface SweepSpec {
  policy: Exclude<PolicyName, 'opt'>;
  size: number;
}

export interface SweepResult extends SweepSpec {
  references: number;
  hits: number;
  misses: number;
}

export class SizeSweep {
  private readonly caches: PagePolicy[];
  private readonly misses: Float64Array;
  private references = 0;

  constructor(readonly specs: readonly SweepSpec[]) {
    this.caches = specs.map((s) => createPolicy(s.policy, s.size));
    this.misses = new Float64Array(specs.length);
  }

  /** References pages[0 .. n) (dense page ids), in order, to every cache. */
  feed(pages: Int32Array, n: number): void {
    const base = this.references;
    for (let c = 0; c < this.caches.length; c++) {
      const cache = this.caches[c];
      let misses = 0;
      for (let i = 0; i < n; i++) {
        const p = pages[i];
        if (!cache.access(p, base + i)) {
          misses++;
          cache.insert(p, base + i);
        }
      }
      this.misses[c] += misses;
    }
    this.references = base + n;
  }

  results(): SweepResult[] {
    return this.specs.map((s, c) => ({
      ...s,
      references: this.references,
      hits: this.references - this.misses[c],
      misses: this.misses[c],
    }));
  }
}
