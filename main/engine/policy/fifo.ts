import { FrameTable } from './frame-table.js';
import { LinkedLists } from './linked-lists.js';
import { checkCapacity, type PagePolicy, type PolicyName } from './policy.js';

/** First in, first out: evicts in insertion order; hits do not change the order. */
export class FifoPolicy implements PagePolicy {
  readonly name: PolicyName = 'fifo';
  readonly repeatIsHit = true;
  capacity: number;
  private frames: FrameTable;
  /** One list of frames, newest at the head. */
  private queue: LinkedLists;

  constructor(capacity: number, pageSpace = 1024) {
    this.frames = new FrameTable(capacity, pageSpace);
    this.capacity = capacity;
    this.queue = new LinkedLists(1, capacity);
  }

  get size(): number {
    return this.frames.size;
  }

  access(page: number, _index: number): boolean {
    return this.frames.frameOf(page) >= 0;
  }

  insert(page: number, _index: number): number {
    if (this.capacity === 0) return page;
    if (!this.frames.full) {
      this.queue.pushHead(0, this.frames.place(page));
      return -1;
    }
    const f = this.queue.popTail(0);
    const victim = this.frames.replace(f, page);
    this.queue.pushHead(0, f);
    return victim;
  }

  frameOf(page: number): number {
    return this.frames.frameOf(page);
  }

  remove(page: number): boolean {
    const f = this.frames.release(page);
    if (f < 0) return false;
    this.queue.remove(f);
    return true;
  }

  /** Shrinking evicts the oldest pages; the rest keep their queue order. */
  resize(capacity: number): number[] {
    checkCapacity(capacity);
    const evicted: number[] = [];
    while (this.frames.size > capacity) {
      const f = this.queue.popTail(0);
      const page = this.frames.pageOfFrame[f];
      this.frames.release(page);
      evicted.push(page);
    }
    const keep = this.queue.toArray(0).map((f) => this.frames.pageOfFrame[f]);
    this.frames = new FrameTable(capacity);
    this.queue = new LinkedLists(1, capacity);
    this.capacity = capacity;
    for (let i = keep.length - 1; i >= 0; i--) this.queue.pushHead(0, this.frames.place(keep[i]));
    return evicted;
  }
}
