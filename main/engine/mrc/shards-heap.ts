/**
 * A max-heap of (hash, page) pairs for SHARDS fixed-size sampling: the page with the largest
 * hash is the first one dropped when the sample set is full.
 */
export class HashMaxHeap {
  private hashes: Int32Array;
  private pages: Int32Array;
  private count = 0;

  constructor(capacity = 1024) {
    this.hashes = new Int32Array(Math.max(16, capacity));
    this.pages = new Int32Array(Math.max(16, capacity));
  }

  get size(): number {
    return this.count;
  }

  /** Largest hash in the heap, or -1 when empty. */
  topHash(): number {
    return this.count > 0 ? this.hashes[0] : -1;
  }

  /** Page with the largest hash, or -1 when empty. */
  topPage(): number {
    return this.count > 0 ? this.pages[0] : -1;
  }

  /** Adds a page with a non-negative 31-bit hash. */
  push(hash: number, page: number): void {
    if (this.count === this.hashes.length) this.grow();
    const hashes = this.hashes;
    const pages = this.pages;
    let i = this.count++;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (hashes[parent] >= hash) break;
      hashes[i] = hashes[parent];
      pages[i] = pages[parent];
      i = parent;
    }
    hashes[i] = hash;
    pages[i] = page;
  }

  /** Removes the top entry and returns its page, or -1 when empty. */
  pop(): number {
    if (this.count === 0) return -1;
    const hashes = this.hashes;
    const pages = this.pages;
    const top = pages[0];
    const n = --this.count;
    const hash = hashes[n];
    const page = pages[n];
    let i = 0;
    while (true) {
      let child = 2 * i + 1;
      if (child >= n) break;
      if (child + 1 < n && hashes[child + 1] > hashes[child]) child++;
      if (hashes[child] <= hash) break;
      hashes[i] = hashes[child];
      pages[i] = pages[child];
      i = child;
    }
    hashes[i] = hash;
    pages[i] = page;
    return top;
  }

  private grow(): void {
    const hashes = new Int32Array(this.hashes.length * 2);
    const pages = new Int32Array(this.pages.length * 2);
    hashes.set(this.hashes);
    pages.set(this.pages);
    this.hashes = hashes;
    this.pages = pages;
  }
}
