import { growInt32 } from '../util/grow.js';
import { LinkedLists } from './linked-lists.js';
import { PageSlots } from './page-slots.js';
import { checkCapacity, type PagePolicy, type PolicyName } from './policy.js';

const SMALL = 0;
const MAIN = 1;
const GHOST = 2;

/**
 * S3-FIFO (Yang et al., "FIFO queues are all you need for cache eviction", SOSP 2023) as
 * libCacheSim's S3FIFO.c (commit aa0fc40, defaults fifo-size-ratio=0.10, ghost-size-ratio=0.90,
 * move-to-main-threshold=2): a small FIFO S of floor(0.1·C) pages, a main FIFO M of the rest
 * and a ghost FIFO G of floor(0.9·C) ids. A miss whose id is in G enters M, any other miss S;
 * a hit adds one to the page's count. Evicting from S: its oldest page moves to M (count reset)
 * if its count is ≥ 2, else it leaves for G; from M (when M is over its share or S is empty):
 * the oldest page is reinserted with count min(count, 3) − 1 while its count is ≥ 1, else
 * evicted. As in libCacheSim, a page only enters S if S holds at least two pages, so with
 * C < 20 nothing is ever cached.
 */
export class S3FifoPolicy implements PagePolicy {
  readonly name: PolicyName = 's3fifo';
  capacity: number;
  private readonly slots: PageSlots;
  private readonly lists: LinkedLists;
  private freq: Int32Array;
  private smallSize = 0;
  private mainSize = 0;
  private ghostSize = 0;

  constructor(capacity: number, pageSpace = 1024) {
    if (!Number.isInteger(capacity) || capacity < 0)
      throw new RangeError(`bad capacity ${capacity}`);
    this.capacity = capacity;
    this.slots = new PageSlots(pageSpace);
    this.lists = new LinkedLists(3, pageSpace);
    this.freq = new Int32Array(Math.max(16, pageSpace));
    this.setShares(capacity);
  }

  private setShares(capacity: number): void {
    this.smallSize = Math.floor(capacity * 0.1);
    this.mainSize = capacity - this.smallSize;
    this.ghostSize = Math.floor(capacity * 0.9);
  }

  /** The shares follow the new capacity; shrinking evicts as a miss would, one page at a time. */
  resize(capacity: number): number[] {
    checkCapacity(capacity);
    this.capacity = capacity;
    this.setShares(capacity);
    const lists = this.lists;
    const out: number[] = [];
    while (lists.size(SMALL) + lists.size(MAIN) > capacity) {
      const v =
        lists.size(MAIN) > this.mainSize || lists.size(SMALL) === 0
          ? this.evictMain()
          : this.evictSmall();
      if (v >= 0) out.push(v);
    }
    while (lists.size(GHOST) > this.ghostSize) lists.popTail(GHOST);
    this.slots.renumber();
    return out;
  }

  get size(): number {
    return this.slots.size;
  }

  access(page: number, _index: number): boolean {
    if (!this.slots.has(page)) return false;
    this.freq[page]++;
    return true;
  }

  insert(page: number, _index: number): number {
    const lists = this.lists;
    const ghostHit = lists.which(page) === GHOST;
    if (!ghostHit && this.smallSize <= 1) return page;
    if (ghostHit) lists.remove(page);
    let victim = -1;
    while (victim < 0 && lists.size(SMALL) + lists.size(MAIN) + 1 > this.capacity) {
      if (lists.size(MAIN) > this.mainSize || lists.size(SMALL) === 0) victim = this.evictMain();
      else victim = this.evictSmall();
    }
    if (page >= this.freq.length) this.freq = growInt32(this.freq, page + 1);
    this.freq[page] = 0;
    lists.pushHead(ghostHit ? MAIN : SMALL, page);
    this.slots.take(page);
    return victim;
  }

  frameOf(page: number): number {
    return this.slots.frameOf(page);
  }

  remove(page: number): boolean {
    if (!this.slots.has(page)) return false;
    this.lists.remove(page);
    this.slots.release(page);
    return true;
  }

  private evictSmall(): number {
    const lists = this.lists;
    while (lists.size(SMALL) > 0) {
      const t = lists.popTail(SMALL);
      if (this.freq[t] >= 2) {
        this.freq[t] = 0;
        lists.pushHead(MAIN, t);
      } else {
        if (this.ghostSize > 0) {
          while (lists.size(GHOST) + 1 > this.ghostSize) lists.popTail(GHOST);
          lists.pushHead(GHOST, t);
        }
        this.slots.release(t);
        return t;
      }
    }
    return -1;
  }

  private evictMain(): number {
    const lists = this.lists;
    for (;;) {
      const t = lists.popTail(MAIN);
      const f = this.freq[t];
      if (f >= 1) {
        this.freq[t] = Math.min(f, 3) - 1;
        lists.pushHead(MAIN, t);
      } else {
        this.slots.release(t);
        return t;
      }
    }
  }
}
