/**
 * Counts the distinct 64-bit ids of a stream, given as (hi, lo) 32-bit halves, when only the count
 * is wanted (`hclab trace info`): ids below 2^27 — block and page numbers of volumes up to 512 GiB
 * at 4 KiB pages, the usual case — set a bit in a bitmap whose 8 KiB pages are allocated when first
 * touched (at most 16 MiB in all); larger ids go to a hash table. A bit test stays in cache where a
 * dense-id lookup does not, so counting is several times faster than mapping every id.
 */
import { DenseIdMap } from './id-map.js';

/** Ids below 2^BITMAP_BITS go to the bitmap. */
const BITMAP_BITS = 27;
/** Bits per bitmap page (2^16 bits = 8 KiB). */
const PAGE_BITS = 16;
const PAGE_WORDS = 1 << (PAGE_BITS - 5);
const PAGE_MASK = (1 << PAGE_BITS) - 1;

export class DistinctSet {
  private readonly pages: (Int32Array | null)[] = new Array<Int32Array | null>(
    1 << (BITMAP_BITS - PAGE_BITS),
  ).fill(null);
  private readonly large = new DenseIdMap();
  /** Distinct ids added so far. */
  size = 0;

  /** Adds (hi, lo); returns whether it was new. */
  add(hi: number, lo: number): boolean {
    if (hi === 0 && lo >>> BITMAP_BITS === 0) {
      const page = this.page(lo >>> PAGE_BITS);
      const w = (lo & PAGE_MASK) >>> 5;
      const bit = 1 << (lo & 31);
      if ((page[w] & bit) !== 0) return false;
      page[w] |= bit;
    } else {
      const before = this.large.size;
      if (this.large.idOf(hi, lo, before) !== before) return false;
    }
    this.size++;
    return true;
  }

  /** Adds (his[j], los[j]) for j in [from, to); returns the number of distinct ids after it. */
  addMany(his: Int32Array, los: Int32Array, from: number, to: number): number {
    const pages = this.pages;
    let size = this.size;
    for (let j = from; j < to; j++) {
      const lo = los[j];
      if (his[j] !== 0 || lo >>> BITMAP_BITS !== 0) {
        this.size = size;
        if (this.add(his[j], lo)) size++;
        continue;
      }
      const p = lo >>> PAGE_BITS;
      const page = pages[p] ?? this.page(p);
      const w = (lo & PAGE_MASK) >>> 5;
      const bit = 1 << (lo & 31);
      const word = page[w];
      if ((word & bit) === 0) {
        page[w] = word | bit;
        size++;
      }
    }
    this.size = size;
    return size;
  }

  private page(p: number): Int32Array {
    let page = this.pages[p];
    if (page === null) page = this.pages[p] = new Int32Array(PAGE_WORDS);
    return page;
  }
}
