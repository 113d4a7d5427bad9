import { growInt32 } from '../util/grow.js';
import { checkCapacity, type PagePolicy, type PolicyName } from './policy.js';

/**
 * Least recently used. A doubly linked list over frames (most recent at `head`) held in
 * Int32Arrays, plus a page → frame map. O(1) per reference, no allocation on the hot path.
 */
export class LruPolicy implements PagePolicy {
  readonly name: PolicyName = 'lru';
  readonly repeatIsHit = true;
  capacity = 0;
  private count = 0;
  private head = -1;
  private tail = -1;
  private prev = new Int32Array(0);
  private next = new Int32Array(0);
  private pageOfFrame = new Int32Array(0);
  /** frameOfPage[page] = frame, or -1 when not resident. */
  private frameOfPage: Int32Array;
  /** Stack of free frames (top at freeTop - 1); the lowest frame is handed out first. */
  private free = new Int32Array(0);
  private freeTop = 0;

  constructor(capacity: number, pageSpace = 1024) {
    checkCapacity(capacity);
    this.frameOfPage = new Int32Array(Math.max(16, pageSpace)).fill(-1);
    this.allocate(capacity);
  }

  private allocate(capacity: number): void {
    this.capacity = capacity;
    this.count = 0;
    this.head = -1;
    this.tail = -1;
    this.prev = new Int32Array(capacity);
    this.next = new Int32Array(capacity);
    this.pageOfFrame = new Int32Array(capacity).fill(-1);
    this.free = new Int32Array(capacity);
    for (let i = 0; i < capacity; i++) this.free[i] = capacity - 1 - i;
    this.freeTop = capacity;
  }

  /** Shrinking evicts the least recently used pages; the rest keep their recency order. */
  resize(capacity: number): number[] {
    checkCapacity(capacity);
    const evicted: number[] = [];
    while (this.count > capacity) {
      const victim = this.lruPage();
      this.remove(victim);
      evicted.push(victim);
    }
    const keep = this.pagesByRecency();
    for (const page of keep) this.frameOfPage[page] = -1;
    this.allocate(capacity);
    for (let i = keep.length - 1; i >= 0; i--) this.insert(keep[i], 0);
    return evicted;
  }

  get size(): number {
    return this.count;
  }

  access(page: number, _index: number): boolean {
    const fop = this.frameOfPage;
    if (page >= fop.length) return false;
    const f = fop[page];
    if (f < 0) return false;
    if (f !== this.head) {
      const prev = this.prev;
      const next = this.next;
      // Unlink (f is not the head, so it has a predecessor).
      const p = prev[f];
      const n = next[f];
      next[p] = n;
      if (n >= 0) prev[n] = p;
      else this.tail = p;
      // Link at the head.
      prev[f] = -1;
      next[f] = this.head;
      prev[this.head] = f;
      this.head = f;
    }
    return true;
  }

  insert(page: number, _index: number): number {
    if (this.capacity === 0) return page;
    if (page >= this.frameOfPage.length)
      this.frameOfPage = growInt32(this.frameOfPage, page + 1, -1);
    let victim = -1;
    let f: number;
    if (this.freeTop > 0) {
      f = this.free[--this.freeTop];
      this.count++;
    } else {
      // Evict the tail and reuse its frame.
      f = this.tail;
      victim = this.pageOfFrame[f];
      this.frameOfPage[victim] = -1;
      const p = this.prev[f];
      this.tail = p;
      if (p >= 0) this.next[p] = -1;
      else this.head = -1;
    }
    this.pageOfFrame[f] = page;
    this.frameOfPage[page] = f;
    this.prev[f] = -1;
    this.next[f] = this.head;
    if (this.head >= 0) this.prev[this.head] = f;
    else this.tail = f;
    this.head = f;
    return victim;
  }

  frameOf(page: number): number {
    return page < this.frameOfPage.length ? this.frameOfPage[page] : -1;
  }

  remove(page: number): boolean {
    const f = this.frameOf(page);
    if (f < 0) return false;
    const p = this.prev[f];
    const n = this.next[f];
    if (p >= 0) this.next[p] = n;
    else this.head = n;
    if (n >= 0) this.prev[n] = p;
    else this.tail = p;
    this.frameOfPage[page] = -1;
    this.pageOfFrame[f] = -1;
    this.free[this.freeTop++] = f;
    this.count--;
    return true;
  }

  /** Resident pages from most to least recently used (for tests and small displays). */
  pagesByRecency(): number[] {
    const out: number[] = [];
    for (let f = this.head; f >= 0; f = this.next[f]) out.push(this.pageOfFrame[f]);
    return out;
  }

  /** The page that would be evicted next, or -1 when empty. */
  lruPage(): number {
    return this.tail >= 0 ? this.pageOfFrame[this.tail] : -1;
  }
}
