import type { HypervisorCacheConfig } from '../config.js';
import type { GuestBacking } from '../guest/guest-memory.js';
import { growUint8 } from '../util/grow.js';
import { RecencyIndex } from '../util/recency-index.js';
import { Rng } from '../util/rng.js';
import { GhostList } from './ghost-list.js';

/**
 * What the hypervisor learns from each lookup; the hypervisor MRC recorder implements it.
 * `rank` ≥ 0: the page's position in the hypervisor's own recency list — the cache's recency
 * order (data and id-only entries, 0 = most recently evicted by the guest) followed by the ghost
 * list — so its LRU stack distance is V + rank + 1; -1: the hypervisor has no record of the page.
 */
export interface CacheObserver {
  onGet(rank: number): void;
}

/**
 * The hypervisor exclusive cache of C data pages, LRU by insertion time (DESIGN.md §2), with an
 * optional ghost list of G ids.
 *
 * The cache keeps one recency order of the pages the guest evicted, newest first. An entry
 * either holds the page's data, or is **id-only**:
 * - `put(page)`: the guest evicted a clean page; it becomes the newest entry. With probability
 *   `admissionFailure` (seeded) its contents cannot be proven to match storage: the data is
 *   dropped (counted) but the hypervisor saw the eviction, so the id keeps its place (id-only).
 *   Past C data pages, the oldest entries move to the ghost list (ids only) up to and including
 *   the oldest data page. A page in the ghost list is removed from it first.
 * - `get(page)`: a guest miss. A data entry is a hit and moves to the guest (exclusivity); an
 *   id-only entry, a ghost entry or an unknown page is a disk read (the entry is removed).
 * - `discard(page)`: a guest miss that needs no data (a full-page write): the lookup is seen (it
 *   has a rank like any other) and a cached copy is dropped, with no I/O.
 * - `invalidate(page)`: a write bypassing guest memory makes a cached copy stale; the data is
 *   dropped and the id keeps its place (the page was not re-referenced by the guest).
 *
 * Id-only entries do not count against C. Entries only ever leave the tail of the order for the
 * head of the ghost list, so cache order + ghost list is the LRU stack below guest memory and
 * ranks stay exact on V .. V + C + G for an LRU guest at any admission-failure rate. Id-only
 * entries that become the oldest entry move to the ghost list as soon as the order holds more
 * than C entries; and the order never holds more than C + G + 3·C entries (memory bound for the
 * ids: at failure rates above ~75 % the oldest data pages then leave early, counted as
 * evictions) — positions ≥ C + G are beyond the curve either way.
 *
 * `forgetFailed` is the naive hypervisor: a failed admission or an invalidation drops the page
 * with no trace, so later ranks are too small (the MRC is no longer exact).
 *
 * With C = 0 there is no cache: nothing is put (no cost, no admission draws); evicted guest pages
 * go straight to the ghost list, so the hypervisor can still trace the VM beyond V.
 */
export class ExclusiveCache implements GuestBacking {
  capacity: number;
  readonly ghost: GhostList;
  readonly forgetFailed: boolean;
  private readonly order: RecencyIndex;
  /** data[page] = 1 when the entry of `page` holds its data. */
  private data: Uint8Array;
  private dataCount = 0;
  private maxOrder: number;
  private readonly rng: Rng;
  private readonly admissionFailure: number;
  observer: CacheObserver | null = null;

  hits = 0;
  ghostHits = 0;
  /** Lookups that found an id-only entry (a disk read). */
  idOnlyHits = 0;
  /** Lookups that went to disk (ghost and id-only hits included). */
  misses = 0;
  puts = 0;
  admissionFailures = 0;
  /** Full-page-write misses the guest announced (no data needed). */
  discards = 0;
  /** Cached copies those discards dropped. */
  discardedCopies = 0;
  /** Data pages pushed out of the hypervisor cache by newer puts. */
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
    this.forgetFailed = config.forgetFailed ?? false;
    this.ghost = new GhostList(config.ghostPages, pageSpace);
    this.order = new RecencyIndex(4 * config.pages + 16, pageSpace);
    this.data = new Uint8Array(Math.max(16, pageSpace));
    this.maxOrder = 4 * config.pages + config.ghostPages;
    this.rng = new Rng(config.seed);
    this.admissionFailure = config.admissionFailure;
  }

  /** Data pages held (≤ C). */
  get size(): number {
    return this.dataCount;
  }

  /** Entries in the recency order: data pages + id-only entries. */
  get orderSize(): number {
    return this.order.size;
  }

  /** Whether the cache holds the page's data. */
  has(page: number): boolean {
    return page < this.data.length && this.data[page] === 1;
  }

  /** Whether the page has an id-only entry in the recency order. */
  hasIdOnly(page: number): boolean {
    return this.order.has(page) && !this.has(page);
  }

  get(page: number): boolean {
    const order = this.order;
    const p = order.remove(page);
    if (p >= 0) {
      if (this.observer !== null) this.observer.onGet(p);
      if (this.data[page] === 1) {
        this.data[page] = 0;
        this.dataCount--;
        this.hits++;
        return true;
      }
      this.idOnlyHits++;
      this.misses++;
      return false;
    }
    const q = this.ghost.remove(page);
    if (q >= 0) this.ghostHits++;
    this.misses++;
    if (this.observer !== null) this.observer.onGet(q >= 0 ? order.size + q : -1);
    return false;
  }

  discard(page: number): void {
    this.discards++;
    const order = this.order;
    const p = order.remove(page);
    if (p >= 0) {
      if (this.observer !== null) this.observer.onGet(p);
      if (this.data[page] === 1) {
        this.data[page] = 0;
        this.dataCount--;
        this.discardedCopies++;
      }
      return;
    }
    const q = this.ghost.remove(page);
    if (this.observer !== null) this.observer.onGet(q >= 0 ? order.size + q : -1);
  }

  put(page: number): void {
    const ghost = this.ghost;
    ghost.remove(page);
    if (this.capacity === 0) {
      ghost.add(page);
      return;
    }
    const failed = this.admissionFailure > 0 && this.rng.next() < this.admissionFailure;
    if (page >= this.data.length) this.data = growUint8(this.data, page + 1);
    const order = this.order;
    if (failed) {
      this.admissionFailures++;
      if (this.forgetFailed) {
        // The naive hypervisor: no trace of the page (a stale entry of it goes too).
        if (order.remove(page) >= 0 && this.data[page] === 1) {
          this.data[page] = 0;
          this.dataCount--;
        }
        return;
      }
      if (order.touch(page) >= 0 && this.data[page] === 1) {
        this.data[page] = 0;
        this.dataCount--;
      }
    } else {
      if (order.touch(page) < 0 || this.data[page] === 0) this.dataCount++;
      this.data[page] = 1;
      this.puts++;
    }
    this.trim();
  }

  /**
   * Resizes the cache to `pages` mid-run. Shrinking evicts the oldest entries into the ghost list
   * (as newer puts would, so the ids stay in the hypervisor's recency order; id-only entries
   * above an evicted data page go with it); growing adds room that fills with later puts.
   * Returns the evicted data pages, oldest first.
   */
  resize(pages: number): number[] {
    if (!Number.isInteger(pages) || pages < 0) throw new RangeError(`bad cache size ${pages}`);
    const evicted: number[] = [];
    this.capacity = pages;
    this.maxOrder = 4 * pages + this.ghost.capacity;
    this.trim(evicted);
    this.resizeEvictions += evicted.length;
    return evicted;
  }

  /** A write bypassed guest memory: drop a cached copy. Returns whether one was cached. */
  invalidate(page: number): boolean {
    if (!this.has(page)) return false;
    this.data[page] = 0;
    this.dataCount--;
    this.invalidations++;
    if (this.forgetFailed) this.order.remove(page);
    else this.trim();
    return true;
  }

  /** Cached (data) page ids from most to least recently inserted (tests, small displays). */
  pages(): number[] {
    return this.order.keysByRecency().filter((p) => this.data[p] === 1);
  }

  /** The whole recency order, data and id-only entries, newest first (tests). */
  orderPages(): number[] {
    return this.order.keysByRecency();
  }

  resetCounters(): void {
    this.hits = 0;
    this.ghostHits = 0;
    this.idOnlyHits = 0;
    this.misses = 0;
    this.puts = 0;
    this.admissionFailures = 0;
    this.evictions = 0;
    this.resizeEvictions = 0;
    this.invalidations = 0;
    this.discards = 0;
    this.discardedCopies = 0;
  }

  /**
   * Moves entries from the tail of the recency order to the head of the ghost list: all up to
   * the oldest data page while there are more than C data pages; id-only tails while the order
   * holds more than C entries; anything past the memory bound.
   */
  private trim(resized?: number[]): void {
    const order = this.order;
    const data = this.data;
    const cap = this.capacity;
    while (order.size > 0) {
      const oldest = order.oldest();
      const isData = data[oldest] === 1;
      const over = this.dataCount > cap || order.size > this.maxOrder;
      if (!over && (isData || order.size <= cap)) break;
      order.remove(oldest);
      if (isData) {
        data[oldest] = 0;
        this.dataCount--;
        if (resized === undefined) this.evictions++;
        else resized.push(oldest);
      }
      this.ghost.add(oldest);
    }
  }
}
