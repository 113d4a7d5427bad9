import { LinkedLists } from './linked-lists.js';
import { PageSlots } from './page-slots.js';
import { checkCapacity, type PagePolicy, type PolicyName } from './policy.js';

const AIN = 0;
const AM = 1;
const AOUT = 2;

/**
 * 2Q (Johnson & Shasha, VLDB 1994, "full version") as libCacheSim's TwoQ.c (commit aa0fc40):
 * A1in is a FIFO of floor(0.25·C) pages, Am an LRU of the rest, A1out a FIFO of floor(0.5·C)
 * ghost ids. A miss whose id is in A1out goes to Am, any other miss to A1in; a hit in A1in
 * changes nothing. To make room, A1in's oldest page goes to A1out when A1in is over its share,
 * else Am's LRU page is evicted.
 *
 * Where libCacheSim differs from the paper, this follows libCacheSim: Am has its own limit
 * C − floor(0.25·C), so a ghost hit can evict twice (A1in's oldest, then Am's LRU page); with
 * C < 4 A1in has no room and no page is ever cached.
 */
export class TwoQPolicy implements PagePolicy {
  readonly name: PolicyName = '2q';
  capacity: number;
  private readonly slots: PageSlots;
  private readonly lists: LinkedLists;
  private ainSize = 0;
  private aoutSize = 0;
  private amSize = 0;

  constructor(capacity: number, pageSpace = 1024) {
    if (!Number.isInteger(capacity) || capacity < 0)
      throw new RangeError(`bad capacity ${capacity}`);
    this.capacity = capacity;
    this.slots = new PageSlots(pageSpace);
    this.lists = new LinkedLists(3, pageSpace);
    this.setShares(capacity);
  }

  private setShares(capacity: number): void {
    this.ainSize = Math.floor(capacity * 0.25);
    this.aoutSize = Math.floor(capacity * 0.5);
    this.amSize = capacity - this.ainSize;
  }

  /**
   * The shares follow the new capacity; shrinking then makes room as a miss would (A1in's oldest
   * to A1out while A1in is over its share, else Am's LRU page), and A1out is cut to its share.
   */
  resize(capacity: number): number[] {
    checkCapacity(capacity);
    this.slots.resetVictims();
    this.capacity = capacity;
    this.setShares(capacity);
    const lists = this.lists;
    while (lists.size(AIN) + lists.size(AM) > capacity) {
      if (lists.size(AIN) > this.ainSize || lists.size(AM) === 0) {
        const old = lists.popTail(AIN);
        this.slots.evict(old);
        if (this.aoutSize >= 1) lists.pushHead(AOUT, old);
      } else {
        this.slots.evict(lists.popTail(AM));
      }
    }
    while (lists.size(AOUT) > this.aoutSize) lists.popTail(AOUT);
    const out = this.slots.drainVictims();
    this.slots.renumber();
    return out;
  }

  get size(): number {
    return this.slots.size;
  }

  access(page: number, _index: number): boolean {
    this.slots.resetVictims();
    const l = this.lists.which(page);
    if (l === AIN) return true;
    if (l === AM) {
      this.lists.moveToHead(AM, page);
      return true;
    }
    return false;
  }

  insert(page: number, _index: number): number {
    this.slots.resetVictims();
    if (this.ainSize < 1) return page;
    const lists = this.lists;
    const ghostHit = lists.which(page) === AOUT;
    if (ghostHit) lists.remove(page);
    while (lists.size(AIN) + lists.size(AM) + 1 > this.capacity) {
      if (lists.size(AIN) > this.ainSize) {
        const old = lists.popTail(AIN);
        this.slots.evict(old);
        if (this.aoutSize >= 1) {
          while (lists.size(AOUT) + 1 > this.aoutSize) lists.popTail(AOUT);
          lists.pushHead(AOUT, old);
        }
      } else {
        this.slots.evict(lists.popTail(AM));
      }
    }
    if (ghostHit) {
      while (lists.size(AM) + 1 > this.amSize) this.slots.evict(lists.popTail(AM));
      lists.pushHead(AM, page);
    } else {
      lists.pushHead(AIN, page);
    }
    this.slots.take(page);
    return this.slots.nextVictim();
  }

  nextVictim(): number {
    return this.slots.nextVictim();
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
}
