import { growUint8 } from '../util/grow.js';
import { LinkedLists } from './linked-lists.js';
import { PageSlots } from './page-slots.js';
import { checkCapacity, type PagePolicy, type PolicyName } from './policy.js';

const IN = 0;

/**
 * LIRS (Jiang & Zhang, SIGMETRICS 2002) as libCacheSim's LIRS.c (commit aa0fc40): HIR share
 * max(1, floor(0.01·C)) of memory, LIR the rest. Stack S (LRU order) holds LIR pages and recently
 * seen HIR pages, resident or not; list Q (LRU order) holds the resident HIR pages; NH lists the
 * non-resident HIR pages of S, oldest first, and S is cut back to 2·C entries by dropping them.
 *
 * Where libCacheSim differs from the paper, this follows it (and so may evict on a hit):
 * - a hit on a resident HIR page that is in Q but not in S first makes room in the LIR set
 *   (demoting S's bottom LIR page to Q, which may evict Q's oldest page), then enters S as HIR;
 * - when Q has one slot that eviction can be the page being hit; it stays hittable through its
 *   S entry (not counted in the HIR share) until it is pruned from S or hit again, so memory
 *   can briefly hold more than C pages (they get frames past the capacity).
 */
export class LirsPolicy implements PagePolicy {
  readonly name: PolicyName = 'lirs';
  capacity: number;
  private readonly slots: PageSlots;
  private readonly s: LinkedLists;
  private readonly q: LinkedLists;
  private readonly nh: LinkedLists;
  /** Flags of a page's S entry. */
  private lir: Uint8Array;
  private inCache: Uint8Array;
  private hirsLimit: number;
  private lirsLimit: number;
  private lirs = 0;
  private hirs = 0;

  constructor(capacity: number, pageSpace = 1024) {
    if (!Number.isInteger(capacity) || capacity < 0)
      throw new RangeError(`bad capacity ${capacity}`);
    this.capacity = capacity;
    this.slots = new PageSlots(pageSpace);
    this.s = new LinkedLists(1, pageSpace);
    this.q = new LinkedLists(1, pageSpace);
    this.nh = new LinkedLists(1, pageSpace);
    this.lir = new Uint8Array(Math.max(16, pageSpace));
    this.inCache = new Uint8Array(this.lir.length);
    this.hirsLimit = Math.max(1, Math.floor(0.01 * capacity));
    this.lirsLimit = capacity - this.hirsLimit;
  }

  get size(): number {
    return this.slots.size;
  }

  access(page: number, _index: number): boolean {
    this.slots.resetVictims();
    if (!this.slots.has(page)) return false;
    const inS = this.s.which(page) === IN;
    const inQ = this.q.which(page) === IN;
    if (inS) this.s.moveToHead(IN, page);
    if (inQ) this.q.moveToHead(IN, page);
    if (inS && this.lir[page] === 1) {
      this.prune();
    } else if (inS) {
      // A resident HIR page in S becomes LIR.
      if (inQ) {
        this.hirs--;
        this.q.remove(page);
      }
      while (this.lirs + 1 > this.lirsLimit) this.evictLir();
      this.lir[page] = 1;
      this.lirs++;
    } else {
      // A resident HIR page only in Q stays HIR and enters S.
      while (this.lirs + 1 > this.lirsLimit) this.evictLir();
      this.pushS(page, 0);
    }
    this.sync(page);
    this.limitStack();
    return true;
  }

  insert(page: number, _index: number): number {
    this.slots.resetVictims();
    if (this.lirsLimit < 1) return page; // libCacheSim admits nothing then (C ≤ 1)
    const s = this.s;
    if (s.which(page) === IN) s.moveToHead(IN, page);
    const nonResidentHir = s.which(page) === IN; // a miss in S is always a non-resident HIR
    if (nonResidentHir) {
      while (this.lirs + 1 > this.lirsLimit) this.evictLir();
      this.nh.remove(page);
    } else if (this.lirs + 1 > this.lirsLimit && this.hirs + 1 > this.hirsLimit) {
      while (this.hirs + 1 > this.hirsLimit) this.evictHir();
    }
    while (this.lirs + this.hirs + 1 > this.capacity) {
      if (nonResidentHir) {
        while (this.hirs >= this.hirsLimit) this.evictHir();
        this.evictLir();
      } else if (this.lirs + 1 > this.lirsLimit && this.hirs + 1 > this.hirsLimit) {
        this.evictHir();
      } else {
        break;
      }
    }
    if (nonResidentHir) {
      this.lir[page] = 1;
      this.inCache[page] = 1;
      this.lirs++;
    } else if (this.lirs + 1 <= this.lirsLimit) {
      this.pushS(page, 1);
      this.lirs++;
    } else {
      this.pushS(page, 0);
      this.q.pushHead(IN, page);
      this.hirs++;
    }
    this.sync(page);
    this.limitStack();
    return this.slots.nextVictim();
  }

  nextVictim(): number {
    return this.slots.nextVictim();
  }

  frameOf(page: number): number {
    return this.slots.frameOf(page);
  }

  /** Drops a resident page as libCacheSim's LIRS_remove does (an LIR page also prunes S). */
  remove(page: number): boolean {
    this.slots.resetVictims();
    if (!this.slots.has(page)) return false;
    const inQ = this.q.which(page) === IN;
    if (this.s.which(page) === IN) {
      this.s.remove(page);
      if (this.lir[page] === 1) {
        this.lirs--;
        this.prune();
      } else if (inQ) {
        this.hirs--;
        this.q.remove(page);
      }
    } else {
      this.hirs--;
      this.q.remove(page);
    }
    this.slots.release(page);
    return true;
  }

  /**
   * The LIR/HIR shares follow the new capacity; shrinking demotes S's bottom LIR pages to Q while
   * the LIR set is over its share and evicts Q's oldest pages while memory is over capacity.
   */
  resize(capacity: number): number[] {
    checkCapacity(capacity);
    this.slots.resetVictims();
    this.capacity = capacity;
    this.hirsLimit = Math.max(1, Math.floor(0.01 * capacity));
    this.lirsLimit = capacity - this.hirsLimit;
    while (this.lirs > Math.max(0, this.lirsLimit) && this.s.size(IN) > 0) this.evictLir();
    while (this.slots.size > capacity && this.hirs > 0) this.evictHir();
    // Pages hittable only through S (see the class note) leave last, oldest first.
    for (let t = this.s.tail(IN); this.slots.size > capacity && t >= 0; t = this.s.tail(IN)) {
      if (this.inCache[t] === 0) this.nh.remove(t);
      if (this.lir[t] === 1) this.lirs--;
      this.s.remove(t);
      this.sync(t);
    }
    this.limitStack();
    const out = this.slots.drainVictims();
    this.slots.renumber();
    return out;
  }

  private pushS(page: number, lir: number): void {
    if (page >= this.lir.length) {
      this.lir = growUint8(this.lir, page + 1);
      this.inCache = growUint8(this.inCache, this.lir.length);
    }
    this.s.pushHead(IN, page);
    this.lir[page] = lir;
    this.inCache[page] = 1;
  }

  /** Whether a reference to `page` would hit (libCacheSim's LIRS_find). */
  private hittable(page: number): boolean {
    if (this.q.which(page) === IN) return true;
    return this.s.which(page) === IN && (this.lir[page] === 1 || this.inCache[page] === 1);
  }

  private sync(page: number): void {
    const want = this.hittable(page);
    if (want && !this.slots.has(page)) this.slots.take(page);
    else if (!want && this.slots.has(page)) this.slots.evict(page);
  }

  /**
   * S's bottom page leaves S and enters Q as a resident HIR page. As in libCacheSim this takes
   * whatever is at the bottom and counts it as an LIR page leaving.
   */
  private evictLir(): void {
    const t = this.s.popTail(IN);
    this.lirs--;
    while (this.hirs + 1 > this.hirsLimit) this.evictHir();
    this.q.moveToHead(IN, t);
    this.hirs++;
    this.sync(t); // S's bottom may be a non-resident HIR entry: libCacheSim loads it into Q
    this.prune();
  }

  /** Q's oldest page leaves memory (its S entry, if any, becomes non-resident). */
  private evictHir(): void {
    const t = this.q.popTail(IN);
    this.hirs--;
    if (this.s.which(t) === IN) {
      this.inCache[t] = 0;
      this.nh.moveToHead(IN, t);
    }
    this.sync(t);
  }

  /** Removes HIR entries from S's bottom until an LIR page is there (keeps one entry). */
  private prune(): void {
    const s = this.s;
    for (let t = s.tail(IN); t !== s.head(IN); t = s.tail(IN)) {
      if (this.lir[t] === 1) break;
      if (this.inCache[t] === 0) this.nh.remove(t);
      s.remove(t);
      this.sync(t);
    }
  }

  /** Keeps S at most 2·C entries by dropping its oldest non-resident HIR entries. */
  private limitStack(): void {
    const limit = 2 * this.capacity;
    while (this.s.size(IN) > limit) {
      const t = this.nh.popTail(IN);
      if (t < 0) break;
      this.s.remove(t);
    }
  }
}
