/**
 * A growable ring buffer of (page, generation, time) entries, oldest first: the delayed-writeback
 * queue. Entries are never removed from the middle; stale ones (the page was cleaned and perhaps
 * dirtied again since) are recognised by their generation number and skipped when they reach the
 * head, so every operation is O(1) amortised.
 */
export class DirtyFifo {
  private pages: Int32Array;
  private gens: Int32Array;
  private times: Float64Array;
  private mask: number;
  private head = 0;
  private count = 0;

  constructor(initialCapacity = 1024) {
    let cap = 16;
    while (cap < initialCapacity) cap *= 2;
    this.pages = new Int32Array(cap);
    this.gens = new Int32Array(cap);
    this.times = new Float64Array(cap);
    this.mask = cap - 1;
  }

  get length(): number {
    return this.count;
  }

  push(page: number, gen: number, time: number): void {
    if (this.count > this.mask) this.grow();
    const i = (this.head + this.count) & this.mask;
    this.pages[i] = page;
    this.gens[i] = gen;
    this.times[i] = time;
    this.count++;
  }

  /** Page of the oldest entry (caller checks `length > 0`). */
  headPage(): number {
    return this.pages[this.head];
  }

  headGen(): number {
    return this.gens[this.head];
  }

  headTime(): number {
    return this.times[this.head];
  }

  /** Drops the oldest entry. */
  shift(): void {
    this.head = (this.head + 1) & this.mask;
    this.count--;
  }

  private grow(): void {
    const cap = (this.mask + 1) * 2;
    const pages = new Int32Array(cap);
    const gens = new Int32Array(cap);
    const times = new Float64Array(cap);
    for (let k = 0; k < this.count; k++) {
      const i = (this.head + k) & this.mask;
      pages[k] = this.pages[i];
      gens[k] = this.gens[i];
      times[k] = this.times[i];
    }
    this.pages = pages;
    this.gens = gens;
    this.times = times;
    this.mask = cap - 1;
    this.head = 0;
  }
}
