/**
 * One small interface for every guest page replacement policy (libCacheSim-style: each policy
 * is a small module behind it). Page ids are dense integers; frames are the guest's physical
 * page frames 0..capacity-1, which the ESX sampler needs.
 */

export type PolicyName =
  | 'lru'
  | 'fifo'
  | 'clock'
  | 'arc'
  | 'lru2'
  | 'opt'
  | 'lfu'
  | '2q'
  | 'lirs'
  | 's3fifo'
  | 'sieve'
  | 'clockpro'
  | 'clockpro-libcachesim';
export const POLICY_NAMES: readonly PolicyName[] = [
  'lru',
  'fifo',
  'clock',
  'arc',
  'lru2',
  'opt',
  'lfu',
  '2q',
  'lirs',
  's3fifo',
  'sieve',
  'clockpro',
  'clockpro-libcachesim',
];

export interface PagePolicy {
  readonly name: PolicyName;
  /** Frames of memory (pages). May be 0: then every page is evicted as soon as it is inserted. */
  readonly capacity: number;
  /** Resident pages. */
  readonly size: number;
  /**
   * Reference to `page`. If it is resident, update the policy's state and return true;
   * otherwise change nothing and return false. `index` is the global reference index (OPT).
   */
  access(page: number, index: number): boolean;
  /**
   * Load a page that is not resident (the caller checked). When memory is full a victim is
   * evicted first and returned; returns -1 when nothing was evicted (or `page` itself when the
   * capacity is 0). The new page takes the victim's frame.
   */
  insert(page: number, index: number): number;
  /**
   * True when a reference to the page referenced just before is a hit that changes nothing while
   * capacity > 0 (LRU: the page is already the most recent; FIFO: hits change nothing), so a
   * caller may count the rest of a run of one page as hits without calling access. Not so for
   * CLOCK and SIEVE (the second reference sets a bit), ARC (it moves the page to T2), LFU (it
   * counts), nor at capacity 0 (every reference misses).
   */
  readonly repeatIsHit?: boolean;
  /** Frame 0..capacity-1 holding a resident page, or -1. Stable while the page stays resident. */
  frameOf(page: number): number;
  /** Drop a resident page without eviction semantics; returns whether it was resident. */
  remove(page: number): boolean;
  /**
   * Pages evicted by the last `access` or `insert` besides the one `insert` returned, one per
   * call, then -1. Only policies that can evict several pages per miss, or evict on a hit (2q,
   * lirs, as in libCacheSim), define it; callers treat each like insert's victim.
   */
  nextVictim?(): number;
  /**
   * Changes the memory to `capacity` frames mid-run (a balloon inflating or deflating). Shrinking
   * evicts the pages this policy would evict next, by its own rule, until `size ≤ capacity`, and
   * returns them in eviction order; growing adds empty frames (returns []). The order and state of
   * the pages that stay is kept (recency, queue order, reference bits, lists, ARC's p and ghosts
   * as far as the new capacity allows); frames are renumbered 0..size-1, so a frame number is
   * only stable between resizes.
   */
  resize(capacity: number): number[];
}

/** Throws unless `capacity` is a whole number of frames ≥ 0. */
export function checkCapacity(capacity: number): void {
  if (!Number.isInteger(capacity) || capacity < 0) throw new RangeError(`bad capacity ${capacity}`);
}

export interface PolicyOptions {
  /** OPT only: nextUse[i] = index of the next reference to the page referenced at i, or NO_NEXT_USE. */
  nextUse?: Int32Array;
  /** lru2 only: largest share of memory the active list may hold (default 0.5). */
  activeFraction?: number;
}

/** nextUse value for "never referenced again". */
export const NO_NEXT_USE = 0x7fffffff;
