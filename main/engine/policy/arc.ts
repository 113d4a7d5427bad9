import { FrameTable } from './frame-table.js';
import { LinkedLists } from './linked-lists.js';
import { checkCapacity, type PagePolicy, type PolicyName } from './policy.js';

const T1 = 0;
const T2 = 1;
const B1 = 0;
const B2 = 1;

/**
 * Adaptive Replacement Cache (Megiddo & Modha, FAST 2003, Fig. 4). T1/T2 are lists of frames
 * (resident pages), B1/B2 ghost lists of page ids; p is the adaptive target size of T1.
 *
 * `access` is case I; `insert` is cases II–IV. REPLACE is only run when memory is full, which
 * is always the case in the paper (its invariants guarantee it) and keeps `remove` safe: a
 * removed page leaves T1/T2 without entering a ghost list, and the next insert fills its frame.
 */
export class ArcPolicy implements PagePolicy {
  readonly name: PolicyName = 'arc';
  capacity: number;
  private frames: FrameTable;
  private t: LinkedLists;
  private readonly b: LinkedLists;
  private p = 0;

  constructor(capacity: number, pageSpace = 1024) {
    this.frames = new FrameTable(capacity, pageSpace);
    this.capacity = capacity;
    this.t = new LinkedLists(2, capacity);
    this.b = new LinkedLists(2, pageSpace);
  }

  get size(): number {
    return this.frames.size;
  }

  /** The adaptive target size of T1. */
  get target(): number {
    return this.p;
  }

  access(page: number, _index: number): boolean {
    const f = this.frames.frameOf(page);
    if (f < 0) return false;
    this.t.moveToHead(T2, f); // case I
    return true;
  }

  insert(page: number, _index: number): number {
    const c = this.capacity;
    if (c === 0) return page;
    const t = this.t;
    const b = this.b;
    const ghost = b.which(page);
    if (ghost === B1) {
      // Case II: grow T1's target.
      const d = b.size(B1) >= b.size(B2) ? 1 : b.size(B2) / b.size(B1);
      this.p = Math.min(this.p + d, c);
      b.remove(page);
      return this.fetch(T2, page, false);
    }
    if (ghost === B2) {
      // Case III: shrink T1's target.
      const d = b.size(B2) >= b.size(B1) ? 1 : b.size(B1) / b.size(B2);
      this.p = Math.max(this.p - d, 0);
      b.remove(page);
      return this.fetch(T2, page, true);
    }
    // Case IV: a complete miss.
    const l1 = t.size(T1) + b.size(B1);
    if (l1 === c) {
      if (t.size(T1) < c) {
        b.popTail(B1);
      } else {
        // B1 is empty: drop the LRU page of T1 without remembering it.
        const f = t.popTail(T1);
        const victim = this.frames.replace(f, page);
        t.pushHead(T1, f);
        return victim;
      }
    } else {
      const total = l1 + t.size(T2) + b.size(B2);
      if (total >= 2 * c) b.popTail(B2);
    }
    return this.fetch(T1, page, false);
  }

  frameOf(page: number): number {
    return this.frames.frameOf(page);
  }

  /** Drops a resident page (it does not enter a ghost list). */
  remove(page: number): boolean {
    const f = this.frames.release(page);
    if (f < 0) return false;
    this.t.remove(f);
    return true;
  }

  /**
   * Shrinking runs REPLACE (without a new page) until the memory fits: the tail of T1 goes to B1
   * when |T1| > p (or T2 is empty), else the tail of T2 goes to B2. The pages that stay keep
   * their lists and order; p is capped at the new capacity and the ghost lists are trimmed (LRU
   * ends first) to |T1| + |B1| ≤ c and |T1| + |T2| + |B1| + |B2| ≤ 2c.
   */
  resize(capacity: number): number[] {
    checkCapacity(capacity);
    const evicted: number[] = [];
    const t = this.t;
    const b = this.b;
    const pageOf = (f: number): number => this.frames.pageOfFrame[f];
    while (this.frames.size > capacity) {
      const t1 = t.size(T1);
      let f: number;
      if (t1 >= 1 && (t1 > this.p || t.size(T2) === 0)) {
        f = t.popTail(T1);
        b.pushHead(B1, pageOf(f));
      } else {
        f = t.popTail(T2);
        b.pushHead(B2, pageOf(f));
      }
      const page = pageOf(f);
      this.frames.release(page);
      evicted.push(page);
    }
    const t1 = t.toArray(T1).map(pageOf);
    const t2 = t.toArray(T2).map(pageOf);
    this.frames = new FrameTable(capacity);
    this.t = new LinkedLists(2, capacity);
    this.capacity = capacity;
    for (let i = t1.length - 1; i >= 0; i--) this.t.pushHead(T1, this.frames.place(t1[i]));
    for (let i = t2.length - 1; i >= 0; i--) this.t.pushHead(T2, this.frames.place(t2[i]));
    this.p = Math.min(this.p, capacity);
    while (t1.length + b.size(B1) > capacity && b.size(B1) > 0) b.popTail(B1);
    while (t1.length + t2.length + b.size(B1) + b.size(B2) > 2 * capacity && b.size(B2) > 0)
      b.popTail(B2);
    return evicted;
  }

  /** The four lists as page ids, MRU first, and p (for tests and displays). */
  snapshot(): { t1: number[]; t2: number[]; b1: number[]; b2: number[]; p: number } {
    const pageOf = (f: number): number => this.frames.pageOfFrame[f];
    return {
      t1: this.t.toArray(T1).map(pageOf),
      t2: this.t.toArray(T2).map(pageOf),
      b1: this.b.toArray(B1),
      b2: this.b.toArray(B2),
      p: this.p,
    };
  }

  /** Brings `page` into memory at the MRU end of `list`, running REPLACE if memory is full. */
  private fetch(list: number, page: number, inB2: boolean): number {
    if (!this.frames.full) {
      this.t.pushHead(list, this.frames.place(page));
      return -1;
    }
    const t = this.t;
    const t1 = t.size(T1);
    let f: number;
    if (t1 >= 1 && ((inB2 && t1 === this.p) || t1 > this.p)) {
      f = t.popTail(T1);
      this.b.pushHead(B1, this.frames.pageOfFrame[f]);
    } else {
      f = t.popTail(T2);
      this.b.pushHead(B2, this.frames.pageOfFrame[f]);
    }
    const victim = this.frames.replace(f, page);
    t.pushHead(list, f);
    return victim;
  }
}
