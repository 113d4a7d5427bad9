import { growInt32 } from '../util/grow.js';
import { checkCapacity, type PagePolicy, type PolicyName } from './policy.js';

const T1 = 0;
const T2 = 1;
const B1 = 0;
const B2 = 1;
/** Frames and ghost slots (up to 2c) are kept as 2i + list in one int32: at most 2^29 − 1 frames. */
const MAX_FRAMES = 2 ** 29 - 1;

/**
 * Adaptive Replacement Cache (Megiddo & Modha, FAST 2003, Fig. 4). T1/T2 are lists of frames
 * (resident pages), B1/B2 ghost lists of page ids; p is the adaptive target size of T1.
 *
 * Where each page is lives in one array over the page space (its frame and list, or its ghost
 * slot and list, or neither), so a reference reads one word of it and a hit then touches only the
 * frame's two links and its neighbours'. The four lists are kept here over two link arrays rather
 * than in LinkedLists, which stores each node's list beside its links and whose calls V8 did not
 * inline into insert: 10 M references of the bench's Zipf trace at 100,000 frames took about 25 %
 * less time this way (medians of alternating runs). The ghost lists run over ghost slots (at most
 * 2c of them, reused), not over page ids, so they stay as small as the cache.
 *
 * `access` is case I; `insert` is cases II–IV. REPLACE is only run when memory is full, which
 * is always the case in the paper (its invariants guarantee it) and keeps `remove` safe: a
 * removed page leaves T1/T2 without entering a ghost list, and the next insert fills its frame.
 */
export class ArcPolicy implements PagePolicy {
  readonly name: PolicyName = 'arc';
  capacity: number;
  /**
   * slotOfPage[page]: 2f + list while resident in frame f of T1 or T2, -2 - (2g + list) while
   * remembered in ghost slot g of B1 or B2, else -1.
   */
  private slotOfPage: Int32Array;
  private pageOfFrame!: Int32Array;
  /** links[2f] = previous (more recent) frame of f in its list, links[2f + 1] = next; -1 at the ends. */
  private links!: Int32Array;
  private head1 = -1;
  private tail1 = -1;
  private size1 = 0;
  private head2 = -1;
  private tail2 = -1;
  private size2 = 0;
  private freeFrames!: Int32Array;
  private freeFrameTop = 0;
  /** B1 and B2 over ghost slots, linked as frames are; pageOfGhost[g] is the page in slot g. */
  private ghostLinks: Int32Array = new Int32Array(128).fill(-1);
  private ghostHead1 = -1;
  private ghostTail1 = -1;
  private ghostSize1 = 0;
  private ghostHead2 = -1;
  private ghostTail2 = -1;
  private ghostSize2 = 0;
  private pageOfGhost: Int32Array = new Int32Array(64);
  private freeGhosts: Int32Array = new Int32Array(64);
  private freeGhostTop = 0;
  private ghostSlots = 0;
  private p = 0;

  constructor(capacity: number, pageSpace = 1024) {
    checkArcCapacity(capacity);
    this.capacity = capacity;
    this.slotOfPage = new Int32Array(Math.max(16, pageSpace)).fill(-1);
    this.emptyFrames(capacity);
  }

  /** `capacity` free frames (handed out lowest first) and empty T1/T2. */
  private emptyFrames(capacity: number): void {
    this.capacity = capacity;
    this.pageOfFrame = new Int32Array(capacity).fill(-1);
    this.links = new Int32Array(2 * capacity).fill(-1);
    this.freeFrames = new Int32Array(capacity);
    for (let i = 0; i < capacity; i++) this.freeFrames[i] = capacity - 1 - i;
    this.freeFrameTop = capacity;
    this.head1 = this.tail1 = this.head2 = this.tail2 = -1;
    this.size1 = this.size2 = 0;
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
    const s = sop[page];
    if (s < 0) return false;
    // Case I: to the MRU end of T2.
    const f = s >> 1;
    if (f === this.head2) return true;
    const list = s & 1;
    this.unlink(list, f);
    if (list === T1) sop[page] = s | T2;
    this.pushHead(T2, f);
    return true;
  }

  insert(page: number, _index: number): number {
    const c = this.capacity;
    if (c === 0) return page;
    if (page >= this.slotOfPage.length) this.slotOfPage = growInt32(this.slotOfPage, page + 1, -1);
    const at = this.slotOfPage[page];
    if (at <= -2) {
      const s1 = this.ghostSize1;
      const s2 = this.ghostSize2;
      const ghost = (-2 - at) & 1;
      this.forget(ghost, (-2 - at) >> 1);
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
    const l1 = this.size1 + this.ghostSize1;
    if (l1 === c) {
      if (this.size1 < c) {
        this.forget(B1, this.ghostTail1);
      } else {
        // B1 is empty: drop the LRU page of T1 without remembering it.
        const f = this.popTail(T1);
        const victim = this.pageOfFrame[f];
        this.slotOfPage[victim] = -1;
        this.bind(f, T1, page);
        this.pushHead(T1, f);
        return victim;
      }
    } else {
      const total = l1 + this.size2 + this.ghostSize2;
      if (total >= 2 * c && this.ghostSize2 > 0) this.forget(B2, this.ghostTail2);
    }
    return this.fetch(T1, page, false);
  }

  frameOf(page: number): number {
    const s = page < this.slotOfPage.length ? this.slotOfPage[page] : -1;
    return s >= 0 ? s >> 1 : -1;
  }

  /** Drops a resident page (it does not enter a ghost list). */
  remove(page: number): boolean {
    const s = page < this.slotOfPage.length ? this.slotOfPage[page] : -1;
    if (s < 0) return false;
    const f = s >> 1;
    this.unlink(s & 1, f);
    this.slotOfPage[page] = -1;
    this.pageOfFrame[f] = -1;
    this.freeFrames[this.freeFrameTop++] = f;
    return true;
  }

  /**
   * Shrinking runs REPLACE (without a new page) until the memory fits: the tail of T1 goes to B1
   * when |T1| > p (or T2 is empty), else the tail of T2 goes to B2. The pages that stay keep
   * their lists and order; p is capped at the new capacity and the ghost lists are trimmed (LRU
   * ends first) to |T1| + |B1| ≤ c and |T1| + |T2| + |B1| + |B2| ≤ 2c.
   */
  resize(capacity: number): number[] {
    checkArcCapacity(capacity);
    const evicted: number[] = [];
    while (this.size > capacity) {
      let f: number;
      if (this.size1 >= 1 && (this.size1 > this.p || this.size2 === 0)) {
        f = this.popTail(T1);
        this.remember(B1, this.pageOfFrame[f]);
      } else {
        f = this.popTail(T2);
        this.remember(B2, this.pageOfFrame[f]);
      }
      evicted.push(this.pageOfFrame[f]);
      this.pageOfFrame[f] = -1;
      this.freeFrames[this.freeFrameTop++] = f;
    }
    const t1 = this.list(T1).map((f) => this.pageOfFrame[f]);
    const t2 = this.list(T2).map((f) => this.pageOfFrame[f]);
    for (const page of t1) this.slotOfPage[page] = -1;
    for (const page of t2) this.slotOfPage[page] = -1;
    this.emptyFrames(capacity);
    for (let i = t1.length - 1; i >= 0; i--) this.pushHead(T1, this.place(T1, t1[i]));
    for (let i = t2.length - 1; i >= 0; i--) this.pushHead(T2, this.place(T2, t2[i]));
    this.p = Math.min(this.p, capacity);
    while (t1.length + this.ghostSize1 > capacity && this.ghostSize1 > 0)
      this.forget(B1, this.ghostTail1);
    while (
      t1.length + t2.length + this.ghostSize1 + this.ghostSize2 > 2 * capacity &&
      this.ghostSize2 > 0
    )
      this.forget(B2, this.ghostTail2);
    return evicted;
  }

  /** The four lists as page ids, MRU first, and p (for tests and displays). */
  snapshot(): { t1: number[]; t2: number[]; b1: number[]; b2: number[]; p: number } {
    const ofFrame = (f: number): number => this.pageOfFrame[f];
    const ofGhost = (g: number): number => this.pageOfGhost[g];
    return {
      t1: this.list(T1).map(ofFrame),
      t2: this.list(T2).map(ofFrame),
      b1: this.ghosts(B1).map(ofGhost),
      b2: this.ghosts(B2).map(ofGhost),
      p: this.p,
    };
  }

  /** Frames of T1 or T2, MRU first. */
  private list(list: number): number[] {
    const out: number[] = [];
    for (let f = list === T1 ? this.head1 : this.head2; f >= 0; f = this.links[2 * f + 1])
      out.push(f);
    return out;
  }

  /** Ghost slots of B1 or B2, MRU first. */
  private ghosts(list: number): number[] {
    const out: number[] = [];
    for (
      let g = list === B1 ? this.ghostHead1 : this.ghostHead2;
      g >= 0;
      g = this.ghostLinks[2 * g + 1]
    )
      out.push(g);
    return out;
  }

  /** Links frame f (in no list) at the MRU end of T1 or T2. */
  private pushHead(list: number, f: number): void {
    const links = this.links;
    const h = list === T1 ? this.head1 : this.head2;
    links[2 * f] = -1;
    links[2 * f + 1] = h;
    if (list === T1) {
      if (h >= 0) links[2 * h] = f;
      else this.tail1 = f;
      this.head1 = f;
      this.size1++;
    } else {
      if (h >= 0) links[2 * h] = f;
      else this.tail2 = f;
      this.head2 = f;
      this.size2++;
    }
  }

  /** Unlinks frame f from T1 or T2 (the list it is in). */
  private unlink(list: number, f: number): void {
    const links = this.links;
    const prev = links[2 * f];
    const next = links[2 * f + 1];
    if (prev >= 0) links[2 * prev + 1] = next;
    else if (list === T1) this.head1 = next;
    else this.head2 = next;
    if (next >= 0) links[2 * next] = prev;
    else if (list === T1) this.tail1 = prev;
    else this.tail2 = prev;
    if (list === T1) this.size1--;
    else this.size2--;
  }

  /** Unlinks and returns the LRU frame of T1 or T2 (the caller checked it is not empty). */
  private popTail(list: number): number {
    const f = list === T1 ? this.tail1 : this.tail2;
    this.unlink(list, f);
    return f;
  }

  /** Brings `page` into memory at the MRU end of `list`, running REPLACE if memory is full. */
  private fetch(list: number, page: number, inB2: boolean): number {
    if (this.freeFrameTop > 0) {
      this.pushHead(list, this.place(list, page));
      return -1;
    }
    const t1 = this.size1;
    let f: number;
    if (t1 >= 1 && ((inB2 && t1 === this.p) || t1 > this.p)) {
      f = this.popTail(T1);
      this.remember(B1, this.pageOfFrame[f]);
    } else {
      f = this.popTail(T2);
      this.remember(B2, this.pageOfFrame[f]);
    }
    const victim = this.pageOfFrame[f];
    this.bind(f, list, page);
    this.pushHead(list, f);
    return victim;
  }

  /** Puts a non-resident page into a free frame (the caller checked one exists); returns it. */
  private place(list: number, page: number): number {
    const f = this.freeFrames[--this.freeFrameTop];
    this.bind(f, list, page);
    return f;
  }

  private bind(f: number, list: number, page: number): void {
    this.slotOfPage[page] = 2 * f + list;
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
        this.ghostLinks = growInt32(this.ghostLinks, 4 * g, -1);
      }
    }
    this.pageOfGhost[g] = page;
    this.slotOfPage[page] = -2 - (2 * g + list);
    const links = this.ghostLinks;
    const h = list === B1 ? this.ghostHead1 : this.ghostHead2;
    links[2 * g] = -1;
    links[2 * g + 1] = h;
    if (h >= 0) links[2 * h] = g;
    if (list === B1) {
      if (h < 0) this.ghostTail1 = g;
      this.ghostHead1 = g;
      this.ghostSize1++;
    } else {
      if (h < 0) this.ghostTail2 = g;
      this.ghostHead2 = g;
      this.ghostSize2++;
    }
  }

  /** Drops ghost slot g from ghost list `list`; its page is remembered no more. */
  private forget(list: number, g: number): void {
    const links = this.ghostLinks;
    const prev = links[2 * g];
    const next = links[2 * g + 1];
    if (prev >= 0) links[2 * prev + 1] = next;
    else if (list === B1) this.ghostHead1 = next;
    else this.ghostHead2 = next;
    if (next >= 0) links[2 * next] = prev;
    else if (list === B1) this.ghostTail1 = prev;
    else this.ghostTail2 = prev;
    if (list === B1) this.ghostSize1--;
    else this.ghostSize2--;
    this.slotOfPage[this.pageOfGhost[g]] = -1;
    this.pageOfGhost[g] = -1;
    this.freeGhosts[this.freeGhostTop++] = g;
  }
}

/** Throws unless `capacity` is a whole number of frames from 0 to 2^29 − 1. */
function checkArcCapacity(capacity: number): void {
  checkCapacity(capacity);
  if (capacity > MAX_FRAMES)
    throw new RangeError(`bad capacity ${capacity}: ARC keeps at most ${MAX_FRAMES} frames`);
}
