import { growInt32 } from '../util/grow.js';

/**
 * Residency bookkeeping for the policies ported from libCacheSim (lfu, 2q, lirs, s3fifo, sieve):
 * which pages are resident and in which frame, plus the pages evicted by the last
 * call beyond the one `insert` returns (some of these policies evict several pages per miss, or
 * on a hit). Frames are handed out most recently freed first, so a new page takes its victim's
 * frame; a policy whose libCacheSim original can briefly hold more pages than its capacity (LIRS)
 * gets frames past the capacity for them.
 */
export class PageSlots {
  private frameOfPage: Int32Array;
  private free: Int32Array;
  private freeTop = 0;
  private nextFrame = 0;
  size = 0;
  private victims: Int32Array = new Int32Array(16);
  private victimCount = 0;
  private victimRead = 0;

  constructor(pageSpace = 1024) {
    this.frameOfPage = new Int32Array(Math.max(16, pageSpace)).fill(-1);
    this.free = new Int32Array(16);
  }

  frameOf(page: number): number {
    return page < this.frameOfPage.length ? this.frameOfPage[page] : -1;
  }

  has(page: number): boolean {
    return page < this.frameOfPage.length && this.frameOfPage[page] >= 0;
  }

  /** Makes a non-resident page resident; returns its frame. */
  take(page: number): number {
    if (page >= this.frameOfPage.length)
      this.frameOfPage = growInt32(this.frameOfPage, page + 1, -1);
    const f = this.freeTop > 0 ? this.free[--this.freeTop] : this.nextFrame++;
    this.frameOfPage[page] = f;
    this.size++;
    return f;
  }

  /** Makes a resident page non-resident (its frame becomes free); returns whether it was. */
  release(page: number): boolean {
    const f = this.frameOf(page);
    if (f < 0) return false;
    this.frameOfPage[page] = -1;
    if (this.freeTop === this.free.length) this.free = growInt32(this.free, this.freeTop + 1);
    this.free[this.freeTop++] = f;
    this.size--;
    return true;
  }

  /** Evicts a resident page: frees its frame and queues it as a victim. */
  evict(page: number): void {
    if (!this.release(page)) return;
    if (this.victimCount === this.victims.length)
      this.victims = growInt32(this.victims, this.victimCount + 1);
    this.victims[this.victimCount++] = page;
  }

  /** After a resize: frames 0..size-1 for the resident pages (in page order), none free. */
  renumber(): void {
    let f = 0;
    const a = this.frameOfPage;
    for (let page = 0; page < a.length; page++) if (a[page] >= 0) a[page] = f++;
    this.freeTop = 0;
    this.nextFrame = f;
  }

  /** The victims queued since resetVictims(), still non-resident, in eviction order. */
  drainVictims(): number[] {
    const out: number[] = [];
    for (let v = this.nextVictim(); v >= 0; v = this.nextVictim()) out.push(v);
    return out;
  }

  /** Starts a new call: forgets victims not taken. */
  resetVictims(): void {
    this.victimCount = 0;
    this.victimRead = 0;
  }

  /** The next queued victim that is still non-resident, or -1. */
  nextVictim(): number {
    while (this.victimRead < this.victimCount) {
      const v = this.victims[this.victimRead++];
      if (!this.has(v)) return v;
    }
    return -1;
  }
}
