import { growInt32, growUint8 } from '../util/grow.js';
import { PageSlots } from './page-slots.js';
import { checkCapacity, type PagePolicy, type PolicyName } from './policy.js';

/**
 * SIEVE (Zhang et al., "SIEVE is simpler than LRU", NSDI 2024) as libCacheSim's Sieve.c
 * (commit aa0fc40): one FIFO queue (new pages at the head) and a hand that moves from the tail
 * towards the head. A hit sets the page's visited bit. To evict, the hand (or the tail, when
 * the hand has run off the head) clears visited bits as it moves, wrapping to the tail, and
 * evicts the first unvisited page; the hand stays at that page's head-side neighbour.
 */
export class SievePolicy implements PagePolicy {
  readonly name: PolicyName = 'sieve';
  capacity: number;
  private readonly slots: PageSlots;
  private visited: Uint8Array;
  /** towardHead[p] / towardTail[p]: neighbours in the queue, -1 at the ends. */
  private towardHead: Int32Array;
  private towardTail: Int32Array;
  private head = -1;
  private tail = -1;
  private hand = -1;

  constructor(capacity: number, pageSpace = 1024) {
    if (!Number.isInteger(capacity) || capacity < 0)
      throw new RangeError(`bad capacity ${capacity}`);
    this.capacity = capacity;
    this.slots = new PageSlots(pageSpace);
    const n = Math.max(16, pageSpace);
    this.visited = new Uint8Array(n);
    this.towardHead = new Int32Array(n);
    this.towardTail = new Int32Array(n);
  }

  get size(): number {
    return this.slots.size;
  }

  access(page: number, _index: number): boolean {
    if (!this.slots.has(page)) return false;
    this.visited[page] = 1;
    return true;
  }

  insert(page: number, _index: number): number {
    if (this.capacity === 0) return page;
    const victim = this.slots.size >= this.capacity ? this.evictOne() : -1;
    if (page >= this.visited.length) {
      this.visited = growUint8(this.visited, page + 1);
      this.towardHead = growInt32(this.towardHead, this.visited.length);
      this.towardTail = growInt32(this.towardTail, this.visited.length);
    }
    this.visited[page] = 0;
    this.towardHead[page] = -1;
    this.towardTail[page] = this.head;
    if (this.head >= 0) this.towardHead[this.head] = page;
    else this.tail = page;
    this.head = page;
    this.slots.take(page);
    return victim;
  }

  frameOf(page: number): number {
    return this.slots.frameOf(page);
  }

  remove(page: number): boolean {
    if (!this.slots.has(page)) return false;
    if (this.hand === page) this.hand = this.towardHead[page];
    this.unlink(page);
    this.slots.release(page);
    return true;
  }

  /** Shrinking runs the hand as insert would, once per page too many. */
  resize(capacity: number): number[] {
    checkCapacity(capacity);
    const out: number[] = [];
    while (this.slots.size > capacity) out.push(this.evictOne());
    this.capacity = capacity;
    this.slots.renumber();
    return out;
  }

  private evictOne(): number {
    let p = this.hand < 0 ? this.tail : this.hand;
    while (this.visited[p] !== 0) {
      this.visited[p] = 0;
      p = this.towardHead[p] < 0 ? this.tail : this.towardHead[p];
    }
    this.hand = this.towardHead[p];
    this.unlink(p);
    this.slots.release(p);
    return p;
  }

  private unlink(p: number): void {
    const h = this.towardHead[p];
    const t = this.towardTail[p];
    if (h >= 0) this.towardTail[h] = t;
    else this.head = t;
    if (t >= 0) this.towardHead[t] = h;
    else this.tail = h;
  }
}
