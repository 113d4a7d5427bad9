import { growInt32 } from '../util/grow.js';
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
 * Where each page is lives in one array over the page space (a frame, a ghost slot, or neither),
 * so a reference touches one word of it; the ghost lists run over ghost slots (at most 2c of them,
 * reused), not over page ids, so they stay as small as the cache.
 *
 * `access` is case I; `insert` is cases II–IV. REPLACE is only run when memory is full, which
 * is always the case in the paper (its invariants guarantee it) and keeps `remove` safe: a
 * removed page leaves T1/T2 without entering a ghost list, and the next insert fills its frame.
 */
export class ArcPolicy implements PagePolicy {
  readonly name: PolicyName = 'arc';
  capacity: number;
  /** slotOfPage[page]: its frame (≥ 0) while resident, -2 - g while in ghost slot g, else -1. */
  private slotOfPage: Int32Array;
  private pageOfFrame!: Int32Array;
  private freeFrames!: Int32Array;
  private freeFrameTop = 0;
  private t!: LinkedLists;
  /** B1 and B2 over ghost slots; pageOfGhost[g] is the page remembered in slot g. */
  private readonly b: LinkedLists;
  private pageOfGhost: Int32Array = new Int32Array(64);
  private freeGhosts: Int32Array = new Int32Array(64);
  private freeGhostTop = 0;
  private ghostSlots = 0;
  private p = 0;

  constructor(capacity: number, pageSpace = 1024) {
    checkCapacity(capacity);
    this.capacity = capacity;
    this.slotOfPage = new Int32Array(Math.max(16, pageSpace)).fill(-1);
    this.emptyFrames(capacity);
    this.b = new LinkedLists(2, 64);
  }

  /** `capacity` free frames (handed out lowest first) and empty T1/T2. */
  private emptyFrames(capacity: number): void {
    this.capacity = capacity;
    this.pageOfFrame = new Int32Array(capacity).fill(-1);
    this.freeFrames = new Int32Array(capacity);
    for (let i = 0; i < capacity; i++) this.freeFrames[i] = capacity - 1 - i;
    this.freeFrameTop = capacity;
    this.t = new LinkedLists(2, capacity);
  }

  get size(): number {
    return this.capacity - this.freeFrameTop;
  }

  /** The adaptive target size of T1. */
  get target(): number {
    return this.p;
  }

  access(page: number, _index: number): boolean {
    const sop = this.slotOfPage;
    if (page >= sop.length) return false;
    const f = sop[page];
    if (f < 0) return false;
    this.t.moveToHead(T2, f); // case I
    return true;
  }

  insert(page: number, _index: number): number {
    const c = this.capacity;
    if (c === 0) return page;
    if (page >= this.slotOfPage.length) this.slotOfPage = growInt32(this.slotOfPage, page + 1, -1);
    const t = this.t;
    const b = this.b;
    const at = this.slotOfPage[page];
    if (at <= -2) {
      const g = -2 - at;
      const ghost = b.which(g);
      const s1 = b.size(B1);
      const s2 = b.size(B2);
      this.forget(g);
      if (ghost === B1) {
        // Case II: grow T1's target.
        this.p = Math.min(this.p + (s1 >= s2 ? 1 : s2 / s1), c);
        return this.fetch(T2, page, false);
      }
      // Case III: shrink T1's target.
      this.p = Math.max(this.p - (s2 >= s1 ? 1 : s1 / s2), 0);
      return this.fetch(T2, page, true);
    }
    // Case IV: a complete miss.
    const l1 = t.size(T1) + b.size(B1);
    if (l1 === c) {
      if (t.size(T1) < c) {
        this.forget(b.tail(B1));
      } else {
        // B1 is empty: drop the LRU page of T1 without remembering it.
        const f = t.popTail(T1);
        const victim = this.pageOfFrame[f];
        this.slotOfPage[victim] = -1;
        this.bind(f, page);
        t.pushHead(T1, f);
        return victim;
      }
    } else {
      const total = l1 + t.size(T2) + b.size(B2);
      if (total >= 2 * c && b.size(B2) > 0) this.forget(b.tail(B2));
    }
    return this.fetch(T1, page, false);
  }

  frameOf(page: number): number {
    const f = page < this.slotOfPage.length ? this.slotOfPage[page] : -1;
    return f >= 0 ? f : -1;
  }

  /** Drops a resident page (it does not enter a ghost list). */
  remove(page: number): boolean {
    const f = this.frameOf(page);
    if (f < 0) return false;
    this.slotOfPage[page] = -1;
    this.pageOfFrame[f] = -1;
    this.freeFrames[this.freeFrameTop++] = f;
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
    while (this.size > capacity) {
      const t1 = t.size(T1);
      let f: number;
      if (t1 >= 1 && (t1 > this.p || t.size(T2) === 0)) {
        f = t.popTail(T1);
        this.remember(B1, this.pageOfFrame[f]);
      } else {
        f = t.popTail(T2);
        this.remember(B2, this.pageOfFrame[f]);
      }
      evicted.push(this.pageOfFrame[f]);
      this.pageOfFrame[f] = -1;
      this.freeFrames[this.freeFrameTop++] = f;
    }
    const t1 = t.toArray(T1).map((f) => this.pageOfFrame[f]);
    const t2 = t.toArray(T2).map((f) => this.pageOfFrame[f]);
    for (const page of t1) this.slotOfPage[page] = -1;
    for (const page of t2) this.slotOfPage[page] = -1;
    this.emptyFrames(capacity);
    for (let i = t1.length - 1; i >= 0; i--) this.t.pushHead(T1, this.place(t1[i]));
    for (let i = t2.length - 1; i >= 0; i--) this.t.pushHead(T2, this.place(t2[i]));
    this.p = Math.min(this.p, capacity);
    const b = this.b;
    while (t1.length + b.size(B1) > capacity && b.size(B1) > 0) this.forget(b.tail(B1));
    while (t1.length + t2.length + b.size(B1) + b.size(B2) > 2 * capacity && b.size(B2) > 0)
      this.forget(b.tail(B2));
    return evicted;
  }

  /** The four lists as page ids, MRU first, and p (for tests and displays). */
  snapshot(): { t1: number[]; t2: number[]; b1: number[]; b2: number[]; p: number } {
    const ofFrame = (f: number): number => this.pageOfFrame[f];
    const ofGhost = (g: number): number => this.pageOfGhost[g];
    return {
      t1: this.t.toArray(T1).map(ofFrame),
      t2: this.t.toArray(T2).map(ofFrame),
      b1: this.b.toArray(B1).map(ofGhost),
      b2: this.b.toArray(B2).map(ofGhost),
      p: this.p,
    };
  }

  /** Brings `page` into memory at the MRU end of `list`, running REPLACE if memory is full. */
  private fetch(list: number, page: number, inB2: boolean): number {
    if (this.freeFrameTop > 0) {
      this.t.pushHead(list, this.place(page));
      return -1;
    }
    const t = this.t;
    const t1 = t.size(T1);
    let f: number;
    if (t1 >= 1 && ((inB2 && t1 === this.p) || t1 > this.p)) {
      f = t.popTail(T1);
      this.remember(B1, this.pageOfFrame[f]);
    } else {
      f = t.popTail(T2);
      this.remember(B2, this.pageOfFrame[f]);
    }
    const victim = this.pageOfFrame[f];
    this.bind(f, page);
    t.pushHead(list, f);
    return victim;
  }

  /** Puts a non-resident page into a free frame (the caller checked one exists); returns it. */
  private place(page: number): number {
    const f = this.freeFrames[--this.freeFrameTop];
    this.bind(f, page);
    return f;
  }

  private bind(f: number, page: number): void {
    this.slotOfPage[page] = f;
    this.pageOfFrame[f] = page;
  }

  /** Puts a page that just left memory at the head of ghost list `list`. */
  private remember(list: number, page: number): void {
    let g: number;
    if (this.freeGhostTop > 0) {
      g = this.freeGhosts[--this.freeGhostTop];
    } else {
      g = this.ghostSlots++;
      if (g >= this.pageOfGhost.length) {
        this.pageOfGhost = growInt32(this.pageOfGhost, 2 * g, -1);
        this.freeGhosts = growInt32(this.freeGhosts, 2 * g, 0);
      }
    }
    this.pageOfGhost[g] = page;
    this.slotOfPage[page] = -2 - g;
    this.b.pushHead(list, g);
  }

  /** Drops ghost slot g from its list; its page is remembered no more. */
  private forget(g: number): void {
    this.b.remove(g);
    this.slotOfPage[this.pageOfGhost[g]] = -1;
    this.pageOfGhost[g] = -1;
    this.freeGhosts[this.freeGhostTop++] = g;
  }
}
