import { growInt32 } from '../util/grow.js';
import { PageSlots } from './page-slots.js';
import { checkCapacity, type PagePolicy, type PolicyName } from './policy.js';

/**
 * LFU, least frequently used, as libCacheSim's LFU.c (commit aa0fc40): a page's count starts at
 * 1 when it is loaded and grows by one per hit (counts are forgotten on eviction, "in-cache
 * LFU"). The victim is the page with the smallest count; among equal counts the one that reached
 * that count first (libCacheSim keeps one FIFO list per count and appends on every change).
 */
export class LfuPolicy implements PagePolicy {
  readonly name: PolicyName = 'lfu';
  capacity: number;
  private readonly slots: PageSlots;
  private freq: Int32Array;
  private prev: Int32Array;
  private next: Int32Array;
  /** Per count: head (oldest) and tail of its list. */
  private readonly heads = new Map<number, number>();
  private readonly tails = new Map<number, number>();
  private minFreq = 1;

  constructor(capacity: number, pageSpace = 1024) {
    if (!Number.isInteger(capacity) || capacity < 0)
      throw new RangeError(`bad capacity ${capacity}`);
    this.capacity = capacity;
    this.slots = new PageSlots(pageSpace);
    this.freq = new Int32Array(Math.max(16, pageSpace));
    this.prev = new Int32Array(this.freq.length);
    this.next = new Int32Array(this.freq.length);
  }

  get size(): number {
    return this.slots.size;
  }

  access(page: number, _index: number): boolean {
    if (!this.slots.has(page)) return false;
    const f = this.freq[page];
    this.unlink(page, f);
    this.append(page, f + 1);
    if (f === this.minFreq && !this.heads.has(f)) this.minFreq = f + 1;
    return true;
  }

  insert(page: number, _index: number): number {
    if (this.capacity === 0) return page;
    let victim = -1;
    if (this.slots.size >= this.capacity) {
      victim = this.lowestHead();
      this.unlink(victim, this.freq[victim]);
      this.slots.release(victim);
    }
    if (page >= this.freq.length) {
      this.freq = growInt32(this.freq, page + 1);
      this.prev = growInt32(this.prev, this.freq.length);
      this.next = growInt32(this.next, this.freq.length);
    }
    this.slots.take(page);
    this.append(page, 1);
    this.minFreq = 1;
    return victim;
  }

  frameOf(page: number): number {
    return this.slots.frameOf(page);
  }

  remove(page: number): boolean {
    if (!this.slots.has(page)) return false;
    this.unlink(page, this.freq[page]);
    this.slots.release(page);
    return true;
  }

  /** Shrinking evicts lowest count first (oldest at that count first), as insert would. */
  resize(capacity: number): number[] {
    checkCapacity(capacity);
    const out: number[] = [];
    while (this.slots.size > capacity) {
      const v = this.lowestHead();
      this.unlink(v, this.freq[v]);
      this.slots.release(v);
      out.push(v);
    }
    this.capacity = capacity;
    this.slots.renumber();
    return out;
  }

  /**
   * Head of the lowest non-empty count list. minFreq never exceeds the true minimum (loads set it
   * to 1, counts only grow), so when its list has emptied the search moves up from it, as
   * libCacheSim's update_min_freq does.
   */
  private lowestHead(): number {
    let f = this.minFreq;
    let h = this.heads.get(f);
    while (h === undefined) h = this.heads.get(++f);
    this.minFreq = f;
    return h;
  }

  private append(page: number, f: number): void {
    this.freq[page] = f;
    const t = this.tails.get(f);
    this.next[page] = -1;
    if (t === undefined) {
      this.prev[page] = -1;
      this.heads.set(f, page);
    } else {
      this.prev[page] = t;
      this.next[t] = page;
    }
    this.tails.set(f, page);
  }

  private unlink(page: number, f: number): void {
    const p = this.prev[page];
    const n = this.next[page];
    if (p >= 0) this.next[p] = n;
    else if (n >= 0) this.heads.set(f, n);
    else this.heads.delete(f);
    if (n >= 0) this.prev[n] = p;
    else if (p >= 0) this.tails.set(f, p);
    else this.tails.delete(f);
  }
}
