import type { HypervisorCacheConfig } from '../config.js';
import type { GuestBacking } from '../guest/guest-memory.js';
import { RecencyIndex } from '../util/recency-index.js';
import { Rng } from '../util/rng.js';
import { GhostList } from './ghost-list.js';

/**
 * What the hypervisor learns from each lookup; the hypervisor MRC recorder implements it.
 * `cachePos` ≥ 0: hit at that cache position (0 = most recently inserted); otherwise a disk read,
 * with `ghostPos` ≥ 0 its ghost-list position or -1 when not listed.
 */
export interface CacheObserver {
  onGet(cachePos: number, ghostPos: number): void;
}

/**
 * The hypervisor exclusive cache of C pages, LRU by insertion time (DESIGN.md §2), with an
 * optional ghost list of G ids.
 *
 * - `put(page)`: the guest evicted a clean page. With probability `admissionFailure` (seeded) its
 *   contents cannot be proven to match storage and it is dropped (counted); otherwise it becomes
 *   the most recent entry and, past C pages, the oldest one is evicted into the ghost list.
 *   A page that is in the ghost list is removed from it first.
 * - `get(page)`: a guest miss. A hit removes the page (exclusivity: it moves to the guest); a miss
 *   consults the ghost list (removing the page from it) and goes to disk.
 * - `invalidate(page)`: a write bypassing guest memory makes a cached copy stale; it is removed.
 *
 * With C = 0 there is no cache: nothing is put (no cost, no admission draws); evicted guest pages
 * go straight to the ghost list, so the hypervisor can still trace the VM beyond V.
 */
export class ExclusiveCache implements GuestBacking {
  capacity: number;
  readonly ghost: GhostList;
  private readonly lru: RecencyIndex;
  private readonly rng: Rng;
  private readonly admissionFailure: number;
  observer: CacheObserver | null = null;

  hits = 0;
  ghostHits = 0;
  /** Lookups that went to disk (ghost hits included). */
  misses = 0;
  puts = 0;
  admissionFailures = 0;
  /** Pages pushed out of the cache by newer puts. */
  evictions = 0;
  /** Pages pushed out of the cache by {@link resize}. */
  resizeEvictions = 0;
  invalidations = 0;

  constructor(config: HypervisorCacheConfig, pageSpace = 1024) {
    if (!Number.isInteger(config.pages) || config.pages < 0)
      throw new RangeError(`bad cache size ${config.pages}`);
    if (!(config.admissionFailure >= 0 && config.admissionFailure <= 1))
      throw new RangeError(`admissionFailure must be in [0, 1], got ${config.admissionFailure}`);
    this.capacity = config.pages;
    this.ghost = new GhostList(config.ghostPages, pageSpace);
    this.lru = new RecencyIndex(4 * config.pages + 16, pageSpace);
    this.rng = new Rng(config.seed);
    this.admissionFailure = config.admissionFailure;
  }

  get size(): number {
    return this.lru.size;
  }

  has(page: number): boolean {
    return this.lru.has(page);
  }

  get(page: number): boolean {
    const p = this.lru.remove(page);
    if (p >= 0) {
      this.hits++;
      if (this.observer !== null) this.observer.onGet(p, -1);
      return true;
    }
    const q = this.ghost.remove(page);
    if (q >= 0) this.ghostHits++;
    this.misses++;
    if (this.observer !== null) this.observer.onGet(-1, q);
    return false;
  }

  put(page: number): void {
    const ghost = this.ghost;
    ghost.remove(page);
    if (this.capacity === 0) {
      ghost.add(page);
      return;
    }
    if (this.admissionFailure > 0 && this.rng.next() < this.admissionFailure) {
      this.admissionFailures++;
      return;
    }
    const lru = this.lru;
    lru.touch(page);
    this.puts++;
    if (lru.size > this.capacity) {
      ghost.add(lru.popOldest());
      this.evictions++;
    }
  }

  /**
   * Resizes the cache to `pages` mid-run. Shrinking evicts the oldest entries into the ghost list
   * (as newer puts would, so the ids stay in the hypervisor's recency order); growing adds room
   * that fills with later puts. Returns the evicted pages, oldest first.
   */
  resize(pages: number): number[] {
    if (!Number.isInteger(pages) || pages < 0) throw new RangeError(`bad cache size ${pages}`);
    const evicted: number[] = [];
    const lru = this.lru;
    while (lru.size > pages) {
      const page = lru.popOldest();
      this.ghost.add(page);
      evicted.push(page);
    }
    this.resizeEvictions += evicted.length;
    this.capacity = pages;
    return evicted;
  }

  /** A write bypassed guest memory: drop a cached copy. Returns whether one was cached. */
  invalidate(page: number): boolean {
    if (this.lru.remove(page) < 0) return false;
    this.invalidations++;
    return true;
  }

  /** Cached page ids from most to least recently inserted (tests, small displays). */
  pages(): number[] {
    return this.lru.keysByRecency();
  }

  resetCounters(): void {
    this.hits = 0;
    this.ghostHits = 0;
    this.misses = 0;
    this.puts = 0;
    this.admissionFailures = 0;
    this.evictions = 0;
    this.resizeEvictions = 0;
    this.invalidations = 0;
  }
}
