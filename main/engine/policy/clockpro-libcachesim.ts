import { PageSlots } from './page-slots.js';
import { checkCapacity, type PagePolicy, type PolicyName } from './policy.js';

/**
 * `clockpro-libcachesim`: libCacheSim's ClockPro.c, kept for comparisons with libCacheSim (the
 * paper's CLOCK-Pro is `clockpro`, clockpro.ts). Exact semantics of libCacheSim's ClockPro.c (commit 803344063f6b, 2025; default params init-ref=0, init-ratio-cold=1), which
 * this reproduces miss for miss. NOTE — it differs from the paper: libCacheSim admits a missed
 * page only while the cold pages plus it fit in mem_cold_max, which starts at C and only moves
 * when the cold hand runs; the cold hand runs only from evict(), and evict() is only reached
 * after admission. With pages of one unit, once C cold pages are resident no page is admitted
 * again and nothing is ever evicted: memory keeps the first C distinct pages (refilled only
 * after remove()), and later misses pass straight through (insert returns the page itself, like
 * a zero-page memory). The hot/cold/test hands of the paper are never exercised, so they are
 * not modelled here. Later versions of ClockPro.c (a reformatted one with termination guards in
 * evict() and promote() and a test-page fix in insert()) keep the same admission gate, so they
 * freeze the same way.
 */
export class ClockProLibCacheSimPolicy implements PagePolicy {
  readonly name: PolicyName = 'clockpro-libcachesim';
  capacity: number;
  private readonly slots: PageSlots;
  /** Pages in admission order (removed pages are skipped when met). */
  private readonly admitted: number[] = [];

  constructor(capacity: number, pageSpace = 1024) {
    if (!Number.isInteger(capacity) || capacity < 0)
      throw new RangeError(`bad capacity ${capacity}`);
    this.capacity = capacity;
    this.slots = new PageSlots(pageSpace);
  }

  get size(): number {
    return this.slots.size;
  }

  access(page: number, _index: number): boolean {
    // libCacheSim sets the page's reference bit; no hand ever reads it (see above).
    return this.slots.has(page);
  }

  insert(page: number, _index: number): number {
    if (this.slots.size + 1 > this.capacity) return page;
    this.slots.take(page);
    this.admitted.push(page);
    return -1;
  }

  frameOf(page: number): number {
    return this.slots.frameOf(page);
  }

  remove(page: number): boolean {
    return this.slots.release(page);
  }

  /**
   * libCacheSim never evicts here; shrinking evicts the most recently admitted pages first (the
   * ones that entered last, so the frozen set keeps its oldest members), then growing admits
   * again until the new capacity is full.
   */
  resize(capacity: number): number[] {
    checkCapacity(capacity);
    const out: number[] = [];
    while (this.slots.size > capacity) {
      const v = this.admitted.pop() as number;
      if (this.slots.release(v)) out.push(v);
    }
    this.capacity = capacity;
    this.slots.renumber();
    return out;
  }
}
