import { FrameTable } from './frame-table.js';
import { checkCapacity, NO_NEXT_USE, type PagePolicy, type PolicyName } from './policy.js';

/**
 * Belady's OPT (offline lower bound): evicts the resident page whose next use is farthest in the
 * future. `nextUse[i]` is the index of the next reference to the page referenced at i (see
 * computeNextUse). An indexed binary max-heap over frames keyed by next use; O(log n) per
 * reference. Pages never used again (NO_NEXT_USE) tie; the heap picks one of them.
 */
export class OptPolicy implements PagePolicy {
  readonly name: PolicyName = 'opt';
  capacity: number;
  private frames: FrameTable;
  private readonly nextUse: Int32Array;
  /** key[frame] = index of the next use of the page in that frame. */
  private key: Int32Array;
  /** heap[i] = frame; heap[0] has the largest key. */
  private heap: Int32Array;
  /** pos[frame] = index in heap, or -1. */
  private pos: Int32Array;
  private n = 0;

  constructor(capacity: number, nextUse: Int32Array, pageSpace = 1024) {
    this.frames = new FrameTable(capacity, pageSpace);
    this.capacity = capacity;
    this.nextUse = nextUse;
    this.key = new Int32Array(capacity);
    this.heap = new Int32Array(capacity);
    this.pos = new Int32Array(capacity).fill(-1);
  }

  get size(): number {
    return this.frames.size;
  }

  access(page: number, index: number): boolean {
    const f = this.frames.frameOf(page);
    if (f < 0) return false;
    const old = this.key[f];
    const k = this.next(index);
    this.key[f] = k;
    if (k > old) this.up(this.pos[f]);
    else this.down(this.pos[f]);
    return true;
  }

  insert(page: number, index: number): number {
    if (this.capacity === 0) return page;
    const k = this.next(index);
    if (!this.frames.full) {
      const f = this.frames.place(page);
      this.key[f] = k;
      this.heap[this.n] = f;
      this.pos[f] = this.n++;
      this.up(this.n - 1);
      return -1;
    }
    const f = this.heap[0];
    const victim = this.frames.replace(f, page);
    this.key[f] = k;
    this.down(0);
    return victim;
  }

  frameOf(page: number): number {
    return this.frames.frameOf(page);
  }

  remove(page: number): boolean {
    const f = this.frames.release(page);
    if (f < 0) return false;
    const i = this.pos[f];
    const last = this.heap[--this.n];
    this.pos[f] = -1;
    if (i < this.n) {
      this.heap[i] = last;
      this.pos[last] = i;
      this.up(i);
      this.down(this.pos[last]);
    }
    return true;
  }

  /** Shrinking evicts the pages used farthest in the future; the rest keep their next uses. */
  resize(capacity: number): number[] {
    checkCapacity(capacity);
    const evicted: number[] = [];
    while (this.n > capacity) {
      const page = this.frames.pageOfFrame[this.heap[0]];
      this.remove(page);
      evicted.push(page);
    }
    const keep: [number, number][] = [];
    for (let i = 0; i < this.n; i++) {
      const f = this.heap[i];
      keep.push([this.frames.pageOfFrame[f], this.key[f]]);
    }
    this.frames = new FrameTable(capacity);
    this.key = new Int32Array(capacity);
    this.heap = new Int32Array(capacity);
    this.pos = new Int32Array(capacity).fill(-1);
    this.capacity = capacity;
    this.n = 0;
    for (const [page, k] of keep) {
      const f = this.frames.place(page);
      this.key[f] = k;
      this.heap[this.n] = f;
      this.pos[f] = this.n++;
      this.up(this.n - 1);
    }
    return evicted;
  }

  /** Checks the heap order and the heap ↔ frame links (for tests). */
  heapIsValid(): boolean {
    if (this.n !== this.frames.size) return false;
    for (let i = 0; i < this.n; i++) {
      const f = this.heap[i];
      if (this.pos[f] !== i || this.frames.pageOfFrame[f] < 0) return false;
      if (i > 0 && this.key[this.heap[(i - 1) >> 1]] < this.key[f]) return false;
    }
    return true;
  }

  private next(index: number): number {
    if (!(index >= 0 && index < this.nextUse.length)) {
      throw new RangeError(
        `OPT: reference index ${index} outside nextUse (length ${this.nextUse.length})`,
      );
    }
    return this.nextUse[index];
  }

  private up(i: number): void {
    const heap = this.heap;
    const key = this.key;
    const pos = this.pos;
    const f = heap[i];
    const k = key[f];
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const pf = heap[parent];
      if (key[pf] >= k) break;
      heap[i] = pf;
      pos[pf] = i;
      i = parent;
    }
    heap[i] = f;
    pos[f] = i;
  }

  private down(i: number): void {
    const heap = this.heap;
    const key = this.key;
    const pos = this.pos;
    const n = this.n;
    const f = heap[i];
    const k = key[f];
    while (true) {
      let c = 2 * i + 1;
      if (c >= n) break;
      if (c + 1 < n && key[heap[c + 1]] > key[heap[c]]) c++;
      const cf = heap[c];
      if (key[cf] <= k) break;
      heap[i] = cf;
      pos[cf] = i;
      i = c;
    }
    heap[i] = f;
    pos[f] = i;
  }
}

/** nextUse[i] = index of the next reference to pages[i], or NO_NEXT_USE; one backward pass. */
export function computeNextUse(pages: Int32Array): Int32Array {
  let maxPage = -1;
  for (let i = 0; i < pages.length; i++) if (pages[i] > maxPage) maxPage = pages[i];
  const last = new Int32Array(maxPage + 1).fill(NO_NEXT_USE);
  const out = new Int32Array(pages.length);
  for (let i = pages.length - 1; i >= 0; i--) {
    const p = pages[i];
    out[i] = last[p];
    last[p] = i;
  }
  return out;
}
