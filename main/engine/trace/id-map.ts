/**
 * Maps 64-bit ids, given as their (hi, lo) unsigned 32-bit halves, to dense integer ids.
 *
 * Ids from 0 up (the ids of most traces: block, page and object numbers) first go to a direct
 * table: one typed array indexed by the id itself, one load per lookup, grown by doubling while
 * it stays dense (within the first 16 MiB, or at most 64 bytes per id stored) and while pages are
 * kept (so that no id it comes to cover can be in the hash).
 *
 * Other ids below 2^28 (say block numbers far from 0) go to pages: a direct table of 4,096
 * slots per page, allocated when first touched and found through a page directory. Neighbouring
 * ids share a page, so a trace with locality keeps its working set of slots in cache, where a
 * hash scatters it. When the pages turn out sparse (beyond the first 16 MiB of pages, more than 64
 * bytes of pages per paged id, against 16–32 in the hash), every paged id moves to the hash and
 * pages are given up for good.
 *
 * The hash: open addressing with linear probing over interleaved Int32Arrays, so a lookup usually
 * touches one cache line: ids below 2^32 live in a narrow table of (lo, value + 1) pairs, larger
 * ids in a wide table of (lo, hi, value + 1, unused) quads. Much faster than a JS Map for the tens
 * of millions of lookups a trace needs. The dense values are supplied by the caller, so several
 * maps (one per volume) can share one id counter.
 */

/** Ids below 2^PAGED_BITS may be paged. */
const PAGED_BITS = 28;
const PAGE_BITS = 12;
const PAGE_MASK = (1 << PAGE_BITS) - 1;
const PAGE_BYTES = 4 << PAGE_BITS;
/** Pages that may exist whatever they hold: 16 MiB (an early stream leaves pages sparse). */
const FREE_PAGES = 1024;
/** Beyond FREE_PAGES, page memory may grow by this many bytes per paged id. */
const BYTES_PER_ID = 64;

/** The direct table's first size, and its size allowed whatever it holds (16 MiB). */
const DIRECT_MIN = 1 << 12;
const DIRECT_FREE = 1 << 22;

const MIN_SLOTS = 1 << 10;
const MAX_LOAD = 0.5;

/** Fibonacci hashing: the top `32 - shift` bits are well mixed even for consecutive ids. */
function hashOf(hi: number, lo: number, shift: number): number {
  return Math.imul(lo ^ Math.imul(hi, 0x27d4eb2d), 0x9e3779b1) >>> shift;
}

/** One open-addressing table with `stride` int32 per slot: lo, [hi,] value + 1. */
class Table {
  slots: Int32Array;
  mask: number;
  shift: number;
  maxSize: number;
  size = 0;

  constructor(
    readonly stride: 2 | 4,
    slotCount: number,
  ) {
    this.slots = new Int32Array(slotCount * stride);
    this.mask = slotCount - 1;
    this.shift = 32 - Math.log2(slotCount);
    this.maxSize = Math.floor(slotCount * MAX_LOAD);
  }

  /** Rehashes into a table twice as large. */
  grown(): Table {
    const t = new Table(this.stride, (this.mask + 1) * 2);
    const old = this.slots;
    const s = t.slots;
    const st = this.stride;
    const vAt = st - (st === 4 ? 2 : 1);
    const mask = t.mask;
    const shift = t.shift;
    for (let at = 0; at < old.length; at += st) {
      const v = old[at + vAt];
      if (v === 0) continue;
      const lo = old[at];
      const hi = st === 4 ? old[at + 1] : 0;
      let i = hashOf(hi, lo, shift);
      while (s[i * st + vAt] !== 0) i = (i + 1) & mask;
      const to = i * st;
      s[to] = lo;
      if (st === 4) s[to + 1] = hi;
      s[to + vAt] = v;
    }
    t.size = this.size;
    return t;
  }
}

export class DenseIdMap {
  /** direct[id] = value + 1 for ids below direct.length (0: absent). */
  private direct: Int32Array = new Int32Array(0);
  private directSize = 0;
  /** After a refused growth, the size at which growing may be allowed again. */
  private directRetry = 0;
  private narrow: Table;
  private wide: Table | null = null;
  /** Page directory (by lo >>> PAGE_BITS) while ids are paged, else null. */
  private pages: (Int32Array | null)[] | null = [];
  private pageCount = 0;
  private pagedSize = 0;

  constructor(expected = 0) {
    let n = MIN_SLOTS;
    while (n * MAX_LOAD < expected) n *= 2;
    this.narrow = new Table(2, n);
  }

  /** Number of ids stored. */
  get size(): number {
    return this.directSize + this.narrow.size + this.pagedSize + (this.wide?.size ?? 0);
  }

  /** Whether ids below 2^28 are still kept in pages (for tests). */
  get paged(): boolean {
    return this.pages !== null;
  }

  /** Size of the direct table (for tests). */
  get directIds(): number {
    return this.direct.length;
  }

  /** The value stored for (hi, lo), or -1. */
  get(hi: number, lo: number): number {
    if (hi === 0 && lo >>> 0 < this.direct.length) return this.direct[lo] - 1;
    const pages = this.pages;
    if (hi === 0 && pages !== null && lo >>> PAGED_BITS === 0) {
      const page = pages[lo >>> PAGE_BITS];
      return page === undefined || page === null ? -1 : page[lo & PAGE_MASK] - 1;
    }
    if (hi === 0) {
      const t = this.narrow;
      const s = t.slots;
      const l = lo | 0;
      for (let i = hashOf(0, l, t.shift); ; i = (i + 1) & t.mask) {
        const v = s[2 * i + 1];
        if (v === 0) return -1;
        if (s[2 * i] === l) return v - 1;
      }
    }
    const t = this.wide;
    if (t === null) return -1;
    const s = t.slots;
    const l = lo | 0;
    const h = hi | 0;
    for (let i = hashOf(h, l, t.shift); ; i = (i + 1) & t.mask) {
      const v = s[4 * i + 2];
      if (v === 0) return -1;
      if (s[4 * i] === l && s[4 * i + 1] === h) return v - 1;
    }
  }

  /**
   * The value stored for (hi, lo); when absent, stores `next` (≥ 0) and returns it. Callers
   * detect an insertion by comparing the result with `next`.
   */
  idOf(hi: number, lo: number, next: number): number {
    if (hi !== 0) return this.idOfWide(hi | 0, lo | 0, next);
    if (lo >>> 0 >= this.direct.length) this.reachDirect(lo >>> 0);
    if (lo >>> 0 < this.direct.length) {
      const v = this.direct[lo];
      if (v !== 0) return v - 1;
      this.direct[lo] = next + 1;
      this.directSize++;
      return next;
    }
    if (this.pages !== null && lo >>> PAGED_BITS === 0) {
      const page = this.pageOf(lo >>> PAGE_BITS);
      if (page !== null) {
        const v = page[lo & PAGE_MASK];
        if (v !== 0) return v - 1;
        page[lo & PAGE_MASK] = next + 1;
        this.pagedSize++;
        return next;
      }
    }
    const t = this.narrow;
    const s = t.slots;
    const l = lo | 0;
    let i = Math.imul(l, 0x9e3779b1) >>> t.shift;
    while (true) {
      const at = i << 1;
      const v = s[at + 1];
      if (v === 0) {
        s[at] = l;
        s[at + 1] = next + 1;
        if (++t.size > t.maxSize) this.narrow = t.grown();
        return next;
      }
      if (s[at] === l) return v - 1;
      i = (i + 1) & t.mask;
    }
  }

  /**
   * Bulk {@link idOf}: out[j] = id of (his[j], los[j]) for j in [from, to), new ids numbered from
   * `next`. Returns the next unused id. The hot loop of the fast readers.
   */
  idsOf(
    his: Int32Array,
    los: Int32Array,
    from: number,
    to: number,
    out: Int32Array,
    next: number,
  ): number {
    let t = this.narrow;
    let s = t.slots;
    let mask = t.mask;
    let shift = t.shift;
    let pages = this.pages;
    let direct = this.direct;
    let directLimit = direct.length;
    let added = 0;
    for (let j = from; j < to; j++) {
      const h = his[j];
      if (h !== 0) {
        const id = this.idOfWide(h, los[j], next);
        if (id === next) next++;
        out[j] = id;
        continue;
      }
      const l = los[j];
      if (l >= 0 && l < directLimit) {
        const v = direct[l];
        if (v !== 0) {
          out[j] = v - 1;
        } else {
          direct[l] = next + 1;
          added++;
          out[j] = next++;
        }
        continue;
      }
      if (
        pages !== null &&
        l >>> PAGED_BITS === 0 &&
        // Beyond the free size, only when growing may have become allowed (next ≥ this size).
        (l < DIRECT_FREE || next >= this.directRetry) &&
        this.reachDirect(l)
      ) {
        // The direct table grew over l (taking over the pages it covers): go again.
        direct = this.direct;
        directLimit = direct.length;
        j--;
        continue;
      }
      if (pages !== null && l >>> PAGED_BITS === 0) {
        const p = l >>> PAGE_BITS;
        let page = p < pages.length ? pages[p] : null;
        if (page === null) {
          page = this.pageOf(p);
          // Giving pages up rebuilt the hash: reload it.
          pages = this.pages;
          t = this.narrow;
          s = t.slots;
          mask = t.mask;
          shift = t.shift;
        }
        if (page !== null) {
          const v = page[l & PAGE_MASK];
          if (v !== 0) {
            out[j] = v - 1;
          } else {
            page[l & PAGE_MASK] = next + 1;
            this.pagedSize++;
            out[j] = next++;
          }
          continue;
        }
      }
      let i = Math.imul(l, 0x9e3779b1) >>> shift;
      while (true) {
        const at = i << 1;
        const v = s[at + 1];
        if (v === 0) {
          s[at] = l;
          s[at + 1] = next + 1;
          out[j] = next++;
          if (++t.size > t.maxSize) {
            t = this.narrow = t.grown();
            s = t.slots;
            mask = t.mask;
            shift = t.shift;
          }
          break;
        }
        if (s[at] === l) {
          out[j] = v - 1;
          break;
        }
        i = (i + 1) & mask;
      }
    }
    this.directSize += added;
    return next;
  }

  /**
   * Grows the direct table to cover id `lo` (< 2^28) if it may: while pages are kept, to the
   * next power of two, within DIRECT_FREE slots or at most BYTES_PER_ID bytes per id stored. The
   * paged ids it comes to cover move into it. Returns whether it grew.
   */
  private reachDirect(lo: number): boolean {
    const pages = this.pages;
    if (pages === null || lo >>> PAGED_BITS !== 0) return false;
    const limit = Math.max(DIRECT_MIN, 1 << (32 - Math.clz32(lo)));
    if (limit > DIRECT_FREE) {
      const size = this.size;
      if (size < this.directRetry) return false;
      if (4 * limit > BYTES_PER_ID * (size + 1)) {
        // Refused: ask again only once the map is an eighth larger (a sparse trace asks often).
        this.directRetry = size + Math.max(1024, size >>> 3);
        return false;
      }
    }
    const old = this.direct;
    const direct = new Int32Array(limit);
    direct.set(old);
    for (let p = old.length >>> PAGE_BITS; p < limit >>> PAGE_BITS && p < pages.length; p++) {
      const page = pages[p];
      if (page === null) continue;
      direct.set(page, p << PAGE_BITS);
      let n = 0;
      for (let i = 0; i <= PAGE_MASK; i++) if (page[i] !== 0) n++;
      this.pagedSize -= n;
      this.directSize += n;
      this.pageCount--;
      pages[p] = null;
    }
    this.direct = direct;
    return true;
  }

  /**
   * Page p of the directory, allocated if absent; null when pages were given up (too sparse), in
   * which case every paged id has moved to the hash.
   */
  private pageOf(p: number): Int32Array | null {
    const pages = this.pages;
    if (pages === null) return null;
    if (p >= pages.length) {
      let n = Math.max(16, pages.length);
      while (n <= p) n *= 2;
      for (let i = pages.length; i < n; i++) pages.push(null);
    }
    const page = pages[p];
    if (page !== null) return page;
    const beyond = this.pageCount + 1 - FREE_PAGES;
    if (beyond > 0 && beyond * PAGE_BYTES > BYTES_PER_ID * this.pagedSize) {
      this.unpage();
      return null;
    }
    this.pageCount++;
    return (pages[p] = new Int32Array(1 << PAGE_BITS));
  }

  /** Moves every paged id into the narrow hash and stops paging. */
  private unpage(): void {
    const pages = this.pages;
    if (pages === null) return;
    this.pages = null;
    let t = this.narrow;
    for (let p = 0; p < pages.length; p++) {
      const page = pages[p];
      if (page === null) continue;
      for (let i = 0; i <= PAGE_MASK; i++) {
        const v = page[i];
        if (v === 0) continue;
        const l = (p << PAGE_BITS) | i | 0;
        const s = t.slots;
        let k = Math.imul(l, 0x9e3779b1) >>> t.shift;
        while (s[(k << 1) + 1] !== 0) k = (k + 1) & t.mask;
        s[k << 1] = l;
        s[(k << 1) + 1] = v;
        if (++t.size > t.maxSize) t = this.narrow = t.grown();
      }
    }
    this.pagedSize = 0;
    this.pageCount = 0;
  }

  private idOfWide(h: number, l: number, next: number): number {
    let t = this.wide;
    if (t === null) t = this.wide = new Table(4, MIN_SLOTS);
    const s = t.slots;
    let i = hashOf(h, l, t.shift);
    while (true) {
      const at = i << 2;
      const v = s[at + 2];
      if (v === 0) {
        s[at] = l;
        s[at + 1] = h;
        s[at + 2] = next + 1;
        if (++t.size > t.maxSize) this.wide = t.grown();
        return next;
      }
      if (s[at] === l && s[at + 1] === h) return v - 1;
      i = (i + 1) & t.mask;
    }
  }
}
