import { growInt32 } from './grow.js';

/**
 * A set of integer keys ordered by the time each was last touched, answering "how many keys
 * were touched more recently than this one?" in O(log n).
 *
 * This is the order-statistics structure behind Mattson's stack algorithm (the rank of a key is
 * its LRU stack distance minus one), the exclusive cache's LRU-by-insertion positions and the
 * ghost list. Each touch takes a fresh stamp; a Fenwick tree over stamps holds a 1 for every
 * live stamp. When stamps run out the live ones are renumbered in order (compaction), so the
 * tree stays about twice the number of live keys and memory does not grow with trace length.
 */
export class RecencyIndex {
  /** stampOf[key] = current stamp of key, or -1 when absent. */
  private stampOf: Int32Array;
  /** keyAt[stamp] = key that holds the stamp (may be stale: check stampOf). */
  private keyAt: Int32Array;
  /** Fenwick tree (1-based) over stamps 0..cap-1. */
  private tree: Int32Array;
  private cap: number;
  private next = 0;
  private oldestStamp = 0;
  private live = 0;

  constructor(initialCapacity = 1024, keySpace = 1024) {
    this.cap = Math.max(16, initialCapacity);
    this.stampOf = new Int32Array(Math.max(16, keySpace)).fill(-1);
    this.keyAt = new Int32Array(this.cap);
    this.tree = new Int32Array(this.cap + 1);
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
    return this.live - this.prefix(s + 1);
  }

  /**
   * Moves `key` to the most recent position (adding it if absent) and returns its rank before
   * the move, or -1 if it was absent. One call per reference gives the LRU stack distance - 1.
   */
  touch(key: number): number {
    let rank = -1;
    if (key >= this.stampOf.length) this.stampOf = growInt32(this.stampOf, key + 1, -1);
    const s = this.stampOf[key];
    if (s >= 0) {
      // Inline prefix(s + 1) and the removal at s.
      const tree = this.tree;
      let sum = 0;
      for (let i = s + 1; i > 0; i -= i & -i) sum += tree[i];
      rank = this.live - sum;
      const n = this.cap;
      for (let i = s + 1; i <= n; i += i & -i) tree[i]--;
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
    const rank = this.live - this.prefix(s + 1);
    this.add(s, -1);
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
    const tree = this.tree;
    const n = this.cap;
    for (let i = s + 1; i <= n; i += i & -i) tree[i]++;
    this.live++;
  }

  private prefix(end: number): number {
    const tree = this.tree;
    let sum = 0;
    for (let i = end; i > 0; i -= i & -i) sum += tree[i];
    return sum;
  }

  private add(s: number, delta: number): void {
    const tree = this.tree;
    const n = this.cap;
    for (let i = s + 1; i <= n; i += i & -i) tree[i] += delta;
  }

  /** Renumbers live stamps 0..live-1 in order and rebuilds the tree in O(cap). */
  private compact(): void {
    const live = this.live;
    let cap = this.cap;
    if (live * 2 > cap) cap *= 2;
    const keyAt = new Int32Array(cap);
    const stampOf = this.stampOf;
    let j = 0;
    for (let s = this.oldestStamp; s < this.next; s++) {
      const k = this.keyAt[s];
      if (stampOf[k] === s) {
        stampOf[k] = j;
        keyAt[j++] = k;
      }
    }
    // Fenwick tree of ones at 0..live-1: tree[i] = count of ones in (i - lowbit(i), i].
    const tree = new Int32Array(cap + 1);
    for (let i = 1; i <= cap; i++) {
      const lo = i - (i & -i);
      tree[i] = Math.max(0, Math.min(i, live) - lo);
    }
    this.keyAt = keyAt;
    this.tree = tree;
    this.cap = cap;
    this.next = j;
    this.oldestStamp = 0;
  }
}
