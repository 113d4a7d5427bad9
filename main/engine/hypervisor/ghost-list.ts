import { RecencyIndex } from '../util/recency-index.js';

/**
 * Ids (no data) of the last G pages evicted from the hypervisor cache, newest first. A lookup
 * returns the page's position (0 = evicted most recently), which extends the hypervisor MRC
 * beyond V + C.
 */
export class GhostList {
  private readonly index: RecencyIndex;

  constructor(
    readonly capacity: number,
    pageSpace = 1024,
  ) {
    if (!Number.isInteger(capacity) || capacity < 0)
      throw new RangeError(`bad ghost capacity ${capacity}`);
    this.index = new RecencyIndex(4 * capacity + 16, pageSpace);
  }

  get size(): number {
    return this.index.size;
  }

  has(page: number): boolean {
    return this.index.has(page);
  }

  /** Records an evicted page as the newest entry, dropping the oldest beyond capacity. */
  add(page: number): void {
    if (this.capacity === 0) return;
    this.index.touch(page);
    if (this.index.size > this.capacity) this.index.popOldest();
  }

  /** Removes a page; returns its position (0 = newest) or -1 if it was not listed. */
  remove(page: number): number {
    return this.index.remove(page);
  }

  /** Page ids from newest to oldest (tests, small displays). */
  pages(): number[] {
    return this.index.keysByRecency();
  }
}
