import { growInt32 } from './grow.js';

/** Number of set bits of a 32-bit integer. */
function popcount(x: number): number {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  x = (x + (x >>> 4)) & 0x0f0f0f0f;
  return Math.imul(x, 0x01010101) >>> 24;
}

/**
 * A set of integer keys ordered by the time each was last touched, answering "how many keys
 * were touched more recently than this one?" in O(log n).
 *
 * This is the order-statistics structure behind Mattson's stack algorithm (the rank of a key is
 * its LRU stack distance minus one), the exclusive cache's LRU-by-insertion positions and the
 * ghost list. Each touch takes a fresh stamp; a bit per stamp says whether it is live, and a
 * Fenwick tree over blocks of 32 stamps counts the dead ones (a 32nd of the stamps: it stays in
 * cache where a tree over every stamp does not; a count inside a block is one popcount). Counting
 * the dead rather than the live makes a new stamp free (it is born live: no tree update), so a
 * touch walks the tree twice (query, then the old stamp's death) instead of three times. When
 * stamps run out the live ones are renumbered in order (compaction), so the structure stays
 * about twice the number of live keys and memory does not grow with trace length.
 */
export class RecencyIndex {
  /** stampOf[key] = current stamp of key, or -1 when absent. */
  private stampOf: Int32Array;
  /** keyAt[stamp] = key that holds the stamp (may be stale: check stampOf). */
  private keyAt: Int32Array;
  /** Bit (stamp & 31) of live[stamp >>> 5] is set when the stamp is live. */
  private live32: Int32Array;
  /** Fenwick tree (1-based) over blocks: the number of dead stamps (below next) of each block. */
  private tree: Int32Array;
  /** Stamps available (a multiple of 32). */
  private cap: number;
  private next = 0;
  private oldestStamp = 0;
  private live = 0;

  constructor(initialCapacity = 1024, keySpace = 1024) {
    this.cap = Math.max(32, Math.ceil(initialCapacity / 32) * 32);
    this.stampOf = new Int32Array(Math.max(16, keySpace)).fill(-1);
    this.keyAt = new Int32Array(this.cap);
    this.live32 = new Int32Array(this.cap >>> 5);
    this.tree = new Int32Array((this.cap >>> 5) + 1);
  }

  get size(): number {
    return this.live;
  }

  has(key: number): boolean {
    return key < this.stampOf.length && this.stampOf[key] >= 0;
  }

  /** Number of live keys touched more recently than `key`, or -1 if absent. */
  rankOf(key: number): number {
    if (key >= this.stampOf.length) return -1;
    const s = this.stampOf[key];
    if (s < 0) return -1;
    return this.live - this.liveUpTo(s);
  }

  /**
   * Moves `key` to the most recent position (adding it if absent) and returns its rank before
   * the move, or -1 if it was absent. One call per reference gives the LRU stack distance - 1.
   */
  touch(key: number): number {
    if (key >= this.stampOf.length) this.stampOf = growInt32(this.stampOf, key + 1, -1);
    const s = this.stampOf[key];
    let rank = -1;
    if (s >= 0) {
      rank = this.live - this.liveUpTo(s);
      this.unset(s);
      this.stampOf[key] = -1;
      this.live--;
    }
    this.append(key);
    return rank;
  }

  /** Removes `key`; returns its rank before removal, or -1 if absent. */
  remove(key: number): number {
    if (key >= this.stampOf.length) return -1;
    const s = this.stampOf[key];
    if (s < 0) return -1;
    const rank = this.live - this.liveUpTo(s);
    this.unset(s);
    this.stampOf[key] = -1;
    this.live--;
    return rank;
  }

  /** The least recently touched key, or -1 when empty. */
  oldest(): number {
    if (this.live === 0) return -1;
    const stampOf = this.stampOf;
    const keyAt = this.keyAt;
    let s = this.oldestStamp;
    while (stampOf[keyAt[s]] !== s) s++;
    this.oldestStamp = s;
    return keyAt[s];
  }

  /** Removes and returns the least recently touched key, or -1 when empty. */
  popOldest(): number {
    const key = this.oldest();
    if (key >= 0) this.remove(key);
    return key;
  }

  /** Keys from most to least recent (for tests and small displays). */
  keysByRecency(): number[] {
    const out: number[] = [];
    for (let s = this.next - 1; s >= this.oldestStamp && s >= 0; s--) {
      const k = this.keyAt[s];
      if (this.stampOf[k] === s) out.push(k);
    }
    return out;
  }

  private append(key: number): void {
    if (this.next === this.cap) this.compact();
    const s = this.next++;
    this.stampOf[key] = s;
    this.keyAt[s] = key;
    const w = s >>> 5;
    this.live32[w] |= 1 << (s & 31);
    this.live++;
  }

  /** Number of live stamps ≤ s (s < next: every stamp below next is live or dead). */
  private liveUpTo(s: number): number {
    const w = s >>> 5;
    const r = s & 31;
    let dead = r + 1 - popcount(this.live32[w] & ((2 << r) - 1));
    const tree = this.tree;
    for (let i = w; i > 0; i -= i & -i) dead += tree[i];
    return s + 1 - dead;
  }

  /** Marks live stamp s dead. */
  private unset(s: number): void {
    const w = s >>> 5;
    this.live32[w] &= ~(1 << (s & 31));
    const tree = this.tree;
    const n = tree.length - 1;
    for (let i = w + 1; i <= n; i += i & -i) tree[i]++;
  }

  /**
   * Renumbers live stamps 0..live-1 in order and rebuilds the counts in O(cap), in place unless
   * the live keys fill over half the stamps (then the capacity doubles).
   */
  private compact(): void {
    const live = this.live;
    const grow = live * 2 > this.cap;
    const cap = grow ? this.cap * 2 : this.cap;
    const old = this.keyAt;
    // In place is safe: the j-th live stamp is at or after stamp j.
    const keyAt = grow ? new Int32Array(cap) : old;
    const stampOf = this.stampOf;
    let j = 0;
    for (let s = this.oldestStamp; s < this.next; s++) {
      const k = old[s];
      if (stampOf[k] === s) {
        stampOf[k] = j;
        keyAt[j++] = k;
      }
    }
    // Stamps 0..live-1 live: full blocks, then the bits of a partial one.
    const blocks = cap >>> 5;
    const live32 = grow ? new Int32Array(blocks) : this.live32.fill(0);
    const full = live >>> 5;
    live32.fill(-1, 0, full);
    if ((live & 31) !== 0) live32[full] = (1 << (live & 31)) - 1;
    // Stamps below next are all live now: no dead ones to count.
    const tree = grow ? new Int32Array(blocks + 1) : this.tree.fill(0);
    this.keyAt = keyAt;
    this.live32 = live32;
    this.tree = tree;
    this.cap = cap;
    this.next = j;
    this.oldestStamp = 0;
  }
}
