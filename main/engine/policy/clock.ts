import { FrameTable } from './frame-table.js';
import { checkCapacity, type PagePolicy, type PolicyName } from './policy.js';

/**
 * CLOCK (second chance): one reference bit per frame. A new page starts with its bit clear and a
 * hit sets it. To evict, the hand sweeps the frames in order, clearing set bits, and evicts the
 * first page whose bit is clear; the new page takes that frame and the hand moves past it.
 * While memory is not full a new page takes a free frame and the hand does not move.
 */
export class ClockPolicy implements PagePolicy {
  readonly name: PolicyName = 'clock';
  capacity: number;
  private frames: FrameTable;
  private referenced: Uint8Array;
  private hand = 0;

  constructor(capacity: number, pageSpace = 1024) {
    this.frames = new FrameTable(capacity, pageSpace);
    this.capacity = capacity;
    this.referenced = new Uint8Array(capacity);
  }

  get size(): number {
    return this.frames.size;
  }

  access(page: number, _index: number): boolean {
    const f = this.frames.frameOf(page);
    if (f < 0) return false;
    this.referenced[f] = 1;
    return true;
  }

  insert(page: number, _index: number): number {
    if (this.capacity === 0) return page;
    if (!this.frames.full) {
      this.referenced[this.frames.place(page)] = 0;
      return -1;
    }
    const bits = this.referenced;
    let h = this.hand;
    while (bits[h] !== 0) {
      bits[h] = 0;
      h = h + 1 === this.capacity ? 0 : h + 1;
    }
    const victim = this.frames.replace(h, page);
    this.hand = h + 1 === this.capacity ? 0 : h + 1;
    return victim;
  }

  frameOf(page: number): number {
    return this.frames.frameOf(page);
  }

  remove(page: number): boolean {
    // The freed frame's bit is cleared when the next page is placed in it.
    return this.frames.release(page) >= 0;
  }

  /**
   * Shrinking evicts as the hand would (sweeping from the hand, clearing set bits, skipping free
   * frames); the pages that stay keep their reference bits and their circular order from the
   * hand, renumbered from frame 0 with the hand at 0.
   */
  resize(capacity: number): number[] {
    checkCapacity(capacity);
    const evicted: number[] = [];
    const frames = this.frames;
    const bits = this.referenced;
    const cap = this.capacity;
    let h = this.hand;
    while (frames.size > capacity) {
      while (frames.pageOfFrame[h] < 0 || bits[h] !== 0) {
        bits[h] = 0;
        h = h + 1 === cap ? 0 : h + 1;
      }
      const page = frames.pageOfFrame[h];
      frames.release(page);
      evicted.push(page);
      h = h + 1 === cap ? 0 : h + 1;
    }
    const keep: number[] = [];
    const keepBits: number[] = [];
    for (let i = 0; i < cap; i++) {
      const f = (h + i) % cap;
      const page = frames.pageOfFrame[f];
      if (page < 0) continue;
      keep.push(page);
      keepBits.push(bits[f]);
      frames.release(page);
    }
    this.frames = new FrameTable(capacity);
    this.referenced = new Uint8Array(capacity);
    this.capacity = capacity;
    this.hand = 0;
    keep.forEach((page, i) => {
      this.referenced[this.frames.place(page)] = keepBits[i];
    });
    return evicted;
  }

  /** Current hand position (for tests and displays). */
  get handPosition(): number {
    return this.hand;
  }
}
