import { growInt32 } from '../util/grow.js';

/**
 * The page ↔ frame map shared by the policies: frames 0..capacity-1, a page keeps its frame while
 * resident, and free frames are handed out most recently freed first, then lowest first.
 */
export class FrameTable {
  readonly capacity: number;
  readonly pageOfFrame: Int32Array;
  /** frameOfPage[page] = frame, or -1 when not resident. */
  private frameOfPage: Int32Array;
  private readonly free: Int32Array;
  private freeTop: number;

  constructor(capacity: number, pageSpace = 1024) {
    if (!Number.isInteger(capacity) || capacity < 0)
      throw new RangeError(`bad capacity ${capacity}`);
    this.capacity = capacity;
    this.pageOfFrame = new Int32Array(capacity).fill(-1);
    this.frameOfPage = new Int32Array(Math.max(16, pageSpace)).fill(-1);
    this.free = new Int32Array(capacity);
    for (let i = 0; i < capacity; i++) this.free[i] = capacity - 1 - i;
    this.freeTop = capacity;
  }

  /** Resident pages. */
  get size(): number {
    return this.capacity - this.freeTop;
  }

  get full(): boolean {
    return this.freeTop === 0;
  }

  frameOf(page: number): number {
    return page < this.frameOfPage.length ? this.frameOfPage[page] : -1;
  }

  /** Puts a non-resident page into a free frame (the caller checked one exists); returns it. */
  place(page: number): number {
    const f = this.free[--this.freeTop];
    this.bind(f, page);
    return f;
  }

  /** Puts a non-resident page into occupied frame `f`; returns the page evicted from it. */
  replace(f: number, page: number): number {
    const victim = this.pageOfFrame[f];
    this.frameOfPage[victim] = -1;
    this.bind(f, page);
    return victim;
  }

  /** Frees the frame of a resident page; returns the frame, or -1 if it was not resident. */
  release(page: number): number {
    const f = this.frameOf(page);
    if (f < 0) return -1;
    this.frameOfPage[page] = -1;
    this.pageOfFrame[f] = -1;
    this.free[this.freeTop++] = f;
    return f;
  }

  private bind(f: number, page: number): void {
    if (page >= this.frameOfPage.length)
      this.frameOfPage = growInt32(this.frameOfPage, page + 1, -1);
    this.frameOfPage[page] = f;
    this.pageOfFrame[f] = page;
  }
}
