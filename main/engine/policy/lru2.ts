import { FrameTable } from './frame-table.js';
import { LinkedLists } from './linked-lists.js';
import { checkCapacity, type PagePolicy, type PolicyName } from './policy.js';

const ACTIVE = 0;
const INACTIVE = 1;

/**
 * Linux-like two-list LRU. New pages enter the inactive head; a hit on an inactive page promotes
 * it to the active head, a hit on an active page moves it to the active head. The active list
 * holds at most floor(activeFraction · capacity) pages: beyond that its tail is demoted to the
 * inactive head. Eviction takes the inactive tail (the active tail if inactive is empty).
 */
export class Lru2Policy implements PagePolicy {
  readonly name: PolicyName = 'lru2';
  capacity: number;
  maxActive: number;
  private frames: FrameTable;
  private lists: LinkedLists;

  constructor(
    capacity: number,
    private readonly activeFraction = 0.5,
    pageSpace = 1024,
  ) {
    if (!(activeFraction >= 0 && activeFraction <= 1))
      throw new RangeError(`bad activeFraction ${activeFraction}`);
    this.frames = new FrameTable(capacity, pageSpace);
    this.capacity = capacity;
    this.maxActive = Math.floor(activeFraction * capacity);
    this.lists = new LinkedLists(2, capacity);
  }

  get size(): number {
    return this.frames.size;
  }

  access(page: number, _index: number): boolean {
    const f = this.frames.frameOf(page);
    if (f < 0) return false;
    const lists = this.lists;
    if (lists.remove(f) === ACTIVE) {
      lists.pushHead(ACTIVE, f);
    } else {
      lists.pushHead(ACTIVE, f);
      if (lists.size(ACTIVE) > this.maxActive) lists.pushHead(INACTIVE, lists.popTail(ACTIVE));
    }
    return true;
  }

  insert(page: number, _index: number): number {
    if (this.capacity === 0) return page;
    if (!this.frames.full) {
      this.lists.pushHead(INACTIVE, this.frames.place(page));
      return -1;
    }
    let f = this.lists.popTail(INACTIVE);
    if (f < 0) f = this.lists.popTail(ACTIVE);
    const victim = this.frames.replace(f, page);
    this.lists.pushHead(INACTIVE, f);
    return victim;
  }

  frameOf(page: number): number {
    return this.frames.frameOf(page);
  }

  remove(page: number): boolean {
    const f = this.frames.release(page);
    if (f < 0) return false;
    this.lists.remove(f);
    return true;
  }

  /**
   * Shrinking evicts as insert would (inactive tail, else active tail); the pages that stay keep
   * their list and order, and the active list is then trimmed to its new maximum (tail demoted to
   * the inactive head).
   */
  resize(capacity: number): number[] {
    checkCapacity(capacity);
    const evicted: number[] = [];
    const pageOf = (f: number): number => this.frames.pageOfFrame[f];
    while (this.frames.size > capacity) {
      let f = this.lists.popTail(INACTIVE);
      if (f < 0) f = this.lists.popTail(ACTIVE);
      const page = pageOf(f);
      this.frames.release(page);
      evicted.push(page);
    }
    const active = this.lists.toArray(ACTIVE).map(pageOf);
    const inactive = this.lists.toArray(INACTIVE).map(pageOf);
    this.frames = new FrameTable(capacity);
    this.lists = new LinkedLists(2, capacity);
    this.capacity = capacity;
    this.maxActive = Math.floor(this.activeFraction * capacity);
    for (let i = inactive.length - 1; i >= 0; i--)
      this.lists.pushHead(INACTIVE, this.frames.place(inactive[i]));
    for (let i = active.length - 1; i >= 0; i--)
      this.lists.pushHead(ACTIVE, this.frames.place(active[i]));
    while (this.lists.size(ACTIVE) > this.maxActive)
      this.lists.pushHead(INACTIVE, this.lists.popTail(ACTIVE));
    return evicted;
  }

  /** Resident pages of the active and inactive lists, head first (for tests and displays). */
  snapshot(): { active: number[]; inactive: number[] } {
    const pageOf = (f: number): number => this.frames.pageOfFrame[f];
    return {
      active: this.lists.toArray(ACTIVE).map(pageOf),
      inactive: this.lists.toArray(INACTIVE).map(pageOf),
    };
  }
}
